import Foundation
import Learning
import MLCore
import Testing

@Suite(.serialized) struct TrainingTests {
    /// Two Gaussian blobs per class in 8 dimensions, easily separable.
    func blobs(_ n: Int, using rng: inout SeededGenerator) -> (Matrix, [Int]) {
        var x = Matrix(rows: n, cols: 8)
        var labels: [Int] = []
        for r in 0..<n {
            let c = r % 3
            labels.append(c)
            for j in 0..<8 { x[r, j] = (j % 3 == c ? 2 : 0) + 0.3 * rng.nextNormal() }
        }
        return (x, labels)
    }

    @Test(arguments: [Optimizer.sgd(momentum: 0.9), .adam])
    func trainingLearnsASeparableProblem(_ optimizer: Optimizer) throws {
        var rng = SeededGenerator(seed: 11)
        let (x, labels) = blobs(150, using: &rng)
        let net = NeuralClassifier.mlp(inputs: 8, hidden: 10, classes: 3, using: &rng)
        let before = net.accuracy(x, labels: labels)
        var losses: [Float] = []
        let fitted = try Trainer(
            TrainingSettings(
                epochs: 30, batchSize: 16, learningRate: optimizer == .adam ? 0.01 : 0.1,
                l2: 1e-4, optimizer: optimizer)
        )
        .fit(net, x: x, labels: labels, using: &rng) { _, loss in losses.append(loss) }
        #expect(losses.count == 30)
        #expect(losses.last! < losses.first! / 3)
        #expect(fitted.accuracy(x, labels: labels) > 0.95)
        #expect(before < 0.8)
    }

    @Test func sameSeedSameModel() throws {
        func train() throws -> NeuralClassifier {
            var rng = SeededGenerator(seed: 5)
            let (x, labels) = blobs(60, using: &rng)
            return try Trainer(TrainingSettings(epochs: 3, batchSize: 8, learningRate: 0.1, optimizer: .sgd(momentum: 0.9)))
                .fit(.softmaxRegression(inputs: 8, classes: 3, using: &rng), x: x, labels: labels, using: &rng)
        }
        #expect(try train() == train())
    }

    @Test func divergenceAndBadSettingsAreClearErrors() {
        var rng = SeededGenerator(seed: 1)
        var (x, labels) = blobs(30, using: &rng)
        let net = NeuralClassifier.softmaxRegression(inputs: 8, classes: 3, using: &rng)
        x.data[0] = .nan
        #expect {
            try Trainer(TrainingSettings(epochs: 2, batchSize: 30, learningRate: 0.1)).fit(net, x: x, labels: labels, using: &rng)
        } throws: { error in
            "\(error)".contains("diverged") && "\(error)".contains("learning rate")
        }
        x.data[0] = 0
        #expect(throws: TrainingError.self) {
            try Trainer(TrainingSettings(epochs: 0, batchSize: 4, learningRate: 0.1)).fit(net, x: x, labels: labels, using: &rng)
        }
        #expect(throws: TrainingError.self) {
            try Trainer(TrainingSettings(epochs: 1, batchSize: 4, learningRate: -1)).fit(net, x: x, labels: labels, using: &rng)
        }
        labels[0] = 7
        #expect(throws: TrainingError.self) {
            try Trainer(TrainingSettings(epochs: 1, batchSize: 4, learningRate: 0.1)).fit(net, x: x, labels: labels, using: &rng)
        }
    }
}

struct ModelIOTests {
    func tempFolder() -> String {
        let dir = NSTemporaryDirectory() + "inversionlab-model-\(UUID().uuidString)"
        return dir
    }

    @Test func saveThenLoadGivesTheSameNetwork() throws {
        var rng = SeededGenerator(seed: 2)
        let net = Network(layers: [
            Dense(inputs: 4, outputs: 3, using: &rng), Activation.sigmoid, Dense(inputs: 3, outputs: 3, using: &rng), Activation.relu,
            Dense(inputs: 3, outputs: 2, using: &rng),
        ])
        let dir = tempFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ModelIO.save(net, to: dir)
        #expect(try ModelIO.load(from: dir) == net)
        let layers = try String(contentsOfFile: dir + "/layers.txt", encoding: .utf8)
        #expect(layers == "dense 4 3\nsigmoid\ndense 3 3\nrelu\ndense 3 2\n")
    }

    @Test func brokenSavedModelsNameTheFile() throws {
        var rng = SeededGenerator(seed: 2)
        let dir = tempFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ModelIO.save(NeuralClassifier.softmaxRegression(inputs: 4, classes: 2, using: &rng).network, to: dir)
        try "dense 5 2\n".write(toFile: dir + "/layers.txt", atomically: true, encoding: .utf8)
        #expect { try ModelIO.load(from: dir) } throws: { "\($0)".contains("layer0.weight.npy") && "\($0)".contains("shape") }
        try "conv 3\n".write(toFile: dir + "/layers.txt", atomically: true, encoding: .utf8)
        #expect { try ModelIO.load(from: dir) } throws: { "\($0)".contains("unknown layer") }
        try "dense 4 two\n".write(toFile: dir + "/layers.txt", atomically: true, encoding: .utf8)
        #expect { try ModelIO.load(from: dir) } throws: { "\($0)".contains("line 1") && "\($0)".contains("dense IN OUT") }
        try FileManager.default.removeItem(atPath: dir + "/layers.txt")
        #expect { try ModelIO.load(from: dir) } throws: { "\($0)".contains("layers.txt is missing") }
    }
}
