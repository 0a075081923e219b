import MLCore

/// A model that maps inputs (one per row) to one real number each.
public protocol Regressor {
    /// Length of one input row.
    var inputSize: Int { get }
    /// One prediction per row of `x`.
    func predict(_ x: Matrix) -> [Float]
}

/// A linear model could not be fitted; the message names the column or value at fault.
public struct RegressionError: Error, CustomStringConvertible, Sendable {
    /// What went wrong.
    public let description: String
}

/// `y = b + x . w`, optionally with predictions clipped to a range (a deployed dosing table never
/// prescribes outside its plausible doses).
public struct LinearRegression: Regressor, Sendable, Equatable {
    /// One weight per input column.
    public var weights: [Float]
    /// The constant term.
    public var intercept: Float
    /// Predictions are clipped into this range when set.
    public var outputRange: ClosedRange<Float>?

    /// A linear model with the given parameters.
    public init(weights: [Float], intercept: Float, outputRange: ClosedRange<Float>? = nil) {
        self.weights = weights
        self.intercept = intercept
        self.outputRange = outputRange
    }

    /// Input length.
    public var inputSize: Int { weights.count }

    /// Ordinary least squares with an intercept (LAPACK, by SVD). `columnNames` name the columns
    /// in errors; a column that is constant or a combination of others (a category absent from
    /// the rows, say) is an error rather than a silent minimum-norm answer.
    public static func fit(x: Matrix, y: [Float], columnNames: [String]? = nil) throws -> LinearRegression {
        guard x.rows == y.count else {
            throw RegressionError(description: "linear regression: \(x.rows) rows but \(y.count) targets")
        }
        guard x.rows > x.cols else {
            throw RegressionError(description: "linear regression: \(x.rows) rows cannot determine \(x.cols + 1) coefficients")
        }
        if let r = (0..<x.rows).first(where: { r in !x.row(r).allSatisfy { $0.isFinite } }) {
            throw RegressionError(description: "linear regression: row \(r) holds NaN or infinity; impute or drop missing values first")
        }
        if let r = y.firstIndex(where: { !$0.isFinite }) {
            throw RegressionError(description: "linear regression: target \(r) is NaN or infinity")
        }
        var design = Matrix(rows: x.rows, cols: x.cols + 1, repeating: 1)
        for r in 0..<x.rows {
            for c in 0..<x.cols { design[r, c + 1] = x[r, c] }
        }
        let solution: LeastSquaresSolution
        do {
            solution = try LinearAlgebra.leastSquares(design, y, rcond: 1e-9)
        } catch let e as LinearAlgebraError {
            throw RegressionError(description: "linear regression: \(e.description)")
        }
        guard solution.rank == design.cols else {
            let names = columnNames ?? (0..<x.cols).map { "column \($0)" }
            let culprit = (0..<x.cols).first { c in
                let v = x[0, c]
                return (0..<x.rows).allSatisfy { x[$0, c] == v }
            }
            let which = culprit.map { "'\(names[$0])' is constant over the rows" } ?? "some columns are linear combinations of others"
            throw RegressionError(
                description: "linear regression: the design has rank \(solution.rank) of \(design.cols): \(which); "
                    + "drop the column or use more rows")
        }
        let c = solution.coefficients.map(Float.init)
        return LinearRegression(weights: Array(c.dropFirst()), intercept: c[0])
    }

    /// Predictions `b + x w` (BLAS matrix-vector product), clipped to `outputRange` when set.
    public func predict(_ x: Matrix) -> [Float] {
        precondition(x.cols == weights.count, "linear regression: rows have \(x.cols) values, the model takes \(weights.count)")
        var out = Matrix(rows: x.rows, cols: 1, repeating: intercept)
        Matrix.gemm(x, .none, Matrix(rows: weights.count, cols: 1, data: weights), .none, into: &out, beta: 1)
        guard let range = outputRange else { return out.data }
        return out.data.map { min(max($0, range.lowerBound), range.upperBound) }
    }

    /// The residual standard deviation `sqrt(sum (y - f(x))^2 / (n - p))`, p counting the intercept.
    public func residualStandardDeviation(x: Matrix, y: [Float]) -> Float {
        let p = predict(x)
        var s = 0.0
        for i in y.indices { s += Double(y[i] - p[i]) * Double(y[i] - p[i]) }
        let dof = max(y.count - weights.count - 1, 1)
        return Float((s / Double(dof)).squareRoot())
    }
}
