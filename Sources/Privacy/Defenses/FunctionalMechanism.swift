import Foundation
import Learning
import MLCore

/// The objective `sum_i (y_i - x_i . w)^2` of a linear regression written as a polynomial in the
/// weights: a constant, one coefficient per weight, one per product of two weights.
public struct QuadraticObjective: Sendable, Equatable {
    /// Number of weights d (the intercept counts as one: its input is the constant 1).
    public let dimension: Int
    /// Coefficient of the monomial 1.
    public var constant: Double
    /// Coefficient of w_j.
    public var linear: [Double]
    /// Coefficient of w_j w_l for j <= l, row by row: (0,0), (0,1), ..., (0,d-1), (1,1), ...
    public var quadratic: [Double]

    /// Every monomial coefficient, constant first (the vector the mechanism perturbs).
    public var coefficients: [Double] { [constant] + linear + quadratic }

    /// The coefficients of `sum_i (y_i - x_i . w)^2` for rows `x` and targets `y`
    /// (Gram matrix and `x^T y` through BLAS).
    public init(x: Matrix, y: [Float]) {
        let d = x.cols
        dimension = d
        let gram = Matrix.product(x, .transposed, x)
        let xty = Matrix.product(x, .transposed, Matrix(rows: y.count, cols: 1, data: y))
        constant = y.reduce(0.0) { $0 + Double($1) * Double($1) }
        linear = xty.data.map { -2 * Double($0) }
        var q: [Double] = []
        q.reserveCapacity(d * (d + 1) / 2)
        for j in 0..<d {
            for l in j..<d { q.append(j == l ? Double(gram[j, j]) : 2 * Double(gram[j, l])) }
        }
        quadratic = q
    }

    /// The objective's value at `w`.
    public func value(_ w: [Double]) -> Double {
        var s = constant
        var k = 0
        for j in 0..<dimension {
            s += linear[j] * w[j]
            for l in j..<dimension {
                s += quadratic[k] * w[j] * w[l]
                k += 1
            }
        }
        return s
    }
}

/// A defence's settings or inputs are unusable; the message says which and how to fix it.
public struct DefenseError: Error, CustomStringConvertible, Sendable {
    /// What is wrong.
    public let description: String
}

/// A differentially private linear regression and what it took to get it.
public struct PrivateRegression: Sendable {
    /// The fitted model in the data's original units (predictions clipped to the target's bounds).
    public let model: LinearRegression
    /// Eigenvalues of the noisy quadratic form that were not positive and were trimmed away.
    public let trimmedDirections: Int
}

/// The functional mechanism: epsilon-differentially private linear regression by perturbing the
/// coefficients of the objective's polynomial, then minimising the noisy objective.
///
/// Reference: J. Zhang, Z. Zhang, X. Xiao, Y. Yang, M. Winslett, "Functional Mechanism: Regression
/// Analysis under Differential Privacy", PVLDB 5(11), 2012: Algorithm 1, section 4.2 (linear
/// regression) and section 5.2 (spectral trimming). Used by Fredrikson et al., USENIX Security 2014.
///
/// Noise scale. Every input is scaled into [-1, 1] and so is the target (bounds fixed in advance,
/// values outside clipped). One tuple t contributes (y - x.w)^2 = y^2 - sum_j 2 y x_j w_j
/// + sum_{j,l} x_j x_l w_j w_l, so the absolute values of its monomial coefficients sum to at most
/// 1 + 2d + d^2 (|y|, |x_j| <= 1, and sum_{j,l} |x_j x_l| = (sum_j |x_j|)^2 <= d^2). Two neighbouring
/// datasets differ in one tuple, so the coefficient vectors differ by at most
/// Delta = 2 (1 + 2d + d^2) = 2 (d + 1)^2 in L1 norm (Zhang et al., section 4.2). Adding Laplace noise
/// of scale Delta / epsilon to each coefficient is epsilon-differentially private (their Lemma 1
/// and Theorem 1). Everything after that is post-processing.
///
/// Deviations:
/// - The paper's regularisation (section 5.1) is not added; spectral trimming alone makes the noisy
///   objective bounded, and predictions are clipped to the target's public range (a dose table
///   never prescribes outside it).
public struct FunctionalMechanism: Sendable {
    /// The privacy budget.
    public let epsilon: Double

    /// A mechanism with budget `epsilon`.
    public init(epsilon: Double) {
        self.epsilon = epsilon
    }

    /// L1 sensitivity of the coefficient vector for `dimension` weights (intercept included).
    public static func sensitivity(dimension d: Int) -> Double {
        2 * Double((d + 1) * (d + 1))
    }

    /// Scale of the Laplace noise on each coefficient.
    public func noiseScale(dimension d: Int) -> Double {
        FunctionalMechanism.sensitivity(dimension: d) / epsilon
    }

    /// Checks the budget.
    public func validate() throws {
        guard epsilon > 0, epsilon.isFinite else {
            throw DefenseError(description: "functional mechanism: epsilon must be a positive number (got \(epsilon))")
        }
    }

