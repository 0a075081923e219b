import Foundation
import MLCore

/// How a logistic-regression fit ended: on the training rows, at the returned coefficients.
public struct LogisticFit: Sendable, Equatable {
    /// Newton steps taken (or, for coefficients from another solver, its epochs).
    public let iterations: Int
    /// Mean cross-entropy of the training labels.
    public let crossEntropy: Double
    /// Cross-entropy plus the L2 penalty: what the Newton solver minimises.
    public let objective: Double
    /// The largest entry of the objective's gradient (0 at the optimum).
    public let largestGradient: Double
}

/// Multinomial logistic regression fitted to the optimum of a stated objective: mean cross-entropy +
/// l2 / 2 * ||theta||^2 over every coefficient (intercepts included), by Newton's method from zero with a
/// backtracking line search, in double precision, until the largest gradient entry is below `tolerance`. The
/// answer depends on the data and `l2` alone: no step size, epoch count or seed.
public struct LogisticRegression: Sendable, Equatable {
    /// The L2 penalty's weight in the objective.
    public var l2: Double
    /// The largest gradient entry at which the fit is called converged.
    public var tolerance: Double
    /// The most Newton steps (5 to 10 are typical).
    public var maxIterations: Int

    /// Logistic regression with this penalty and stopping rule.
    public init(l2: Double = 1e-4, tolerance: Double = 1e-9, maxIterations: Int = 100) {
        self.l2 = l2
        self.tolerance = tolerance
        self.maxIterations = maxIterations
    }

    func validate(x: Matrix, labels: [Int], classCount: Int) throws {
        guard x.rows == labels.count, x.rows > 0 else { throw TrainingError.shapeMismatch("\(x.rows) rows for \(labels.count) labels") }
        guard classCount >= 2, labels.allSatisfy({ (0..<classCount).contains($0) }) else {
            throw TrainingError.shapeMismatch("labels must lie in 0..<\(classCount) with at least two classes")
        }
        guard x.isFinite else { throw TrainingError.shapeMismatch("the features hold NaN or infinity") }
        guard l2 >= 0, l2.isFinite else { throw TrainingError.invalidSetting("l2 must be non-negative (got \(l2))") }
        guard tolerance > 0, maxIterations >= 0 else {
            throw TrainingError.invalidSetting("Newton needs a positive tolerance and a non-negative step count")
        }
    }

    /// Fits the rows `x` to `labels` in 0..<classCount.
    public func fit(x: Matrix, labels: [Int], classCount: Int) throws -> FittedLogisticRegression {
        try validate(x: x, labels: labels, classCount: classCount)
        let problem = LogisticObjective(x: x, labels: labels, classCount: classCount, l2: l2)
        let (theta, iterations) = try problem.newton(tolerance: tolerance, maxIterations: maxIterations)
        return FittedLogisticRegression(theta: theta, problem: problem, iterations: iterations)
    }

    /// The objective at the coefficients of `classifier` (one dense layer), as if a fit had ended there after
    /// `iterations` steps: how close another solver came to the optimum.
    public func assess(_ classifier: NeuralClassifier, x: Matrix, labels: [Int], classCount: Int, iterations: Int) throws
        -> FittedLogisticRegression
    {
        try validate(x: x, labels: labels, classCount: classCount)
        let w = classifier.inputWeights
        let b = classifier.inputBias
        guard w.rows == classCount, w.cols == x.cols, classifier.network.layers.count == 1 else {
            throw TrainingError.shapeMismatch("logistic regression is one dense layer of \(x.cols) inputs and \(classCount) outputs")
        }
        let theta = (0..<classCount).flatMap { k in (0..<x.cols).map { Double(w[k, $0]) } + [Double(b[k])] }
        let problem = LogisticObjective(x: x, labels: labels, classCount: classCount, l2: l2)
        return FittedLogisticRegression(theta: theta, problem: problem, iterations: iterations)
    }
}

/// A fitted logistic regression: the classifier (softmax regression) and how the fit ended.
public struct FittedLogisticRegression: Sendable {
    /// Softmax regression with the fitted coefficients.
    public let classifier: NeuralClassifier
    /// How the fit ended.
    public let fit: LogisticFit

    init(theta: [Double], problem: LogisticObjective, iterations: Int) {
        let state = problem.evaluate(theta)
        let gradient = problem.gradient(theta, probabilities: state.probabilities)
        let d = problem.d
        let features = d - 1
        let k = problem.classCount
        let weight = Matrix(rows: k, cols: features, data: (0..<k).flatMap { c in (0..<features).map { Float(theta[c * d + $0]) } })
        let bias = (0..<k).map { Float(theta[$0 * d + features]) }
        classifier = NeuralClassifier(Network(layers: [Dense(weight: weight, bias: bias)]))
        fit = LogisticFit(
            iterations: iterations, crossEntropy: state.crossEntropy, objective: state.objective,
            largestGradient: gradient.map(abs).max() ?? 0)
    }
}

/// Mean cross-entropy of softmax regression plus l2 / 2 * ||theta||^2, in double precision.
/// theta is `classCount x (features + 1)` row-major, the intercept last in each row.
struct LogisticObjective: Sendable {
    let n: Int
    let d: Int
    let classCount: Int
    let labels: [Int]
    let l2: Double
    /// Rows of features with a trailing 1, `n x d`.
    let z: [Double]

