import MLCore
import Testing

/// The edge-preserving denoiser and the sharpener on a synthetic image whose clean version we know.
struct ImageFilterTests {
    static let (width, height) = (24, 20)

    /// A dark left half, a bright right half with a soft vertical gradient: one sharp edge at x = 12.
    static func clean() -> [Float] {
        (0..<(width * height)).map { i in
            let (x, y) = (i % width, i / width)
            return x < 12 ? 0.2 : 0.7 + 0.1 * Float(y) / Float(height)
        }
    }

    static func noisy(_ image: [Float], sigma: Float, seed: UInt64) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        return image.map { $0 + sigma * rng.nextNormal() }
    }

    /// The contrast across the edge: mean of column 12 minus mean of column 11.
    static func edgeStep(_ image: [Float]) -> Float {
        (0..<height).map { image[$0 * width + 12] - image[$0 * width + 11] }.reduce(0, +) / Float(height)
    }

    @Test func bilateralFilterRaisesPSNRAndKeepsTheEdge() {
        let clean = Self.clean()
        let noisy = Self.noisy(clean, sigma: 0.08, seed: 3)
        let denoised = ImageFilters.bilateral(noisy, width: Self.width, height: Self.height, radius: 3, spatialSigma: 2, rangeSigma: 0.15)
        let before = ImageFilters.psnr(noisy, clean)
        let after = ImageFilters.psnr(denoised, clean)
        #expect(after > before + 5, "PSNR \(before) dB noisy, \(after) dB denoised")
        // A Gaussian blur of the same reach averages the edge away; the bilateral filter keeps it.
        let blurred = ImageFilters.gaussianBlur(noisy, width: Self.width, height: Self.height, sigma: 2)
        let step = Self.edgeStep(clean)
        #expect(abs(Self.edgeStep(denoised) - step) < 0.1 * step)
        #expect(Self.edgeStep(blurred) < 0.6 * step)
        // A flat image is left as it is.
        let flat = [Float](repeating: 0.4, count: Self.width * Self.height)
        #expect(ImageFilters.bilateral(flat, width: Self.width, height: Self.height).allSatisfy { abs($0 - 0.4) < 1e-6 })
        // An image holding NaN comes back as it is (no trap), for the caller to report.
        var broken = flat
        broken[7] = .nan
        #expect(ImageFilters.bilateral(broken, width: Self.width, height: Self.height)[7].isNaN)
    }

    @Test func sharpeningSteepensAnEdgeAndStaysInRange() {
        let soft = ImageFilters.gaussianBlur(Self.clean(), width: Self.width, height: Self.height, sigma: 1.5)
        let sharp = ImageFilters.sharpen(soft, width: Self.width, height: Self.height, sigma: 1, amount: 1)
        #expect(Self.edgeStep(sharp) > 1.1 * Self.edgeStep(soft))
        // Away from the edge (a flat part) nothing changes.
        #expect(abs(sharp[5 * Self.width + 3] - soft[5 * Self.width + 3]) < 1e-4)
        #expect(sharp.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(ImageFilters.psnr(soft, soft) == .infinity)
    }
}