    /// The objective with independent Laplace noise of scale Delta / epsilon on every coefficient.
    public func perturb(_ objective: QuadraticObjective, using rng: inout SeededGenerator) -> QuadraticObjective {
        let b = noiseScale(dimension: objective.dimension)
        var noisy = objective
        noisy.constant += rng.nextLaplace(scale: b)
        for j in noisy.linear.indices { noisy.linear[j] += rng.nextLaplace(scale: b) }
        for k in noisy.quadratic.indices { noisy.quadratic[k] += rng.nextLaplace(scale: b) }
        return noisy
    }

    /// The minimiser of `objective` over the directions where its quadratic form is positive
    /// (spectral trimming, Zhang et al. section 5.2), and how many directions were trimmed.
    public static func minimize(_ objective: QuadraticObjective) throws -> (weights: [Double], trimmed: Int) {
        let d = objective.dimension
        // Symmetric M with w^T M w equal to the quadratic part: off-diagonal monomials split in two.
        var m = [Double](repeating: 0, count: d * d)
        var k = 0
        for j in 0..<d {
            for l in j..<d {
                if j == l {
                    m[j * d + j] = objective.quadratic[k]
                } else {
                    m[j * d + l] = objective.quadratic[k] / 2
                    m[l * d + j] = objective.quadratic[k] / 2
                }
                k += 1
            }
        }
        let eigen = try LinearAlgebra.symmetricEigen(m, n: d)
        // In the eigenbasis the objective separates: lambda v^2 + (q^T a) v, minimised at v = -(q^T a) / (2 lambda).
        var w = [Double](repeating: 0, count: d)
        var trimmed = 0
        for e in 0..<d {
            let lambda = eigen.values[e]
            guard lambda > 0 else {
                trimmed += 1
                continue
            }
            var qa = 0.0
            for j in 0..<d { qa += eigen.vectors[j * d + e] * objective.linear[j] }
            let v = -qa / (2 * lambda)
            for j in 0..<d { w[j] += v * eigen.vectors[j * d + e] }
        }
        return (w, trimmed)
    }

    /// Fits `y ~ x` privately. `bounds` give each column's public range and `targetBounds` the
    /// target's; values outside are clipped before scaling to [-1, 1].
    public func fit(
        x: Matrix, y: [Float], bounds: [ClosedRange<Float>], targetBounds: ClosedRange<Float>,
        using rng: inout SeededGenerator
    ) throws -> PrivateRegression {
        try validate()
        let scaled = try FunctionalMechanism.scaled(x: x, y: y, bounds: bounds, targetBounds: targetBounds)
        let noisy = perturb(QuadraticObjective(x: scaled.x, y: scaled.y), using: &rng)
        let (w, trimmed) = try FunctionalMechanism.minimize(noisy)
        return PrivateRegression(
            model: FunctionalMechanism.unscaled(w, bounds: bounds, targetBounds: targetBounds), trimmedDirections: trimmed)
    }

    /// Rows `[1, scaled x]` and scaled targets, every value in [-1, 1].
    public static func scaled(
        x: Matrix, y: [Float], bounds: [ClosedRange<Float>],
        targetBounds: ClosedRange<Float>
    ) throws -> (x: Matrix, y: [Float]) {
        guard bounds.count == x.cols, x.rows == y.count else {
            throw DefenseError(
                description: "functional mechanism: \(x.cols) columns with \(bounds.count) bounds, \(x.rows) rows with \(y.count) targets")
        }
        guard x.isFinite, y.allSatisfy({ $0.isFinite }) else {
            throw DefenseError(description: "functional mechanism: the data hold NaN or infinity; drop or impute missing values first")
        }
        if let c = bounds.firstIndex(where: { $0.upperBound <= $0.lowerBound }) {
            throw DefenseError(description: "functional mechanism: column \(c) has an empty range \(bounds[c])")
        }
        func unit(_ v: Float, _ r: ClosedRange<Float>) -> Float {
            2 * (min(max(v, r.lowerBound), r.upperBound) - r.lowerBound) / (r.upperBound - r.lowerBound) - 1
        }
        var xs = Matrix(rows: x.rows, cols: x.cols + 1, repeating: 1)
        for r in 0..<x.rows {
            for c in 0..<x.cols { xs[r, c + 1] = unit(x[r, c], bounds[c]) }
        }
        return (xs, y.map { unit($0, targetBounds) })
    }

    /// The model in original units from weights `[intercept, w_1...]` fitted on scaled data.
    static func unscaled(_ w: [Double], bounds: [ClosedRange<Float>], targetBounds: ClosedRange<Float>) -> LinearRegression {
        // x_s = s x + t with s = 2 / (hi - lo), t = -2 lo / (hi - lo) - 1; likewise y_s = sy y + ty.
        func affine(_ r: ClosedRange<Float>) -> (s: Double, t: Double) {
            let width = Double(r.upperBound - r.lowerBound)
            return (2 / width, -2 * Double(r.lowerBound) / width - 1)
        }
        let (sy, ty) = affine(targetBounds)
        var intercept = w[0] - ty
        var weights: [Float] = []
        for (c, r) in bounds.enumerated() {
            let (s, t) = affine(r)
            weights.append(Float(w[c + 1] * s / sy))
            intercept += w[c + 1] * t
        }
        return LinearRegression(weights: weights, intercept: Float(intercept / sy), outputRange: targetBounds)
    }
}
