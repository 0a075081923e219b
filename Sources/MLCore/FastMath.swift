/// Vectorised elementwise functions for the inner loops of training, where libm's scalar `tanhf` and
/// `expf` cost more than the matrix products (measured: a third of the time of training 64 Location models).
///
/// `exp` reduces x = k ln 2 + r with |r| <= ln 2 / 2 and sums the Taylor series of e^r to r^7 (truncation
/// below 6e-9 relative), then scales by 2^k through the exponent bits; `tanh` is 1 - 2 / (e^(2x) + 1) on x
/// clamped to [-10, 10], where tanh rounds to +-1 in float. Both are accurate to a few units in the
/// last place of a float (the tests compare them with libm over the whole range used).
public enum FastMath {
    /// e^x for every lane (x clamped to [-87, 88], where e^x stays a normal float).
    @inlinable @inline(__always)
    public static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let clamped = clamp(x, -87, 88)
        // k = round(x / ln 2) by the 1.5 * 2^23 trick: adding it leaves k in the low bits of the float, with no
        // float-to-integer conversion (which Swift's SIMD types perform one lane at a time).
        let magic = SIMD8<Float>(repeating: 12_582_912)
        let shifted = clamped * 1.442_695_04 + magic
        let kf = shifted - magic
        // r = x - k ln 2, with ln 2 split in two so the product is exact enough.
        let r = clamped - kf * 0.693_145_75 - kf * 1.428_606_8e-6
        var p = SIMD8<Float>(repeating: 1.0 / 5040)
        p = p * r + 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        // 2^k: k sits in the low mantissa bits of `shifted` (0x4B40_0000 + k); move it into the exponent field.
        let bits = unsafeBitCast(shifted, to: SIMD8<UInt32>.self) &- 0x4B40_0000 &+ 127
        let scale = unsafeBitCast(bits &<< 23, to: SIMD8<Float>.self)
        return p * scale
    }

    /// The square root of every lane (non-negative lanes; 0 gives 0). Swift's `squareRoot()` on SIMD types goes
    /// lane by lane through libm (a third of the time of Adam's step, measured); here the inverse square root
    /// starts from the exponent-halving bit trick and three Newton steps take it to float precision (relative
    /// error below 3e-7, tested against libm), so the whole computation is vector multiplies.
    @inlinable @inline(__always)
    public static func sqrt(_ x: SIMD8<Float>) -> SIMD8<Float> {
        var y = unsafeBitCast(0x5F37_5A86 &- (unsafeBitCast(x, to: SIMD8<UInt32>.self) &>> 1), to: SIMD8<Float>.self)
        let half = 0.5 * x
        y = y * (1.5 - half * y * y)
        y = y * (1.5 - half * y * y)
        y = y * (1.5 - half * y * y)
        return x * y
    }

    /// The natural logarithm of every lane (positive, normal lanes): x = m 2^e with m in [sqrt(1/2), sqrt(2)],
    /// ln x = e ln 2 + 2 atanh((m - 1) / (m + 1)), the series to the ninth power (truncation below 1e-9).
    @inlinable @inline(__always)
    public static func log(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let bits = unsafeBitCast(x, to: SIMD8<UInt32>.self)
        // The exponent as a float without a conversion instruction (Swift converts vectors lane by lane): its 8 bits
        // as the low mantissa bits of 2^23, minus 2^23 + 127. A mantissa above sqrt 2 is halved and the exponent
        // raised, by bit operations on a mask (vector selects also go lane by lane).
        var m = unsafeBitCast((bits & 0x007F_FFFF) | 0x3F80_0000, to: SIMD8<Float>.self)
        let big = unsafeBitCast(m .> 1.414_213_56, to: SIMD8<UInt32>.self)  // all ones where true
        let exponentBits = (bits &>> 23) &+ (big & 1)
        let e = unsafeBitCast(exponentBits | 0x4B00_0000, to: SIMD8<Float>.self) - 8_388_735
        m = unsafeBitCast(unsafeBitCast(m, to: SIMD8<UInt32>.self) &- (big & 0x0080_0000), to: SIMD8<Float>.self)
        let s = (m - 1) / (m + 1)
        let s2 = s * s
        var p = SIMD8<Float>(repeating: 1.0 / 9)
        p = p * s2 + 1.0 / 7
        p = p * s2 + 1.0 / 5
        p = p * s2 + 1.0 / 3
        p = p * s2 + 1
        return e * 0.693_147_18 + 2 * s * p
    }

    /// The sine and cosine of every lane of x in [-pi/4, pi/4]: Taylor series to the 9th and 8th powers
    /// (truncation below 2e-9 and 3e-8 there; absolute error below 1e-7 in all, tested against libm).
    @inlinable @inline(__always)
    public static func sincos(_ x: SIMD8<Float>) -> (sin: SIMD8<Float>, cos: SIMD8<Float>) {
        let x2 = x * x
        var s = SIMD8<Float>(repeating: 1.0 / 362_880)
        s = s * x2 - 1.0 / 5040
        s = s * x2 + 1.0 / 120
        s = s * x2 - 1.0 / 6
        s = s * x2 * x + x
        var c = SIMD8<Float>(repeating: 1.0 / 40320)
        c = c * x2 - 1.0 / 720
        c = c * x2 + 1.0 / 24
        c = c * x2 - 0.5
        c = c * x2 + 1
        return (s, c)
    }

    /// Every lane limited to [lo, hi], by selects (the standard library's `clamped` goes lane by lane).
    @inlinable @inline(__always)
    public static func clamp(_ x: SIMD8<Float>, _ lo: Float, _ hi: Float) -> SIMD8<Float> {
        let low = SIMD8<Float>(repeating: lo)
        let high = SIMD8<Float>(repeating: hi)
        return x.replacing(with: low, where: x .< low).replacing(with: high, where: x .> high)
    }

    /// tanh(x) for every lane.
    @inlinable @inline(__always)
    public static func tanh(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let clamped = clamp(x, -10, 10)
        let e = exp(clamped * 2)
        return 1 - 2 / (e + 1)
    }

    /// Replaces each of `n` values with its tanh.
    public static func tanh(_ x: UnsafeMutablePointer<Float>, _ n: Int) {
        var i = 0
        let raw = UnsafeMutableRawPointer(x)
        while i + 8 <= n {
            let v = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            raw.storeBytes(of: tanh(v), toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        if i < n {
            var tail = SIMD8<Float>(repeating: 0)
            for j in i..<n { tail[j - i] = x[j] }
            let t = tanh(tail)
            for j in i..<n { x[j] = t[j - i] }
        }
    }

    /// Replaces each of `n` values with its logistic sigmoid 1 / (1 + e^-x).
    public static func sigmoid(_ x: UnsafeMutablePointer<Float>, _ n: Int) {
        var i = 0
        let raw = UnsafeMutableRawPointer(x)
        while i + 8 <= n {
            let v = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            raw.storeBytes(of: 1 / (1 + exp(-v)), toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        if i < n {
            var tail = SIMD8<Float>(repeating: 0)
            for j in i..<n { tail[j - i] = x[j] }
            let t = 1 / (1 + exp(-tail))
            for j in i..<n { x[j] = t[j - i] }
        }
    }
}
