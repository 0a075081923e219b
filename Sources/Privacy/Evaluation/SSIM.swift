import MLCore

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// Structural similarity (Wang, Bovik, Sheikh, Simoncelli, IEEE TIP 2004) with an 11x11 Gaussian
/// window (sigma 1.5), K1 = 0.01, K2 = 0.03, averaged over the valid windows.
///
/// Both images are standardised first (zero mean, unit variance) and mapped to [0, 1] as
/// `(z + 3) / 6`, clamped (plus and minus three standard deviations), with dynamic range L = 1: the
/// score compares structure, not overall brightness or contrast, and an inverted image scores below 0.
public enum SSIM {
    /// SSIM of two images of the given size, in [-1, 1].
    public static func score(_ a: [Float], _ b: [Float], width: Int, height: Int) -> Float {
        precondition(a.count == width * height && b.count == a.count)
        let x = Statistics.standardized(a).map { min(max(($0 + 3) / 6, 0), 1) }
        let y = Statistics.standardized(b).map { min(max(($0 + 3) / 6, 0), 1) }
        let radius = 5
        guard width > 2 * radius, height > 2 * radius else { return .nan }
        var kernel = (-radius...radius).map { expf(-Float($0 * $0) / (2 * 1.5 * 1.5)) }
        let s = kernel.reduce(0, +)
        kernel = kernel.map { $0 / s }
        func blur(_ img: [Float]) -> [Float] {
            var tmp = [Float](repeating: 0, count: img.count)
            var out = [Float](repeating: 0, count: img.count)
            kernel.withUnsafeBufferPointer { k in
                img.withUnsafeBufferPointer { src in
                    tmp.withUnsafeMutableBufferPointer { t in
                        for r in 0..<height {
                            for c in radius..<(width - radius) {
                                var acc: Float = 0
                                let centre = r * width + c
                                for j in 0...(2 * radius) { acc += k[j] * src[centre + j - radius] }
                                t[centre] = acc
                            }
                        }
                    }
                }
                tmp.withUnsafeBufferPointer { t in
                    out.withUnsafeMutableBufferPointer { o in
                        for r in radius..<(height - radius) {
                            for c in radius..<(width - radius) {
                                var acc: Float = 0
                                for j in 0...(2 * radius) { acc += k[j] * t[(r + j - radius) * width + c] }
                                o[r * width + c] = acc
                            }
                        }
                    }
                }
            }
            return out
        }
        let l: Float = 1
        let c1 = (0.01 * l) * (0.01 * l)
        let c2 = (0.03 * l) * (0.03 * l)
        let mx = blur(x)
        let my = blur(y)
        let sxx = blur(x.map { $0 * $0 })
        let syy = blur(y.map { $0 * $0 })
        let sxy = blur(zip(x, y).map { $0 * $1 })
        var total: Double = 0
        var count = 0
        for r in radius..<(height - radius) {
            for c in radius..<(width - radius) {
                let i = r * width + c
                let vx = sxx[i] - mx[i] * mx[i]
                let vy = syy[i] - my[i] * my[i]
                let cov = sxy[i] - mx[i] * my[i]
                let num = (2 * mx[i] * my[i] + c1) * (2 * cov + c2)
                let den = (mx[i] * mx[i] + my[i] * my[i] + c1) * (vx + vy + c2)
                total += Double(num / den)
                count += 1
            }
        }
        return Float(total / Double(count))
    }
}