    init(x features: Matrix, labels: [Int], classCount: Int, l2: Double) {
        n = features.rows
        d = features.cols + 1
        self.classCount = classCount
        self.labels = labels
        self.l2 = l2
        var z = [Double](repeating: 1, count: n * d)
        for r in 0..<n { for c in 0..<features.cols { z[r * d + c] = Double(features[r, c]) } }
        self.z = z
    }

    /// The objective, the mean cross-entropy and every row's class probabilities (`n x classCount`).
    func evaluate(_ theta: [Double]) -> (objective: Double, crossEntropy: Double, probabilities: [Double]) {
        var p = [Double](repeating: 0, count: n * classCount)
        z.withUnsafeBufferPointer { zb in
            theta.withUnsafeBufferPointer { tb in
                p.withUnsafeMutableBufferPointer { pb in
                    BLAS.gemm(
                        n, classCount, d, zb.baseAddress!, d, transposeA: false, tb.baseAddress!, d, transposeB: true, pb.baseAddress!,
                        classCount)
                }
            }
        }
        var ce = 0.0
        for i in 0..<n {
            let row = i * classCount
            var m = -Double.infinity
            for k in 0..<classCount { m = max(m, p[row + k]) }
            var total = 0.0
            for k in 0..<classCount {
                p[row + k] = exp(p[row + k] - m)
                total += p[row + k]
            }
            for k in 0..<classCount { p[row + k] /= total }
            ce -= log(max(p[row + labels[i]], .leastNormalMagnitude))
        }
        ce /= Double(n)
        let penalty = 0.5 * l2 * theta.reduce(0) { $0 + $1 * $1 }
        return (ce + penalty, ce, p)
    }

    /// The objective's gradient: (P - Y)^T Z / n + l2 theta.
    func gradient(_ theta: [Double], probabilities p: [Double]) -> [Double] {
        var residual = p
        for i in 0..<n { residual[i * classCount + labels[i]] -= 1 }
        var g = theta.map { l2 * $0 }
        residual.withUnsafeBufferPointer { rb in
            z.withUnsafeBufferPointer { zb in
                g.withUnsafeMutableBufferPointer { gb in
                    BLAS.gemm(
                        classCount, d, n, rb.baseAddress!, classCount, transposeA: true, zb.baseAddress!, d, transposeB: false,
                        gb.baseAddress!, d, alpha: 1 / Double(n), beta: 1)
                }
            }
        }
        return g
    }

    /// The Hessian, `(classCount d) x (classCount d)`: block (a, b) is Z^T diag(p_a (delta_ab - p_b)) Z / n,
    /// plus l2 on the diagonal. Built as blockdiag(Z^T diag(p_a) Z) - W^T W with W = [diag(p_a) Z]_a.
    func hessian(probabilities p: [Double]) -> [Double] {
        let width = classCount * d
        var w = [Double](repeating: 0, count: n * width)
        for i in 0..<n {
            for a in 0..<classCount {
                let pa = p[i * classCount + a]
                for j in 0..<d { w[i * width + a * d + j] = pa * z[i * d + j] }
            }
        }
        var h = [Double](repeating: 0, count: width * width)
        w.withUnsafeBufferPointer { wb in
            z.withUnsafeBufferPointer { zb in
                h.withUnsafeMutableBufferPointer { hb in
                    let hp = hb.baseAddress!
                    BLAS.gemm(
                        width, width, n, wb.baseAddress!, width, transposeA: true, wb.baseAddress!, width, transposeB: false, hp, width,
                        alpha: -1 / Double(n))
                    for a in 0..<classCount {
                        BLAS.gemm(
                            d, d, n, wb.baseAddress! + a * d, width, transposeA: true, zb.baseAddress!, d, transposeB: false,
                            hp + a * d * width + a * d, width, alpha: 1 / Double(n), beta: 1)
                    }
                }
            }
        }
        for i in 0..<width { h[i * width + i] += l2 }
        return h
    }

    /// Newton's method from zero with a backtracking (Armijo) line search. Returns the coefficients
    /// and the steps taken; stops early when no step lowers the objective (the optimum to rounding).
    func newton(tolerance: Double, maxIterations: Int) throws -> (theta: [Double], iterations: Int) {
        var theta = [Double](repeating: 0, count: classCount * d)
        var state = evaluate(theta)
        var steps = 0
        while steps < maxIterations {
            let g = gradient(theta, probabilities: state.probabilities)
            if (g.map(abs).max() ?? 0) < tolerance { break }
            let h = hessian(probabilities: state.probabilities)
            let step = try LinearAlgebra.leastSquares(h, rows: g.count, cols: g.count, g, rcond: 1e-13).coefficients
            let slope = zip(g, step).reduce(0) { $0 + $1.0 * $1.1 }
            var t = 1.0
            var accepted = false
            while t > 1e-12 {
                let trial = zip(theta, step).map { $0 - t * $1 }
                let next = evaluate(trial)
                if next.objective <= state.objective - 1e-4 * t * slope {
                    theta = trial
                    state = next
                    accepted = true
                    break
                }
                t /= 2
            }
            if !accepted { break }
            steps += 1
        }
        return (theta, steps)
    }
}
