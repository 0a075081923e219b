import MLCore

/// A stacked denoising autoencoder (Vincent, Larochelle, Lajoie, Bengio, Manzagol, JMLR 2010): an encoder of
/// sigmoid layers `input -> sizes[0] -> ... -> code` and the decoder that maps a code back to an input, pre-trained
/// one layer at a time, each layer learning to rebuild its clean input from a corrupted copy.
///
/// Deviations: encoder and decoder weights are untied (each layer's decoder has its own weights); every layer is
/// trained with binary cross-entropy, which suits pixels and sigmoid codes in [0, 1].
public struct StackedAutoencoder: Sendable, Equatable {
    /// Input to code: dense and sigmoid layers.
    public var encoder: Network
    /// Code to input: the layers' decoders in reverse order, each dense and sigmoid.
    public var decoder: Decoder

    /// An autoencoder of these halves.
    public init(encoder: Network, decoder: Decoder) {
        self.encoder = encoder
        self.decoder = decoder
    }

    /// The code's width.
    public var codeSize: Int { encoder.outputWidth }

    /// Layer-wise denoising pre-training on the rows of `x` (values in [0, 1]): layer i learns, under
    /// `settings` (whose `corruption` is the noise, masking in the paper's setting), to rebuild the clean codes
    /// of the layers below from corrupted ones. `onEpoch(layer, epoch, loss)` reports training.
    public static func pretrain(
        x: Matrix, sizes: [Int], settings: TrainingSettings, using rng: inout SeededGenerator,
        onEpoch: (_ layer: Int, _ epoch: Int, _ loss: Float) -> Void = { _, _, _ in }
    ) throws -> StackedAutoencoder {
        guard !sizes.isEmpty, sizes.allSatisfy({ $0 >= 1 }) else {
            throw TrainingError.invalidSetting("a stacked autoencoder needs at least one layer of at least one unit (got \(sizes))")
        }
        guard settings.corruption != nil else {
            throw TrainingError.invalidSetting("denoising pre-training needs input corruption (masking or Gaussian noise)")
        }
        if let bad = x.data.first(where: { !($0 >= 0 && $0 <= 1) }) {
            throw TrainingError.shapeMismatch("pre-training inputs must lie in [0, 1] (found \(bad))")
        }
        var encoders: [any Layer] = []
        var decoders: [[any Layer]] = []
        var input = x
        for (i, size) in sizes.enumerated() {
            let layer = Network(layers: [
                Dense(inputs: input.cols, outputs: size, using: &rng), Activation.sigmoid,
                Dense(inputs: size, outputs: input.cols, using: &rng), Activation.sigmoid,
            ])
            let trained = try Trainer(settings).fit(
                layer, x: input, targets: .rows(input), loss: .binaryCrossEntropy, using: &rng, onEpoch: { onEpoch(i, $0, $1) })
            encoders += trained.layers.prefix(2)
            decoders.insert(Array(trained.layers.suffix(2)), at: 0)
            input = Network(layers: Array(trained.layers.prefix(2)))(input)
        }
        return StackedAutoencoder(encoder: Network(layers: encoders), decoder: Decoder(Network(layers: decoders.flatMap { $0 })))
    }

    /// The code of each row.
    public func encode(_ x: Matrix) -> Matrix { encoder(x) }

    /// Each row rebuilt: decode(encode(x)).
    public func reconstruct(_ x: Matrix) -> Matrix { decoder.decode(encoder(x)) }

    /// The mean squared error per value of rebuilding the clean rows of `x` from copies corrupted by `noise`.
    public func denoisingError(_ x: Matrix, noise: Corruption, using rng: inout SeededGenerator) -> Float {
        let rebuilt = reconstruct(noise.apply(x, using: &rng))
        var s: Float = 0
        for (a, b) in zip(rebuilt.data, x.data) { s += (a - b) * (a - b) }
        return s / Float(max(x.data.count, 1))
    }

    /// The classifier the paper fine-tunes: the encoder followed by a softmax layer on the code.
    public func classifier(classes: Int, using rng: inout SeededGenerator) -> NeuralClassifier {
        NeuralClassifier(encoder.then(Network(layers: [Dense(inputs: codeSize, outputs: classes, using: &rng)])))
    }

    /// This autoencoder with its decoder retrained to invert `encoder` (the fine-tuned one) on the rows of `x`,
    /// so that decode(encode(x)) rebuilds x again after fine-tuning moved the encoder.
    public func refittingDecoder(
        to encoder: Network, x: Matrix, settings: TrainingSettings, using rng: inout SeededGenerator
    ) throws -> StackedAutoencoder {
        let codes = encoder(x)
        let refit = try Trainer(settings).fit(decoder, codes: codes, outputs: x, loss: .binaryCrossEntropy, using: &rng)
        return StackedAutoencoder(encoder: encoder, decoder: refit)
    }
}
