import CLAPACK

/// A LAPACK routine failed; the message says which and why.
public struct LinearAlgebraError: Error, CustomStringConvertible, Sendable {
    /// What failed.
    public let description: String
}

/// The minimum-norm least-squares solution of `A x ≈ b`, with the numerical rank of `A`.
public struct LeastSquaresSolution: Sendable {
    /// The solution `x`, one value per column of `A`.
    public let coefficients: [Double]
    /// The numerical rank of `A` (columns when it has full rank).
    public let rank: Int
    /// The singular values of `A`, largest first.
    public let singularValues: [Double]
}

/// The eigen-decomposition of a symmetric matrix.
public struct SymmetricEigen: Sendable {
    /// Eigenvalues in ascending order.
    public let values: [Double]
    /// Eigenvectors, row-major `n x n`: column `j` is the unit eigenvector of `values[j]`.
    public let vectors: [Double]
}

/// Dense linear algebra through LAPACK (double precision: these are small systems whose
/// covariates differ in scale by orders of magnitude, where single precision loses digits).
public enum LinearAlgebra {
    /// Solves `min ||A x - b||_2` by SVD (LAPACK `dgelsd`); singular values below
    /// `rcond` times the largest count as zero.
    public static func leastSquares(_ a: Matrix, _ b: [Float], rcond: Double = 1e-10) throws -> LeastSquaresSolution {
        guard a.rows == b.count else {
            throw LinearAlgebraError(description: "least squares: \(a.rows) rows but \(b.count) targets")
        }
        guard a.rows > 0, a.cols > 0 else {
            throw LinearAlgebraError(description: "least squares: the design matrix is empty (\(a.rows)x\(a.cols))")
        }
        guard a.isFinite, b.allSatisfy({ $0.isFinite }) else {
            throw LinearAlgebraError(description: "least squares: the design matrix or the targets hold NaN or infinity")
        }
        return try leastSquares(a.data.map(Double.init), rows: a.rows, cols: a.cols, b.map(Double.init), rcond: rcond)
    }

    /// `leastSquares` on a row-major `rows x cols` matrix held in double precision (small systems solved
    /// in a loop, such as Newton steps, keep their digits).
    public static func leastSquares(_ a: [Double], rows m: Int, cols n: Int, _ b: [Double], rcond: Double = 1e-10) throws
        -> LeastSquaresSolution
    {
        guard m > 0, n > 0, a.count == m * n else {
            throw LinearAlgebraError(description: "least squares: \(a.count) values do not form a \(m)x\(n) matrix")
        }
        guard b.count == m else { throw LinearAlgebraError(description: "least squares: \(m) rows but \(b.count) targets") }
        guard a.allSatisfy({ $0.isFinite }), b.allSatisfy({ $0.isFinite }) else {
            throw LinearAlgebraError(description: "least squares: the design matrix or the targets hold NaN or infinity")
        }
        var aa = a
        var bb = [Double](repeating: 0, count: max(m, n))
        for i in 0..<m { bb[i] = b[i] }
        var s = [Double](repeating: 0, count: min(m, n))
        var rank: Int32 = 0
        let info = LAPACKE_dgelsd(
            LAPACK_ROW_MAJOR, Int32(m), Int32(n), 1, &aa, Int32(n),
            &bb, 1, &s, rcond, &rank)
        guard info == 0 else {
            throw LinearAlgebraError(description: "least squares: LAPACK dgelsd failed (info \(info)); the SVD did not converge")
        }
        return LeastSquaresSolution(coefficients: Array(bb.prefix(n)), rank: Int(rank), singularValues: s)
    }

    /// Eigenvalues and eigenvectors of the symmetric `n x n` row-major matrix `a` (LAPACK `dsyevd`).
    public static func symmetricEigen(_ a: [Double], n: Int) throws -> SymmetricEigen {
        guard n > 0, a.count == n * n else {
            throw LinearAlgebraError(description: "eigen-decomposition: \(a.count) values do not form a \(n)x\(n) matrix")
        }
        guard a.allSatisfy({ $0.isFinite }) else {
            throw LinearAlgebraError(description: "eigen-decomposition: the matrix holds NaN or infinity")
        }
        var v = a
        var w = [Double](repeating: 0, count: n)
        let info = LAPACKE_dsyevd(
            LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "U")),
            Int32(n), &v, Int32(n), &w)
        guard info == 0 else {
            throw LinearAlgebraError(description: "eigen-decomposition: LAPACK dsyevd failed (info \(info))")
        }
        return SymmetricEigen(values: w, vectors: v)
    }
}
