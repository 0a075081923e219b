import MLCore

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// The inner loops of `ShallowTrainer`, on raw buffers.
enum Kernels {
    /// `y += x` over `n` values.
    @inline(__always)
    static func add(_ n: Int, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        let xr = UnsafeRawPointer(x)
        let yr = UnsafeMutableRawPointer(y)
        var i = 0
        while i + 16 <= n {
            let s =
                yr.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
                + xr.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            yr.storeBytes(of: s, toByteOffset: i * 4, as: SIMD16<Float>.self)
            i += 16
        }
        while i < n {
            y[i] += x[i]
            i += 1
        }
    }

    /// `y += a * x` over `n` values.
    @inline(__always)
    static func axpy(_ n: Int, _ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        let xr = UnsafeRawPointer(x)
        let yr = UnsafeMutableRawPointer(y)
        var i = 0
        while i + 16 <= n {
            let s =
                yr.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self) + a
                * xr.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            yr.storeBytes(of: s, toByteOffset: i * 4, as: SIMD16<Float>.self)
            i += 16
        }
        while i < n {
            y[i] += a * x[i]
            i += 1
        }
    }

    /// The first layer of one sparse row: `out = bias + sum over non-zeros k of values[k] * W[columns[k], :]`,
    /// 32 outputs at a time held in registers across all the row's non-zeros (`values` nil: all ones).
    @inline(__always)
    static func sparseRow(
        _ h: Int, _ w: UnsafePointer<Float>, _ bias: UnsafePointer<Float>, _ columns: UnsafePointer<Int32>,
        _ values: UnsafePointer<Float>?, _ lo: Int, _ hi: Int, _ out: UnsafeMutablePointer<Float>
    ) {
        let wr = UnsafeRawPointer(w)
        let br = UnsafeRawPointer(bias)
        let outr = UnsafeMutableRawPointer(out)
        var c0 = 0
        while c0 + 32 <= h {
            var a0 = br.loadUnaligned(fromByteOffset: c0 * 4, as: SIMD16<Float>.self)
            var a1 = br.loadUnaligned(fromByteOffset: (c0 + 16) * 4, as: SIMD16<Float>.self)
            if let values {
                for k in lo..<hi {
                    let o = (Int(columns[k]) * h + c0) * 4
                    a0 += values[k] * wr.loadUnaligned(fromByteOffset: o, as: SIMD16<Float>.self)
                    a1 += values[k] * wr.loadUnaligned(fromByteOffset: o + 64, as: SIMD16<Float>.self)
                }
            } else {
                for k in lo..<hi {
                    let o = (Int(columns[k]) * h + c0) * 4
                    a0 += wr.loadUnaligned(fromByteOffset: o, as: SIMD16<Float>.self)
                    a1 += wr.loadUnaligned(fromByteOffset: o + 64, as: SIMD16<Float>.self)
                }
            }
            outr.storeBytes(of: a0, toByteOffset: c0 * 4, as: SIMD16<Float>.self)
            outr.storeBytes(of: a1, toByteOffset: (c0 + 16) * 4, as: SIMD16<Float>.self)
            c0 += 32
        }
        if c0 < h {
            let rest = h - c0
            (out + c0).update(from: bias + c0, count: rest)
            for k in lo..<hi {
                let row = w + Int(columns[k]) * h + c0
                let v = values?[k] ?? 1
                for j in 0..<rest { out[c0 + j] += v * row[j] }
            }
        }
    }

    /// Row-major `C = op(A) op(B) + beta C` through OpenBLAS (`m x k` by `k x n`).
    @inline(__always)
    static func gemm(
        _ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Float>, _ lda: Int, _ ta: Bool, _ b: UnsafePointer<Float>, _ ldb: Int,
        _ tb: Bool, _ c: UnsafeMutablePointer<Float>, _ ldc: Int, beta: Float
    ) {
        BLAS.gemm(m, n, k, a, lda, transposeA: ta, b, ldb, transposeB: tb, c, ldc, beta: beta)
    }

    /// Adam on `range` of the buffers (beta1 0.9, beta2 0.999, epsilon 1e-8; L2 added to the gradient), clearing
    /// the gradient as it goes. The same arithmetic as `Trainer`'s Adam, with the vector square root of `FastMath`
    /// (within a unit or two in the last place of libm's).
    static func adam(
        _ p: inout [Float], _ g: inout [Float], _ m: inout [Float], _ v: inout [Float], _ range: Range<Int>, lr: Float, c1: Float,
        c2: Float, l2: Float
    ) {
        p.withUnsafeMutableBufferPointer { p in
            g.withUnsafeMutableBufferPointer { g in
                m.withUnsafeMutableBufferPointer { m in
                    v.withUnsafeMutableBufferPointer { v in
                        let a = lr / c1
                        let invC2 = 1 / c2
                        let (pr, gr, mr, vr) = (
                            UnsafeMutableRawPointer(p.baseAddress!), UnsafeMutableRawPointer(g.baseAddress!),
                            UnsafeMutableRawPointer(m.baseAddress!), UnsafeMutableRawPointer(v.baseAddress!)
                        )
                        var i = range.lowerBound
                        while i + 8 <= range.upperBound {
                            let o = i * 4
                            let pi = pr.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
                            let gi = gr.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self) + l2 * pi
                            let mi = 0.9 * mr.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self) + 0.1 * gi
                            let vi = 0.999 * vr.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self) + 0.001 * gi * gi
                            mr.storeBytes(of: mi, toByteOffset: o, as: SIMD8<Float>.self)
                            vr.storeBytes(of: vi, toByteOffset: o, as: SIMD8<Float>.self)
                            pr.storeBytes(of: pi - a * mi / (FastMath.sqrt(vi * invC2) + 1e-8), toByteOffset: o, as: SIMD8<Float>.self)
                            gr.storeBytes(of: SIMD8<Float>(repeating: 0), toByteOffset: o, as: SIMD8<Float>.self)
                            i += 8
                        }
                        while i < range.upperBound {
                            let gi = g[i] + l2 * p[i]
                            m[i] = 0.9 * m[i] + 0.1 * gi
                            v[i] = 0.999 * v[i] + 0.001 * gi * gi
                            p[i] -= a * m[i] / ((v[i] * invC2).squareRoot() + 1e-8)
                            g[i] = 0
                            i += 1
                        }
                    }
                }
            }
        }
    }

    /// The optimiser step of the first layer's weights for a sparse batch, without a gradient buffer: for each input
    /// feature j, its gradient row is the sum of the batch's dZ1 rows that have j non-zero (times the value), found
    /// through the batch's column index (`colStart`, `colRows`, `colValues`), plus L2. The sum is kept in registers,
    /// 16 outputs at a time, and the optimiser steps those 16 weights at once: the same arithmetic as `adam` or
    /// `momentum` on a full gradient, with no gradient stored, cleared or read back. Under DP-SGD `noise` holds each
    /// weight's Gaussian noise (in the first layer's place of the gradient buffer), added and cleared.
    static func sparseFirstLayerStep(
        _ inputs: Int, _ h: Int, colStart: UnsafePointer<Int32>, colRows: UnsafePointer<Int32>, colValues: UnsafePointer<Float>?,
        dz: UnsafePointer<Float>, p: UnsafeMutablePointer<Float>, m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>,
        optimizer: Optimizer, lr: Float, c1: Float, c2: Float, l2: Float, noise: UnsafeMutablePointer<Float>?
    ) {
        let noiseRaw = noise.map { UnsafeMutableRawPointer($0) }
        let dzr = UnsafeRawPointer(dz)
        let (pr, mr, vr) = (UnsafeMutableRawPointer(p), UnsafeMutableRawPointer(m), UnsafeMutableRawPointer(v))
        let a = lr / c1
        let invC2 = 1 / c2
        /// The optimiser on the 8 weights at byte offset `o`, whose summed gradient is `g`.
        @inline(__always) func step8(_ o: Int, _ g: SIMD8<Float>) {
            let pi = pr.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
            let gi = g + l2 * pi
            switch optimizer {
            case .adam:
                let mi = 0.9 * mr.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self) + 0.1 * gi
                let vi = 0.999 * vr.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self) + 0.001 * gi * gi
                mr.storeBytes(of: mi, toByteOffset: o, as: SIMD8<Float>.self)
                vr.storeBytes(of: vi, toByteOffset: o, as: SIMD8<Float>.self)
                pr.storeBytes(of: pi - a * mi / (FastMath.sqrt(vi * invC2) + 1e-8), toByteOffset: o, as: SIMD8<Float>.self)
            case .sgd(let mu):
                let velocity = mu * mr.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self) + gi
                mr.storeBytes(of: velocity, toByteOffset: o, as: SIMD8<Float>.self)
                pr.storeBytes(of: pi - lr * velocity, toByteOffset: o, as: SIMD8<Float>.self)
            }
        }
        for j in 0..<inputs {
            let lo = Int(colStart[j])
            let hi = Int(colStart[j + 1])
            var c0 = 0
            while c0 < h {
                let width = min(16, h - c0)
                var g = SIMD16<Float>(repeating: 0)
                if width == 16 {
                    for e in lo..<hi {
                        let row = dzr.loadUnaligned(fromByteOffset: (Int(colRows[e]) * h + c0) * 4, as: SIMD16<Float>.self)
                        if let colValues { g += colValues[e] * row } else { g += row }
                    }
                } else {
                    for e in lo..<hi {
                        let value = colValues?[e] ?? 1
                        for t in 0..<width { g[t] += value * dz[Int(colRows[e]) * h + c0 + t] }
                    }
                }
                if let noiseRaw {
                    let at = (j * h + c0) * 4
                    if width == 16 {
                        g += noiseRaw.loadUnaligned(fromByteOffset: at, as: SIMD16<Float>.self)
                        noiseRaw.storeBytes(of: SIMD16<Float>(repeating: 0), toByteOffset: at, as: SIMD16<Float>.self)
                    } else {
                        for t in 0..<width {
                            g[t] += noise![j * h + c0 + t]
                            noise![j * h + c0 + t] = 0
                        }
                    }
                }
                let o = (j * h + c0) * 4
                if width == 16 {
                    step8(o, g.lowHalf)
                    step8(o + 32, g.highHalf)
                } else {
                    for t in 0..<width {
                        let i = j * h + c0 + t
                        let gi = g[t] + l2 * p[i]
                        switch optimizer {
                        case .adam:
                            m[i] = 0.9 * m[i] + 0.1 * gi
                            v[i] = 0.999 * v[i] + 0.001 * gi * gi
                            p[i] -= a * m[i] / ((v[i] * invC2).squareRoot() + 1e-8)
                        case .sgd(let mu):
                            m[i] = mu * m[i] + gi
                            p[i] -= lr * m[i]
                        }
                    }
                }
                c0 += width
            }
        }
    }

    /// SGD with heavy-ball momentum on `range`: velocity = mu velocity + gradient + L2 p; p -= lr velocity.
    static func momentum(
        _ p: inout [Float], _ g: inout [Float], _ velocity: inout [Float], _ range: Range<Int>, lr: Float, mu: Float, l2: Float
    ) {
        for i in range {
            velocity[i] = mu * velocity[i] + g[i] + l2 * p[i]
            p[i] -= lr * velocity[i]
            g[i] = 0
        }
    }
}
