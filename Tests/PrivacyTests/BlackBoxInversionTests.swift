import Foundation
import Learning
import MLCore
import Privacy
import Testing

/// Black-box MI-Face, model extraction and the query monitor on synthetic models where the answer is known.
@Suite struct BlackBoxInversionTests {
    /// A linear classifier whose weights are the planted templates, on 10 x 10 "images".
    static func templateModel(seed: UInt64 = 1) -> (NeuralClassifier, Matrix) {
        let (t, _, _) = MIFaceTests.plantedData(seed: seed)
        return (NeuralClassifier(Network(layers: [Dense(weight: t, bias: [Float](repeating: 0, count: MIFaceTests.classes))])), t)
    }

    static func blackBox(_ model: NeuralClassifier, policy: OutputPolicy = .full) throws -> BlackBoxOracle<NeuralClassifier> {
        try BlackBoxOracle(model, policy: policy)
    }

    @Test func finiteDifferencesMatchTheAnalyticGradient() throws {
        var rng = SeededGenerator(seed: 5)
        let mlp = NeuralClassifier.mlp(inputs: 100, hidden: 12, classes: 4, using: &rng)
        let x = (0..<100).map { _ in 0.5 * rng.nextNormal() }
        let (_, exact) = mlp.inputGradient(Matrix(rows: 1, cols: 100, data: x)) { z in
            var g = Softmax.rows(z)
            g[0, 2] -= 1
            return g
        }
        let g = exact.row(0)
        // Every pixel on its own: central differences agree to O(h^2).
        let pixels = FiniteDifferences(width: 10, height: 10, blockSize: 1, step: 1e-2)
        let estimate = try pixels.gradient(at: x, label: 2, cost: .negativeLogP, oracle: try Self.blackBox(mlp))
        let scale = g.map(abs).max()!
        #expect(zip(estimate, g).allSatisfy { abs($0 - $1) <= 2e-2 * scale })
        // 2 x 2 blocks: each block gets the mean of its pixels' gradients.
        let blocks = FiniteDifferences(width: 10, height: 10, blockSize: 2, step: 1e-2)
        let blocked = try blocks.gradient(at: x, label: 2, cost: .negativeLogP, oracle: try Self.blackBox(mlp))
        for by in 0..<5 {
            for bx in 0..<5 {
                let idx = [0, 1].flatMap { dy in [0, 1].map { dx in (2 * by + dy) * 10 + 2 * bx + dx } }
                let mean = idx.map { g[$0] }.reduce(0, +) / 4
                for i in idx { #expect(abs(blocked[i] - mean) <= 2e-2 * scale) }
            }
        }
        // Random directions: unbiased, so many of them point the same way as the gradient.
        let random = FiniteDifferences(width: 10, height: 10, blockSize: 1, randomDirections: 2000, step: 1e-2, seed: 3)
        let noisy = try random.gradient(at: x, label: 2, cost: .negativeLogP, oracle: try Self.blackBox(mlp))
        #expect(Statistics.correlation(noisy, g) > 0.9)
    }

    @Test func blackBoxMIFaceRecoversPlantedTemplatesAndCountsEveryQuery() throws {
        let (model, t) = Self.templateModel()
        let oracle = try Self.blackBox(model)
        var a = MIFace()
        a.alpha = 300
        a.cost = .negativeLogP
        let fd = FiniteDifferences(width: 10, height: 10, blockSize: 1, step: 1e-2)
        let result = try a.run(labels: Array(0..<MIFaceTests.classes), oracle: oracle, estimator: fd, client: "mallory")
        for inv in result {
            #expect(Statistics.correlation(inv.image, t.row(inv.label)) >= 0.9, "label \(inv.label)")
            #expect(inv.queries == (inv.iterations + 1) * fd.queriesPerStep)
        }
        #expect(oracle.queries == result.map(\.queries).reduce(0, +))
        #expect(oracle.queries(by: "mallory") == oracle.queries)
    }

    @Test func roundingToATenthLeavesTheBlackBoxAttackWithoutADirection() throws {
        // 40 classes with small template weights: every confidence stays near 1/40, which r = 0.1 rounds to 0 even
        // for the attacker's longest probes (0.01 x 4^3).
        var rng = SeededGenerator(seed: 8)
        var t = Matrix(rows: 40, cols: 100)
        for i in t.data.indices { t.data[i] = 0.05 * rng.nextNormal() }
        let model = NeuralClassifier(Network(layers: [Dense(weight: t, bias: [Float](repeating: 0, count: 40))]))
        var a = MIFace()
        a.alpha = 200
        a.cost = .negativeLogP
        let fd = FiniteDifferences(width: 10, height: 10, blockSize: 1, step: 1e-2)
        let labels = Array(0..<8)
        let open = try a.run(labels: labels, oracle: try Self.blackBox(model), estimator: fd)
        let rounded = try a.run(labels: labels, oracle: try Self.blackBox(model, policy: .rounded(0.1)), estimator: fd)
        for (o, r) in zip(open, rounded) {
            #expect(Statistics.correlation(o.image, t.row(o.label)) >= 0.9, "label \(o.label) unrounded")
            #expect(r.failed && r.stopReason == .flatAnswers && r.image.allSatisfy { $0 == 0 })
            // The first step tried four probe lengths before giving up, each a counted query.
            #expect(r.queries == 4 * (1 + 2 * 100))
        }
        // White-box access has no policy to see.
        let white = try a.run(labels: [0], oracle: WhiteBoxOracle(model))
        #expect(Statistics.correlation(white[0].image, t.row(0)) >= 0.9)
    }

    @Test func longerProbesFindADirectionThatShortOnesMiss() throws {
        let (model, t) = Self.templateModel()
        var fd = FiniteDifferences(width: 10, height: 10, blockSize: 1, step: 1e-3)
        fd.longerProbes = 0
        var a = MIFace()
        a.alpha = 100
        a.cost = .negativeLogP
        let oracle = try Self.blackBox(model, policy: .rounded(0.01))
        #expect(try a.run(labels: [0], oracle: oracle, estimator: fd)[0].failed)
        fd.longerProbes = 3
        let found = try a.run(labels: [0], oracle: oracle, estimator: fd)[0]
        let c = Statistics.correlation(found.image, t.row(0))
        #expect(
            !found.failed && c >= 0.8 && Statistics.correlation(found.image, t.row(1)) < 0.3,
            "correlation \(c), stop \(found.stopReason), p \(found.confidence), iterations \(found.iterations)")
    }

