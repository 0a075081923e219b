import Learning
import MLCore
import Testing

/// Layer-wise denoising pre-training on images made of a few parts: what it learns must rebuild held-out images
/// from masked copies better than an untrained stack and better than the masked copy itself.
@Suite(.serialized) struct StackedAutoencoderTests {
    /// Rows of 36 values in [0, 1], each the sum of two of four planted patterns plus a little noise.
    static func images(_ n: Int, seed: UInt64) -> Matrix {
        var rng = SeededGenerator(seed: seed)
        var patterns = Matrix(rows: 4, cols: 36)
        for p in 0..<4 { for j in 0..<36 where j % 4 == p || (j / 9) == p { patterns[p, j] = 0.45 } }
        var x = Matrix(rows: n, cols: 36)
        for r in 0..<n {
            let a = rng.nextInt(below: 4)
            let b = (a + 1 + rng.nextInt(below: 3)) % 4
            for j in 0..<36 { x[r, j] = min(max(0.05 + patterns[a, j] + patterns[b, j] + 0.03 * rng.nextNormal(), 0), 1) }
        }
        return x
    }

    @Test func pretrainingLowersHeldOutDenoisingError() throws {
        let train = Self.images(400, seed: 1)
        let heldOut = Self.images(100, seed: 2)
        let noise = Corruption.masking(0.3)
        var rng = SeededGenerator(seed: 5)
        let settings = TrainingSettings(epochs: 60, batchSize: 20, learningRate: 0.01, corruption: noise)
        var first: [Float] = []
        var losses: [Float] = []
        let sda = try StackedAutoencoder.pretrain(x: train, sizes: [16, 6], settings: settings, using: &rng) { layer, epoch, l in
            if epoch == 1 { first.append(l) }
            if epoch == settings.epochs { losses.append(l) }
            #expect(layer < 2)
        }
        #expect(losses.count == 2 && zip(first, losses).allSatisfy { $0 > $1 })
        #expect(sda.codeSize == 6 && sda.decoder.codeSize == 6 && sda.decoder.outputSize == 36)

        var untrainedRNG = SeededGenerator(seed: 5)
        let untrained = try StackedAutoencoder.pretrain(
            x: train, sizes: [16, 6], settings: TrainingSettings(epochs: 1, batchSize: 400, learningRate: 1e-6, corruption: noise),
            using: &untrainedRNG)
        var e1 = SeededGenerator(seed: 9)
        var e2 = SeededGenerator(seed: 9)
        var e3 = SeededGenerator(seed: 9)
        let trainedError = sda.denoisingError(heldOut, noise: noise, using: &e1)
        let untrainedError = untrained.denoisingError(heldOut, noise: noise, using: &e2)
        let masked = noise.apply(heldOut, using: &e3)
        let identityError = zip(masked.data, heldOut.data).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / Float(heldOut.data.count)
        #expect(trainedError < 0.5 * untrainedError, "trained \(trainedError), untrained \(untrainedError)")
        #expect(trainedError < 0.5 * identityError, "trained \(trainedError), the masked copy itself \(identityError)")

        // The paper's classifier: the encoder, then a softmax layer on the code.
        let classifier = sda.classifier(classes: 3, using: &rng)
        #expect(classifier.inputSize == 36 && classifier.classCount == 3 && classifier.network.layers.count == 5)
        // Refitting the decoder to the (here unchanged) encoder keeps it a decoder of the same shape.
        let refit = try sda.refittingDecoder(
            to: sda.encoder, x: train, settings: TrainingSettings(epochs: 5, batchSize: 20, learningRate: 0.01), using: &rng)
        var e4 = SeededGenerator(seed: 9)
        #expect(refit.denoisingError(heldOut, noise: noise, using: &e4) < untrainedError)
    }

    @Test func badPretrainingSettingsAreRefused() {
        var rng = SeededGenerator(seed: 1)
        let x = Self.images(10, seed: 1)
        let clean = TrainingSettings(epochs: 1, batchSize: 5, learningRate: 0.01)
        #expect { try StackedAutoencoder.pretrain(x: x, sizes: [4], settings: clean, using: &rng) } throws: {
            "\($0)".contains("corruption")
        }
        let noisy = TrainingSettings(epochs: 1, batchSize: 5, learningRate: 0.01, corruption: .masking(0.2))
        #expect(throws: TrainingError.self) { try StackedAutoencoder.pretrain(x: x, sizes: [], settings: noisy, using: &rng) }
        var outside = x
        outside.data[3] = 2
        #expect { try StackedAutoencoder.pretrain(x: outside, sizes: [4], settings: noisy, using: &rng) } throws: {
            "\($0)".contains("[0, 1]")
        }
    }
}
