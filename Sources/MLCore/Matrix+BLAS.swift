import CBLAS
import Dispatch

/// Whether a matrix enters a product as it is or transposed.
public enum Transpose: Sendable {
    /// Use the matrix as stored.
    case none
    /// Use the transpose.
    case transposed

    var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
}

extension Matrix {
    /// `C = alpha * op(A) * op(B) + beta * C` through OpenBLAS SGEMM.
    public static func gemm(
        _ a: Matrix, _ ta: Transpose, _ b: Matrix, _ tb: Transpose,
        into c: inout Matrix, alpha: Float = 1, beta: Float = 0
    ) {
        let m = ta == .none ? a.rows : a.cols
        let k = ta == .none ? a.cols : a.rows
        let kb = tb == .none ? b.rows : b.cols
        let n = tb == .none ? b.cols : b.rows
        precondition(k == kb, "gemm: inner dimensions \(k) and \(kb) differ")
        precondition(c.rows == m && c.cols == n, "gemm: output is \(c.rows)x\(c.cols), expected \(m)x\(n)")
        if m == 0 || n == 0 { return }
        if k == 0 {
            for i in c.data.indices { c.data[i] *= beta }
            return
        }
        a.data.withUnsafeBufferPointer { pa in
            b.data.withUnsafeBufferPointer { pb in
                c.data.withUnsafeMutableBufferPointer { pc in
                    cblas_sgemm(
                        CblasRowMajor, ta.cblas, tb.cblas, Int32(m), Int32(n), Int32(k),
                        alpha, pa.baseAddress, Int32(a.cols), pb.baseAddress, Int32(b.cols),
                        beta, pc.baseAddress, Int32(n))
                }
            }
        }
    }

    /// `op(A) * op(B)` as a new matrix.
    public static func product(_ a: Matrix, _ ta: Transpose = .none, _ b: Matrix, _ tb: Transpose = .none) -> Matrix {
        let m = ta == .none ? a.rows : a.cols
        let n = tb == .none ? b.cols : b.rows
        var c = Matrix(rows: m, cols: n)
        gemm(a, ta, b, tb, into: &c)
        return c
    }

    /// Adds `vector` to every row (a bias).
    public mutating func addRowVector(_ vector: [Float]) {
        precondition(vector.count == cols)
        data.withUnsafeMutableBufferPointer { d in
            vector.withUnsafeBufferPointer { v in
                for r in 0..<rows {
                    let base = r * cols
                    for c in 0..<cols { d[base + c] += v[c] }
                }
            }
        }
    }

    /// The sum of each column (a 1 x cols result as an array).
    public func columnSums() -> [Float] {
        var out = [Float](repeating: 0, count: cols)
        data.withUnsafeBufferPointer { d in
            for r in 0..<rows {
                let base = r * cols
                for c in 0..<cols { out[c] += d[base + c] }
            }
        }
        return out
    }

    /// `self += alpha * other` (SAXPY over the whole storage).
    public mutating func add(_ other: Matrix, scaledBy alpha: Float = 1) {
        precondition(rows == other.rows && cols == other.cols, "add: shapes differ")
        let n = Int32(data.count)
        other.data.withUnsafeBufferPointer { x in
            data.withUnsafeMutableBufferPointer { y in
                cblas_saxpy(n, alpha, x.baseAddress, 1, y.baseAddress, 1)
            }
        }
    }

    /// Multiplies every element by `alpha`.
    public mutating func scale(by alpha: Float) {
        let n = Int32(data.count)
        data.withUnsafeMutableBufferPointer { y in cblas_sscal(n, alpha, y.baseAddress, 1) }
    }

    /// The squared Frobenius norm.
    public var squaredNorm: Float {
        let n = Int32(data.count)
        return data.withUnsafeBufferPointer { x in
            let nrm = cblas_snrm2(n, x.baseAddress, 1)
            return nrm * nrm
        }
    }
}

extension Matrix {
    /// `C = alpha * A * B + beta * C` with `B`'s columns split into `parts` blocks, each multiplied by
    /// a single-threaded SGEMM on its own core.
    ///
    /// For a short, wide `A` (a few dozen rows) OpenBLAS's own threading scales poorly (measured here:
    /// 58 GFLOP/s on one thread, 72 on two for 40 x 3000 x 3000); splitting the columns gives each core
    /// an independent product. OpenBLAS is limited to one thread for the duration and restored after.
    public static func gemmSplittingColumns(
        _ a: Matrix, _ b: Matrix, into c: inout Matrix,
        alpha: Float = 1, beta: Float = 0, parts: Int
    ) {
        precondition(a.cols == b.rows, "gemm: inner dimensions \(a.cols) and \(b.rows) differ")
        precondition(c.rows == a.rows && c.cols == b.cols, "gemm: output is \(c.rows)x\(c.cols), expected \(a.rows)x\(b.cols)")
        let parts = max(1, min(parts, b.cols))
        // Below about 10 MFLOP the threads cost more than they save.
        if parts == 1 || a.rows == 0 || a.rows * a.cols * b.cols < 5_000_000 {
            gemm(a, .none, b, .none, into: &c, alpha: alpha, beta: beta)
            return
        }
        let m = a.rows
        let k = a.cols
        let n = b.cols
        BLASInfo.singleThreaded {
            a.data.withUnsafeBufferPointer { pa in
                b.data.withUnsafeBufferPointer { pb in
                    c.data.withUnsafeMutableBufferPointer { pc in
                        let pa = pa.baseAddress
                        let pb = pb.baseAddress!
                        let pc = pc.baseAddress!
                        nonisolated(unsafe) let (bp, cp) = (pb, pc)
                        DispatchQueue.concurrentPerform(iterations: parts) { part in
                            let start = part * n / parts
                            let end = (part + 1) * n / parts
                            cblas_sgemm(
                                CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(end - start), Int32(k),
                                alpha, pa, Int32(k), bp + start, Int32(n), beta, cp + start, Int32(n))
                        }
                    }
                }
            }
        }
    }
}

/// OpenBLAS on raw row-major buffers, for inner loops that keep their own buffers (no Matrix per call).
public enum BLAS {
    /// `C = alpha * op(A) * op(B) + beta * C`, row-major; `m x k` times `k x n`, leading dimensions as stored.
    public static func gemm(
        _ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Float>, _ lda: Int, transposeA: Bool, _ b: UnsafePointer<Float>, _ ldb: Int,
        transposeB: Bool, _ c: UnsafeMutablePointer<Float>, _ ldc: Int, alpha: Float = 1, beta: Float = 0
    ) {
        guard m > 0, n > 0, k > 0 else { return }
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// `y += alpha * x` over `n` values (SAXPY).
    public static func axpy(_ n: Int, _ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        guard n > 0 else { return }
        cblas_saxpy(Int32(n), alpha, x, 1, y, 1)
    }

    /// `gemm` in double precision (DGEMM), for small solvers that keep their sums exact to many digits.
    public static func gemm(
        _ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Double>, _ lda: Int, transposeA: Bool, _ b: UnsafePointer<Double>,
        _ ldb: Int, transposeB: Bool, _ c: UnsafeMutablePointer<Double>, _ ldc: Int, alpha: Double = 1, beta: Double = 0
    ) {
        guard m > 0, n > 0, k > 0 else { return }
        cblas_dgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}
