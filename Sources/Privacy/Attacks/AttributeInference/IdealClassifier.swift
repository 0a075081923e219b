import Foundation
import Learning
import MLCore

/// Fredrikson et al.'s "ideal" reference: no model inversion, but a classifier trained on the
/// training cohort itself to predict the sensitive value from the other attributes (by default
/// with the dose). It shows how much of the value those attributes carry at all.
///
/// The learner is multinomial logistic regression on standardised features, fitted to the optimum
/// of a stated objective: mean cross-entropy + l2 / 2 * ||theta||^2 over every coefficient
/// (intercepts included), by Newton's method until the largest gradient entry is below a
/// tolerance. The answer then depends on `l2` alone, not on a step size, an epoch count or a seed;
/// mini-batch Adam for a fixed number of epochs is kept as a solver to show what stopping early does.
///
/// Reference: Fredrikson et al., USENIX Security 2014, section 4.2 ("ideal" predictor).
///
/// Deviations:
/// - The paper does not fix the learner; logistic regression suits the few, mostly binary
///   attributes, and its optimum is reproducible to the last digit.
public struct IdealClassifier: Sendable {
    /// How the objective is minimised.
    public enum Solver: Sendable, Equatable {
        /// Newton's method on the whole cohort with a backtracking line search, stopping when the
        /// largest gradient entry falls below `tolerance` or after `maxIterations` steps.
        case newton(tolerance: Double, maxIterations: Int)
        /// Mini-batch Adam (batches of 64) from zero for a fixed number of epochs, no other stopping rule;
        /// its L2 leaves the intercepts free (the trainer's convention).
        case adam(epochs: Int, learningRate: Float, seed: UInt64)

        /// Newton to a gradient below `IdealClassifier.tolerance` (at most 100 steps; 5 to 10 are typical).
        public static let converged = Solver.newton(tolerance: IdealClassifier.tolerance, maxIterations: 100)
    }

    /// The largest gradient entry at which the default solver calls the fit converged.
    public static let tolerance = 1e-9

    /// The L2 penalty's weight in the objective.
    public var l2: Double = 1e-4
    /// The solver.
    public var solver: Solver = .converged

    /// The defaults: l2 1e-4, Newton to convergence.
    public init() {}

    /// A classifier with this penalty and solver.
    public init(l2: Double, solver: Solver = .converged) {
        self.l2 = l2
        self.solver = solver
    }

    /// Trains on `x` (one row per patient) and the sensitive values `labels` in 0..<classCount.
    public func fit(x: Matrix, labels: [Int], classCount: Int) throws -> FittedIdealClassifier {
        guard x.rows == labels.count, x.rows > 0 else {
            throw AttackError(description: "ideal classifier: \(x.rows) rows for \(labels.count) labels")
        }
        guard classCount >= 2, labels.allSatisfy({ (0..<classCount).contains($0) }) else {
            throw AttackError(description: "ideal classifier: labels must lie in 0..<\(classCount) with at least two classes")
        }
        guard x.isFinite else { throw AttackError(description: "ideal classifier: the features hold NaN or infinity") }
        guard l2 >= 0, l2.isFinite else { throw AttackError(description: "ideal classifier: l2 must be non-negative (got \(l2))") }
        var mean = [Float](repeating: 0, count: x.cols)
        var scale = [Float](repeating: 1, count: x.cols)
        for c in 0..<x.cols {
            let column = (0..<x.rows).map { x[$0, c] }
            mean[c] = Statistics.mean(column)
            let s = Statistics.standardDeviation(column)
            scale[c] = s > 0 ? s : 1
        }
        let z = FittedIdealClassifier.standardize(x, mean: mean, scale: scale)
        let problem = SoftmaxObjective(z: z, labels: labels, classCount: classCount, l2: l2)
        var theta: [Double]
        var iterations = 0
        switch solver {
        case .newton(let tolerance, let maxIterations):
            guard tolerance > 0, maxIterations >= 0 else {
                throw AttackError(description: "ideal classifier: Newton needs a positive tolerance and a non-negative step count")
            }
            (theta, iterations) = try problem.newton(tolerance: tolerance, maxIterations: maxIterations)
        case .adam(let epochs, let learningRate, let seed):
            var rng = SeededGenerator(seed: seed)
            let settings = TrainingSettings(epochs: epochs, batchSize: 64, learningRate: learningRate, l2: Float(l2), optimizer: .adam)
            let network = try Trainer(settings).fit(
                .softmaxRegression(inputs: x.cols, classes: classCount), x: z, labels: labels, using: &rng)
            guard case .dense(let layer) = network.layers.first else { throw AttackError(description: "ideal classifier: no dense layer") }
            theta = (0..<classCount).flatMap { k in (0..<x.cols).map { Double(layer.weight[k, $0]) } + [Double(layer.bias[k])] }
            iterations = epochs
        }
        let state = problem.evaluate(theta)
        let gradient = problem.gradient(theta, probabilities: state.probabilities)
        let d = x.cols + 1
        let weight = Matrix(
            rows: classCount, cols: x.cols, data: (0..<classCount).flatMap { k in (0..<x.cols).map { Float(theta[k * d + $0]) } })
        let bias = (0..<classCount).map { Float(theta[$0 * d + x.cols]) }
        return FittedIdealClassifier(
            network: Network(layers: [.dense(Dense(weight: weight, bias: bias))]), mean: mean, scale: scale,
            fit: IdealFit(
                iterations: iterations, crossEntropy: state.crossEntropy, objective: state.objective,
                largestGradient: gradient.map(abs).max() ?? 0))
    }
}

/// How a fit ended: on the training rows, at the returned coefficients.
public struct IdealFit: Sendable, Equatable {
    /// Newton steps taken, or Adam epochs.
    public let iterations: Int
    /// Mean cross-entropy of the training labels.
    public let crossEntropy: Double
    /// Cross-entropy plus the L2 penalty: what the Newton solver minimises.
    public let objective: Double
    /// The largest entry of the objective's gradient (0 at the optimum).
    public let largestGradient: Double
}

/// A trained ideal classifier with its feature standardisation.
public struct FittedIdealClassifier: Sendable {
    /// Softmax regression on standardised features.
    public let network: Network
    /// Per-column means of the training features.
    public let mean: [Float]
    /// Per-column standard deviations (1 for constant columns).
    public let scale: [Float]
    /// How the fit ended.
    public let fit: IdealFit

    static func standardize(_ x: Matrix, mean: [Float], scale: [Float]) -> Matrix {
        var z = x
        for r in 0..<x.rows {
            for c in 0..<x.cols { z[r, c] = (x[r, c] - mean[c]) / scale[c] }
        }
        return z
    }

    /// Class probabilities for each row, as an inference.
    public func run(_ x: Matrix) -> AttributeInference {
        let p = network.probabilities(FittedIdealClassifier.standardize(x, mean: mean, scale: scale))
        return AttributeInference(posteriors: (0..<p.rows).map { r in p.row(r).map(Double.init) })
    }
}

/// Mean cross-entropy of softmax regression plus l2 / 2 * ||theta||^2, in double precision.
/// theta is `classCount x (features + 1)` row-major, the intercept last in each row.
struct SoftmaxObjective {
    let n: Int
    let d: Int
    let classCount: Int
    let labels: [Int]
    let l2: Double
    /// Rows of standardised features with a trailing 1, `n x d`.
    let z: [Double]

    init(z features: Matrix, labels: [Int], classCount: Int, l2: Double) {
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
