import Foundation
import Learning
import MLCore
import Testing

/// Each loss's gradient against central finite differences, and the pairing of losses with targets.
struct LossTests {
    /// Outputs in (0.05, 0.95) (valid for binary cross-entropy too) and target rows in [0, 1].
    func batch(seed: UInt64) -> (output: Matrix, rows: Matrix, labels: [Int]) {
        var rng = SeededGenerator(seed: seed)
        var y = Matrix(rows: 4, cols: 5)
        var t = Matrix(rows: 4, cols: 5)
        for i in y.data.indices {
            y.data[i] = 0.05 + 0.9 * rng.nextUniform()
            t.data[i] = rng.nextUniform()
        }
        return (y, t, [0, 4, 2, 2])
    }

    static let losses: [Loss] = [
        .crossEntropy, .smoothedCrossEntropy(0.1), .smoothedCrossEntropy(-0.05), .softCrossEntropy, .squaredError, .binaryCrossEntropy,
    ]

    @Test(arguments: losses)
    func gradientMatchesFiniteDifferences(_ loss: Loss) {
        let (y, rows, labels) = batch(seed: 3)
        var soft = rows
        for r in 0..<soft.rows {
            let sum = soft.row(r).reduce(0, +)
            soft.setRow(r, soft.row(r).map { $0 / sum })
        }
        let targets: TrainingTargets = loss.takesLabels ? .labels(labels) : .rows(loss == .softCrossEntropy ? soft : rows)
        let (_, g) = loss.evaluate(y, targets)
        let worst = worstCentralDifference(at: y, analytic: g) { Double(loss.evaluate($0, targets).loss) }
        #expect(worst < 2e-3, "\(loss): \(worst)")
    }

    /// Smoothing 0 is plain cross-entropy; positive smoothing lowers the loss of a confident right answer's
    /// gradient push, negative smoothing pushes past one-hot (its target exceeds 1 on the label).
    @Test func labelSmoothingMovesTheTarget() {
        let z = Matrix(rowVectors: [[4, 0, 0]])
        let plain = Loss.crossEntropy.evaluate(z, .labels([0]))
        let zero = Loss.smoothedCrossEntropy(0).evaluate(z, .labels([0]))
        #expect(abs(plain.loss - zero.loss) < 1e-6)
        #expect(zip(plain.gradient.data, zero.gradient.data).allSatisfy { abs($0 - $1) < 1e-6 })
        let positive = Loss.smoothedCrossEntropy(0.3).evaluate(z, .labels([0])).gradient[0, 0]
        let negative = Loss.smoothedCrossEntropy(-0.3).evaluate(z, .labels([0])).gradient[0, 0]
        // The label's logit gradient is p - target: smaller target (positive smoothing) means a weaker push up.
        #expect(positive > plain.gradient[0, 0] && negative < plain.gradient[0, 0])
    }

    @Test func targetsThatDoNotSuitTheLossAreErrors() throws {
        var rng = SeededGenerator(seed: 1)
        let x = Matrix(rows: 6, cols: 3, repeating: 0.5)
        let net = Network(layers: [Dense(inputs: 3, outputs: 2, using: &rng)])
        let trainer = Trainer(TrainingSettings(epochs: 1, batchSize: 3, learningRate: 0.1))
        #expect { try trainer.fit(net, x: x, targets: .rows(Matrix(rows: 6, cols: 2)), loss: .crossEntropy, using: &rng) } throws: {
            "\($0)".contains("class labels")
        }
        #expect { try trainer.fit(net, x: x, targets: .labels([0, 1, 0, 1, 0, 1]), loss: .squaredError, using: &rng) } throws: {
            "\($0)".contains("target rows")
        }
        #expect { try trainer.fit(net, x: x, targets: .rows(Matrix(rows: 6, cols: 3)), loss: .squaredError, using: &rng) } throws: {
            "\($0)".contains("2 outputs")
        }
        #expect {
            try trainer.fit(net, x: x, targets: .rows(Matrix(rows: 6, cols: 2, repeating: 2)), loss: .binaryCrossEntropy, using: &rng)
        } throws: { "\($0)".contains("[0, 1]") }
        var noisy = TrainingSettings(epochs: 1, batchSize: 3, learningRate: 0.1)
        noisy.corruption = .masking(1.5)
        #expect(throws: TrainingError.self) {
            try Trainer(noisy).fit(net, x: x, targets: .labels([0, 1, 0, 1, 0, 1]), loss: .crossEntropy, using: &rng)
        }
    }
}

/// Decoders: networks whose output is an image, not classes.
@Suite(.serialized) struct DecoderTests {
    /// Codes in [-1, 1]^4 and their images under a planted linear map A (4 -> 12) plus offset.
    func planted(rows: Int, seed: UInt64) -> (codes: Matrix, images: Matrix, map: Matrix) {
        var rng = SeededGenerator(seed: seed)
        var a = Matrix(rows: 12, cols: 4)
        for i in a.data.indices { a.data[i] = rng.nextUniform() * 2 - 1 }
        var codes = Matrix(rows: rows, cols: 4)
        for i in codes.data.indices { codes.data[i] = rng.nextUniform() * 2 - 1 }
        var images = Matrix.product(codes, .none, a, .transposed)
        images.addRowVector([Float](repeating: 0.5, count: 12))
        return (codes, images, a)
    }

