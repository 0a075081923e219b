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

    /// Fills `count` floats with independent N(0, sigma^2) deviates by the Box-Muller transform, in vector arithmetic
    /// throughout (the noise of private training, where a deviate per parameter per step makes scalar generation
    /// the bottleneck):
    /// - the uniforms come from eight xoshiro128+ streams side by side in the lanes of a vector (seeded from this
    ///   generator, 16 draws per call), each turned into a float by its top 23 bits as a mantissa (no conversion
    ///   instruction, which Swift's vectors perform lane by lane); the radius's uniform lies in (0, 1];
    /// - the angle is a quadrant (2 bits) plus an angle in [-pi/4, pi/4) (23 bits), uniform on the circle; `FastMath`
    ///   gives its sine and cosine, and the quadrant swaps and negates them.
    public mutating func fillNormal(_ out: UnsafeMutablePointer<Float>, count: Int, sigma: Float) {
        guard count > 0 else { return }
        var lanes = LaneGenerator(seededFrom: &self)
        let raw = UnsafeMutableRawPointer(out)
        var i = 0
        // 32 deviates an iteration, as two independent halves: the polynomials are chains of dependent operations,
        // and two of them in flight keep the vector units busy (measured: 10 % more deviates per second).
        while i < count {
            let (a0, b0, a1, b1) = (lanes.next(), lanes.next(), lanes.next(), lanes.next())
            let (x0, y0) = Self.boxMuller(a0, b0, sigma)
            let (x1, y1) = Self.boxMuller(a1, b1, sigma)
            if i + 32 <= count {
                raw.storeBytes(of: x0, toByteOffset: i * 4, as: SIMD8<Float>.self)
                raw.storeBytes(of: y0, toByteOffset: (i + 8) * 4, as: SIMD8<Float>.self)
                raw.storeBytes(of: x1, toByteOffset: (i + 16) * 4, as: SIMD8<Float>.self)
                raw.storeBytes(of: y1, toByteOffset: (i + 24) * 4, as: SIMD8<Float>.self)
            } else {
                let all = [x0, y0, x1, y1]
                for k in 0..<(count - i) { out[i + k] = all[k / 8][k % 8] }
            }
            i += 32
        }
    }

    /// Eight pairs of N(0, sigma^2) deviates from two vectors of 32 random bits.
    @inline(__always)
    static func boxMuller(_ a: SIMD8<UInt32>, _ b: SIMD8<UInt32>, _ sigma: Float) -> (SIMD8<Float>, SIMD8<Float>) {
        let one = SIMD8<UInt32>(repeating: 0x3F80_0000)
        let u1 = 2 - unsafeBitCast((a &>> 9) | one, to: SIMD8<Float>.self)
        let t = unsafeBitCast(((b &<< 2) &>> 9) | one, to: SIMD8<Float>.self)
        let radius = sigma * FastMath.sqrt(-2 * FastMath.log(u1))
        let (s, c) = FastMath.sincos((t - 1.5) * (Float.pi / 2))
        let quadrant = b &>> 30
        // Quadrants 1 and 3 swap sine and cosine; 1 and 2 negate the cosine, 2 and 3 the sine (bit operations:
        // vector selects go lane by lane).
        let swap = 0 &- (quadrant & 1)
        let (cBits, sBits) = (unsafeBitCast(c, to: SIMD8<UInt32>.self), unsafeBitCast(s, to: SIMD8<UInt32>.self))
        let cosBits = (cBits & ~swap) | (sBits & swap)
        let sinBits = (sBits & ~swap) | (cBits & swap)
        return (
            radius * unsafeBitCast(cosBits ^ (((quadrant &+ 1) & 2) &<< 30), to: SIMD8<Float>.self),
            radius * unsafeBitCast(sinBits ^ ((quadrant & 2) &<< 30), to: SIMD8<Float>.self)
        )
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

/// Eight xoshiro128+ generators in the lanes of a vector (Blackman and Vigna): add, xor, shift and rotate only,
/// so every step is a handful of vector instructions. Only the top bits are used (xoshiro128+'s low bits are weak).
struct LaneGenerator {
    var s0: SIMD8<UInt32>
    var s1: SIMD8<UInt32>
    var s2: SIMD8<UInt32>
    var s3: SIMD8<UInt32>

    /// Lanes seeded from 16 draws of `parent` (never all zero: a zero lane state is replaced).
    init(seededFrom parent: inout SeededGenerator) {
        func vector(_ a: UInt64, _ b: UInt64, _ c: UInt64, _ d: UInt64) -> SIMD8<UInt32> {
            SIMD8<UInt32>(
                UInt32(truncatingIfNeeded: a), UInt32(truncatingIfNeeded: a >> 32), UInt32(truncatingIfNeeded: b),
                UInt32(truncatingIfNeeded: b >> 32), UInt32(truncatingIfNeeded: c), UInt32(truncatingIfNeeded: c >> 32),
                UInt32(truncatingIfNeeded: d), UInt32(truncatingIfNeeded: d >> 32))
        }
        s0 = vector(parent.next(), parent.next(), parent.next(), parent.next())
        s1 = vector(parent.next(), parent.next(), parent.next(), parent.next())
        s2 = vector(parent.next(), parent.next(), parent.next(), parent.next())
        s3 = vector(parent.next(), parent.next(), parent.next(), parent.next())
        let zero = (s0 | s1 | s2 | s3) .== 0
        s0.replace(with: 1, where: zero)
    }

    /// The next 32 bits of every lane.
    @inline(__always)
    mutating func next() -> SIMD8<UInt32> {
        let result = s0 &+ s3
        let t = s1 &<< 9
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = (s3 &<< 11) | (s3 &>> 21)
        return result
    }
}