    @Test func equationSolvingCopiesASoftmaxModelExactly() throws {
        var rng = SeededGenerator(seed: 21)
        let target = NeuralClassifier.softmaxRegression(inputs: 100, classes: 7, using: &rng)
        let oracle = try Self.blackBox(target)
        let stolen = try EquationSolving(probe: 1, batchRows: 16).extract(from: oracle)
        #expect(stolen.queries == 101 && oracle.queries == 101)
        var x = Matrix(rows: 500, cols: 100)
        for i in x.data.indices { x.data[i] = rng.nextNormal() }
        #expect(stolen.network.predict(x) == target.predict(x))
        let p = target.probabilities(x)
        let q = stolen.network.probabilities(x)
        #expect(zip(p.data, q.data).allSatisfy { abs($0 - $1) < 1e-4 })
        // MI-Face on the copy finds the same images as on the model (the softmax cannot see the common shift).
        var a = MIFace()
        a.alpha = 100
        a.cost = .negativeLogP
        a.stopsEarly = false
        let direct = try a.run(labels: [3], oracle: WhiteBoxOracle(target))
        let copied = try a.run(labels: [3], holding: stolen.network)
        #expect(Statistics.correlation(direct[0].image, copied[0].image) > 0.99)
        #expect(copied[0].queries == 100 + 1 && oracle.queries == 101)
        // Rounded answers give a worse copy.
        let rounded = try EquationSolving().extract(from: try Self.blackBox(target, policy: .rounded(0.1)))
        #expect(rounded.network.accuracy(x, labels: target.predict(x)) < 0.9)
    }

    @Test func retrainingLearnsAnMLPsDecisionsFromItsAnswers() throws {
        var rng = SeededGenerator(seed: 31)
        let target = NeuralClassifier.mlp(inputs: 20, hidden: 16, classes: 3, using: &rng)
        var inputs = Matrix(rows: 2000, cols: 20)
        for i in inputs.data.indices { inputs.data[i] = rng.nextNormal() }
        let oracle = try Self.blackBox(target)
        let start = NeuralClassifier.mlp(inputs: 20, hidden: 32, classes: 3, using: &rng)
        let settings = TrainingSettings(epochs: 60, batchSize: 50, learningRate: 0.01, optimizer: .adam)
        let stolen = try RetrainingExtraction(settings: settings).extract(start: start, inputs: inputs, from: oracle, using: &rng)
        #expect(stolen.queries == 2000)
        var fresh = Matrix(rows: 1000, cols: 20)
        for i in fresh.data.indices { fresh.data[i] = rng.nextNormal() }
        let agreement = stolen.network.accuracy(fresh, labels: target.predict(fresh))
        let untrained = start.accuracy(fresh, labels: target.predict(fresh))
        #expect(agreement > 0.9 && agreement > untrained + 0.3, "agreement \(agreement), untrained \(untrained)")
    }

    @Test func monitorFlagsAFiniteDifferenceStreamAndPassesBenignOnes() throws {
        // Natural inputs: noisy mixtures of five smooth patterns.
        var rng = SeededGenerator(seed: 41)
        var patterns = Matrix(rows: 5, cols: 100)
        for k in 0..<5 { for j in 0..<100 { patterns[k, j] = Float(sin(Double(j * (k + 1)) / 16)) } }
        func natural(_ n: Int) -> Matrix {
            var m = Matrix(rows: n, cols: 100)
            for r in 0..<n {
                let w = (0..<5).map { _ in rng.nextNormal() }
                for j in 0..<100 { m[r, j] = (0..<5).reduce(0) { $0 + w[$1] * patterns[$1, j] } + 0.01 * rng.nextNormal() }
            }
            return m
        }
        let monitor = try QueryMonitor(natural: natural(200), components: 5, settings: .init(window: 50, flagsToAlarm: 5))
        monitor.calibrate(benign: (0..<5).map { _ in natural(100) })
        #expect(monitor.settings.residualThreshold > 0 && monitor.settings.duplicateDistance > 0)

        let (model, _) = Self.templateModel()
        let oracle = try Self.blackBox(model)
        oracle.observer = { client, x, _ in monitor.observe(client: client, inputs: x) }
        for _ in 0..<3 { _ = try oracle.query(natural(100), client: "benign") }
        var a = MIFace()
        a.alpha = 20
        _ = try a.run(labels: [0], oracle: oracle, estimator: FiniteDifferences(width: 10, height: 10, blockSize: 1, step: 1e-2))
        #expect(!monitor.verdict("benign").flagged)
        #expect(monitor.verdict("benign").queries == 300)
        let caught = monitor.verdict("attacker")
        #expect(caught.flagged && caught.flaggedAt! <= 20)
    }
}