    func meanSquaredError(_ a: Matrix, _ b: Matrix) -> Double {
        zip(a.data, b.data).reduce(0.0) { $0 + Double(($1.0 - $1.1) * ($1.0 - $1.1)) } / Double(a.data.count)
    }

    @Test func aDecoderLearnsAPlantedLinearMapAndBeatsTheMeanImage() throws {
        let train = planted(rows: 400, seed: 7)
        let test = planted(rows: 100, seed: 7)
        var rng = SeededGenerator(seed: 3)
        let start = Decoder(Network(layers: [Dense(inputs: 4, outputs: 12, using: &rng)]))
        let fitted = try Trainer(TrainingSettings(epochs: 60, batchSize: 20, learningRate: 0.01))
            .fit(start, codes: train.codes, outputs: train.images, using: &rng)
        #expect(fitted.codeSize == 4 && fitted.outputSize == 12)
        let mean = (0..<12).map { c in (0..<train.images.rows).reduce(Float(0)) { $0 + train.images[$1, c] } / Float(train.images.rows) }
        let meanImage = Matrix(rowVectors: [[Float]](repeating: mean, count: test.images.rows))
        let decoded = fitted.decode(test.codes)
        #expect(meanSquaredError(decoded, test.images) < 1e-3)
        #expect(meanSquaredError(meanImage, test.images) > 0.1)
        // The learned weights are the planted map.
        let w = try #require(fitted.network.layers[0] as? Dense).weight
        #expect(zip(w.data, train.map.data).allSatisfy { abs($0 - $1) < 0.05 })
    }

    @Test func aSavedDecoderLoadsEqual() throws {
        var rng = SeededGenerator(seed: 4)
        let decoder = Decoder(
            Network(layers: [
                Dense(inputs: 3, outputs: 8, using: &rng), Activation.tanh, Dense(inputs: 8, outputs: 20, using: &rng), Activation.sigmoid,
            ]))
        let dir = NSTemporaryDirectory() + "inversionlab-decoder-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ModelIO.save(decoder.network, to: dir)
        let loaded = Decoder(try ModelIO.load(from: dir))
        #expect(loaded == decoder)
        var other = decoder
        other.network.layers[2].updateParameter(1) { $0[0] += 1 }
        #expect(other != decoder)
        #expect(loaded.decode(Matrix(rows: 2, cols: 3, repeating: 0.3)) == decoder.decode(Matrix(rows: 2, cols: 3, repeating: 0.3)))
    }

    /// Gradient descent on a code through decoder then classifier lowers the classifier's loss for a chosen class:
    /// the gradient with respect to the decoder's input is what an attack in a latent space descends.
    @Test func descentInADecodersCodeLowersTheCost() {
        var rng = SeededGenerator(seed: 9)
        let decoder = Network(layers: [
            Dense(inputs: 5, outputs: 16, using: &rng), Activation.tanh, Dense(inputs: 16, outputs: 16, using: &rng),
        ])
        let classifier = NeuralClassifier.mlp(inputs: 16, hidden: 8, classes: 3, activation: .relu, using: &rng)
        let composed = decoder.then(classifier.network)
        var code = Matrix(rows: 1, cols: 5)
        for i in code.data.indices { code.data[i] = rng.nextUniform() - 0.5 }
        func cost(_ c: Matrix) -> Float { softmaxCrossEntropy(composed(c), labels: [2]).loss }
        let before = cost(code)
        for _ in 0..<200 {
            let (_, g) = composed.inputGradient(code) { softmaxCrossEntropy($0, labels: [2]).gradient }
            code.add(g, scaledBy: -0.5)
        }
        #expect(cost(code) < before * 0.75, "\(before) -> \(cost(code))")
        #expect(classifier.predict(decoder(code)) == [2])
    }

    /// Denoising training: an autoencoder trained on masked inputs to reproduce the clean ones reconstructs masked
    /// held-out inputs better than the same network trained without the noise.
    @Test func denoisingTrainingReconstructsCorruptedInputsBetter() throws {
        let train = planted(rows: 600, seed: 21)
        let test = planted(rows: 200, seed: 22)
        var maskRNG = SeededGenerator(seed: 5)
        let corrupted = Corruption.masking(0.3).apply(test.images, using: &maskRNG)
        var errors: [Double] = []
        for corruption in [nil, Corruption.masking(0.3)] {
            var rng = SeededGenerator(seed: 6)
            let start = Network(layers: [Dense(inputs: 12, outputs: 4, using: &rng), Dense(inputs: 4, outputs: 12, using: &rng)])
            var settings = TrainingSettings(epochs: 40, batchSize: 20, learningRate: 0.01)
            settings.corruption = corruption
            let fitted = try Trainer(settings).fit(start, x: train.images, targets: .rows(train.images), loss: .squaredError, using: &rng)
            errors.append(meanSquaredError(fitted(corrupted), test.images))
        }
        #expect(errors[1] < errors[0] * 0.7, "\(errors)")
    }
}
