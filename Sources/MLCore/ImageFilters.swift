#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// Filters on grey images stored row-major as `width * height` values (one image per matrix row where a matrix is
/// taken): an edge-preserving denoiser, a Gaussian blur, unsharp-mask sharpening and the PSNR that scores them.
public enum ImageFilters {
    /// The bilateral filter (Tomasi and Manduchi, ICCV 1998): each pixel becomes the average of its neighbours
    /// within `radius`, each weighted by exp(-d^2 / 2 spatialSigma^2) for its distance d and by
    /// exp(-(I_p - I_q)^2 / 2 rangeSigma^2) for its difference in value, so that noise is averaged away while an
    /// edge (a large difference) is kept. Neighbours outside the image are left out of the average.
    public static func bilateral(
        _ image: [Float], width: Int, height: Int, radius: Int = 3, spatialSigma: Float = 2, rangeSigma: Float = 0.1
    ) -> [Float] {
        precondition(image.count == width * height, "ImageFilters.bilateral: \(image.count) values for \(width) x \(height)")
        // A value that is not finite has no place in the table; such an image is returned as it is, for the caller's
        // own finiteness check (MI-Face stops on a non-finite cost) to report.
        guard radius > 0, image.allSatisfy(\.isFinite) else { return image }
        let side = 2 * radius + 1
        var spatial = [Float](repeating: 0, count: side * side)
        for dy in -radius...radius {
            for dx in -radius...radius {
                spatial[(dy + radius) * side + dx + radius] = expf(-Float(dx * dx + dy * dy) / (2 * spatialSigma * spatialSigma))
            }
        }
        // The range weight from a table over |difference| (4096 steps up to the image's value range): one look-up
        // instead of an exponential per neighbour, within 1e-3 of the exact weight.
        let lo = image.min() ?? 0
        let span = max((image.max() ?? 0) - lo, 1e-6)
        let steps = 4096
        let perStep = span / Float(steps - 1)
        let table = (0..<steps).map { i -> Float in
            let d = Float(i) * perStep
            return expf(-d * d / (2 * rangeSigma * rangeSigma))
        }
        let toIndex = 1 / perStep
        var out = image
        image.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<height {
                    for x in 0..<width {
                        let centre = src[y * width + x]
                        var total: Float = 0
                        var weights: Float = 0
                        for dy in max(-radius, -y)...min(radius, height - 1 - y) {
                            let row = (y + dy) * width
                            let wrow = (dy + radius) * side + radius
                            for dx in max(-radius, -x)...min(radius, width - 1 - x) {
                                let v = src[row + x + dx]
                                let w = spatial[wrow + dx] * table[min(Int(abs(v - centre) * toIndex + 0.5), steps - 1)]
                                total += w * v
                                weights += w
                            }
                        }
                        dst[y * width + x] = total / weights
                    }
                }
            }
        }
        return out
    }

    /// A Gaussian blur of standard deviation `sigma` pixels (separable, truncated at 3 sigma, edges clamped).
    public static func gaussianBlur(_ image: [Float], width: Int, height: Int, sigma: Float) -> [Float] {
        precondition(image.count == width * height, "ImageFilters.gaussianBlur: \(image.count) values for \(width) x \(height)")
        let radius = max(1, Int((3 * sigma).rounded(.up)))
        var kernel = (-radius...radius).map { expf(-Float($0 * $0) / (2 * sigma * sigma)) }
        let sum = kernel.reduce(0, +)
        for i in kernel.indices { kernel[i] /= sum }
        var across = image
        for y in 0..<height {
            for x in 0..<width {
                var s: Float = 0
                for k in -radius...radius { s += kernel[k + radius] * image[y * width + min(max(x + k, 0), width - 1)] }
                across[y * width + x] = s
            }
        }
        var out = across
        for y in 0..<height {
            for x in 0..<width {
                var s: Float = 0
                for k in -radius...radius { s += kernel[k + radius] * across[min(max(y + k, 0), height - 1) * width + x] }
                out[y * width + x] = s
            }
        }
        return out
    }

    /// Unsharp masking: x + amount (x - blur(x)), which steepens edges; values are clamped into [0, 1].
    public static func sharpen(_ image: [Float], width: Int, height: Int, sigma: Float = 1, amount: Float = 0.5) -> [Float] {
        let blurred = gaussianBlur(image, width: width, height: height, sigma: sigma)
        return zip(image, blurred).map { min(max($0 + amount * ($0 - $1), 0), 1) }
    }

    /// The peak signal-to-noise ratio of `image` against `reference`, in dB, for values whose range is `peak`.
    public static func psnr(_ image: [Float], _ reference: [Float], peak: Float = 1) -> Double {
        precondition(image.count == reference.count && !image.isEmpty, "ImageFilters.psnr: images of different sizes")
        var squared = 0.0
        for (a, b) in zip(image, reference) { squared += Double((a - b) * (a - b)) }
        let mse = squared / Double(image.count)
        return mse == 0 ? .infinity : 10 * log10(Double(peak * peak) / mse)
    }
}
