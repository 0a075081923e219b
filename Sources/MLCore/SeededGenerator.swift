/// A seeded pseudo-random generator (xoshiro256**, seeded through SplitMix64): the same seed gives the same stream on every machine.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s: (UInt64, UInt64, UInt64, UInt64)

    /// A generator whose whole stream is fixed by `seed`.
    public init(seed: UInt64) {
        var sm = seed
        func splitMix() -> UInt64 {
            sm &+= 0x9E37_79B9_7F4A_7C15
            var z = sm
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    /// A generator for a named sub-task, independent of the parent's other streams.
    public func derived(_ stream: UInt64) -> SeededGenerator {
        SeededGenerator(seed: s.0 ^ (stream &* 0x9E37_79B9_7F4A_7C15) ^ s.2)
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotl(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = rotl(s.3, 45)
        return result
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A uniform Float in [0, 1), from the top 24 bits (the same on every platform).
    public mutating func nextUniform() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// A standard normal deviate (Box-Muller on two uniforms).
    public mutating func nextNormal() -> Float {
        let u1 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        let r = (-2.0 * _log(max(u1, 1e-300))).squareRoot()
        return Float(r * _cos(2.0 * Double.pi * u2))
    }

    /// Fills `count` floats with independent N(0, sigma^2) deviates by the Box-Muller transform, eight pairs at a
    /// time in vector arithmetic (`FastMath` log, square root, sine and cosine): the noise of private training,
    /// where a deviate per parameter per step makes libm's scalar functions the bottleneck. Each deviate uses
    /// 24-bit uniforms, the radius's uniform never 0.
    public mutating func fillNormal(_ out: UnsafeMutablePointer<Float>, count: Int, sigma: Float) {
        let raw = UnsafeMutableRawPointer(out)
        var i = 0
        while i < count {
            var u1 = SIMD8<Float>()
            var u2 = SIMD8<Float>()
            for k in 0..<8 {
                let r = next()
                u1[k] = (Float(r >> 40) + 0.5) * (1.0 / 16_777_216.0)
                u2[k] = Float((r >> 16) & 0xFF_FFFF) * (1.0 / 16_777_216.0)
            }
            let radius = sigma * FastMath.sqrt(-2 * FastMath.log(u1))
            let (s, c) = FastMath.sincos(2 * Float.pi * u2 - Float.pi)
            let (first, second) = (radius * c, radius * s)
            if i + 16 <= count {
                raw.storeBytes(of: first, toByteOffset: i * 4, as: SIMD8<Float>.self)
                raw.storeBytes(of: second, toByteOffset: (i + 8) * 4, as: SIMD8<Float>.self)
            } else {
                for k in 0..<(count - i) { out[i + k] = k < 8 ? first[k] : second[k - 8] }
            }
            i += 16
        }
    }

    /// A Laplace deviate with location 0 and scale `b` (density exp(-|x|/b) / 2b), by inverting
    /// the distribution function on a 53-bit uniform; in double precision because the scale can be large.
    public mutating func nextLaplace(scale b: Double) -> Double {
        // u uniform on (-1/2, 1/2): x = -b sign(u) ln(1 - 2|u|).
        let u = (Double(next() >> 11) + 0.5) * (1.0 / 9_007_199_254_740_992.0) - 0.5
        let magnitude = -b * _log(1 - 2 * Swift.abs(u))
        return u < 0 ? -magnitude : magnitude
    }

    /// A uniform integer in 0..<n, without modulo bias.
    public mutating func nextInt(below n: Int) -> Int {
        precondition(n > 0)
        let bound = UInt64(n)
        let threshold = (0 &- bound) % bound
        while true {
            let r = next()
            if r >= threshold { return Int(r % bound) }
        }
    }

    /// A seeded Fisher-Yates shuffle that does not depend on the standard library's algorithm.
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            let j = nextInt(below: i + 1)
            array.swapAt(i, j)
        }
    }

    /// A random permutation of 0..<n.
    public mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        shuffle(&p)
        return p
    }

    /// A random half of 0..<count (count / 2 indices, in increasing order): one model's training set in a
    /// membership-inference experiment.
    public mutating func half(of count: Int) -> [Int] {
        Array(permutation(count).prefix(count / 2)).sorted()
    }

    /// `k` distinct indices drawn from `pool` without replacement.
    public mutating func sample<T>(_ pool: [T], count k: Int) -> [T] {
        precondition(k <= pool.count)
        var p = pool
        for i in 0..<k {
            let j = i + nextInt(below: p.count - i)
            p.swapAt(i, j)
        }
        return Array(p[0..<k])
    }
}

#if canImport(Glibc)
    import Glibc
    @inline(__always) private func _log(_ x: Double) -> Double { Glibc.log(x) }
    @inline(__always) private func _cos(_ x: Double) -> Double { Glibc.cos(x) }
#else
    import Darwin
    @inline(__always) private func _log(_ x: Double) -> Double { Darwin.log(x) }
    @inline(__always) private func _cos(_ x: Double) -> Double { Darwin.cos(x) }
#endif
