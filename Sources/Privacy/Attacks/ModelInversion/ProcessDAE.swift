import Foundation
import Learning
import MLCore

/// Process-DAE, the Process step of MI-Face against a denoising autoencoder's classifier (section 5.2 of
/// Fredrikson et al., CCS 2015): each iterate is a code; it is decoded to an image, denoised with an
/// edge-preserving filter, sharpened, and encoded again, so that the descent stays among codes of face-like images.
///
/// Reference: M. Fredrikson, S. Jha, T. Ristenpart, CCS 2015, section 5.2. doi:10.1145/2810103.2813677
///
/// Deviations: the paper does not name its denoiser or sharpener; here a bilateral filter and unsharp masking
/// (`ImageFilters`), with the parameters below.
public struct ProcessDAE: Sendable {
    /// Image to code (the classifier's encoder).
    public var encoder: Network
    /// Code to image.
    public var decoder: Decoder
    /// Image width in pixels.
    public var width: Int
    /// Image height in pixels.
    public var height: Int
    /// The bilateral filter's window radius in pixels.
    public var radius = 2
    /// The bilateral filter's spatial standard deviation in pixels.
    public var spatialSigma: Float = 1.5
    /// The bilateral filter's range standard deviation (pixel values in [0, 1]).
    public var rangeSigma: Float = 0.1
    /// Unsharp masking's blur deviation in pixels.
    public var sharpenSigma: Float = 1
    /// Unsharp masking's amount (0: no sharpening).
    public var sharpenAmount: Float = 0.3

    /// Process-DAE with the encoder and decoder of `autoencoder` for images of `width` x `height`.
    public init(encoder: Network, decoder: Decoder, width: Int, height: Int) {
        self.encoder = encoder
        self.decoder = decoder
        self.width = width
        self.height = height
    }

    /// Checks that the halves fit each other and the image size; the error says which does not.
    public func validate() throws {
        guard decoder.outputSize == width * height, encoder.inputWidth == width * height else {
            throw AttackError(
                description:
                    "Process-DAE: the decoder makes \(decoder.outputSize) values and the encoder takes \(encoder.inputWidth), "
                    + "but the images have \(width * height) pixels")
        }
        guard encoder.outputWidth == decoder.codeSize else {
            throw AttackError(
                description: "Process-DAE: the encoder makes codes of \(encoder.outputWidth), the decoder reads \(decoder.codeSize)")
        }
    }

    /// The image each code stands for after denoising and sharpening.
    public func images(_ codes: Matrix) -> Matrix {
        var x = decoder.decode(codes)
        let decoded = x
        let lock = NSLock()
        // Rows are filtered one per core; each row's result depends only on that row.
        try? Parallel.run(x.rows) { r in
            let clean = ImageFilters.bilateral(
                decoded.row(r), width: width, height: height, radius: radius, spatialSigma: spatialSigma, rangeSigma: rangeSigma)
            let done =
                sharpenAmount > 0
                ? ImageFilters.sharpen(clean, width: width, height: height, sigma: sharpenSigma, amount: sharpenAmount) : clean
            lock.lock()
            x.setRow(r, done)
            lock.unlock()
        }
        return x
    }

    /// Decode, denoise, sharpen, re-encode: the next iterate for each code.
    public func callAsFunction(_ codes: Matrix) -> Matrix { encoder(images(codes)) }

    /// This Process as MI-Face's `process` closure.
    public var step: @Sendable (Matrix) -> Matrix {
        let me = self
        return { me($0) }
    }
}
