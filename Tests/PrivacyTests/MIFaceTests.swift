import Learning
import MLCore
import Privacy
import Testing

/// MI-Face on synthetic classifiers where we know what it should find.
@Suite(.serialized) struct MIFaceTests {
    static let classes = 10
    static let dims = 100

    /// Class templates and noisy training copies of them (the planted leak).
    static func plantedData(seed: UInt64) -> (templates: Matrix, x: Matrix, labels: [Int]) {
        var rng = SeededGenerator(seed: seed)
        var t = Matrix(rows: classes, cols: dims)
        for i in t.data.indices { t.data[i] = rng.nextNormal() }
        var x = Matrix(rows: classes * 100, cols: dims)
        var labels: [Int] = []
        for r in 0..<x.rows {
            let c = r % classes
            labels.append(c)
            for j in 0..<dims { x[r, j] = t[c, j] + rng.nextNormal() }
        }
        return (t, x, labels)
    }

    /// Softmax regression trained from zero weights (so no random initial component hides what it learned).
    static func trained(labels: [Int], x: Matrix, seed: UInt64) throws -> NeuralClassifier {
        var rng = SeededGenerator(seed: seed)
        let zero = NeuralClassifier.softmaxRegression(inputs: dims, classes: classes)
        return try Trainer(TrainingSettings(epochs: 10, batchSize: 20, learningRate: 0.01, optimizer: .sgd(momentum: 0.9)))
            .fit(zero, x: x, labels: labels, using: &rng)
    }

    func attack(alpha: Int = 500) -> MIFace {
        var a = MIFace()
        a.alpha = alpha
        a.cost = .negativeLogP
        return a
    }

    @Test func recoversTemplatesPlantedInALinearClassifiersWeights() throws {
        let (t, _, _) = MIFaceTests.plantedData(seed: 1)
        let model = NeuralClassifier(Network(layers: [Dense(weight: t, bias: [Float](repeating: 0, count: MIFaceTests.classes))]))
        for cost in InversionCost.allCases {
            var a = attack()
            a.cost = cost
            for inv in try a.run(labels: Array(0..<MIFaceTests.classes), oracle: WhiteBoxOracle(model)) {
                #expect(Statistics.correlation(inv.image, t.row(inv.label)) >= 0.9)
            }
        }
    }

    @Test func recoversPlantedTemplatesFromATrainedLinearClassifier() throws {
        let (t, x, labels) = MIFaceTests.plantedData(seed: 1)
        let model = try MIFaceTests.trained(labels: labels, x: x, seed: 2)
        let oracle = WhiteBoxOracle(model)
        var a = attack(alpha: 2000)
        a.lambda = 1  // the trained weights are small: a longer step reaches gamma within alpha
        let result = try a.run(labels: Array(0..<MIFaceTests.classes), oracle: oracle)
        for inv in result {
            let own = Statistics.correlation(inv.image, t.row(inv.label))
            let other = Statistics.correlation(inv.image, t.row((inv.label + 1) % MIFaceTests.classes))
            #expect(own >= 0.9, "label \(inv.label): correlation \(own)")
            #expect(other < 0.3)
            #expect(inv.confidence >= 0.99 && inv.stopReason == .reachedGamma)
        }
        #expect(oracle.queries == result.map { $0.iterations + 1 }.reduce(0, +))
    }

    @Test func findsNothingWhenTheLabelsCarryNoTemplate() throws {
        let (t, x, labels) = MIFaceTests.plantedData(seed: 1)
        var rng = SeededGenerator(seed: 9)
        var shuffled = labels
        rng.shuffle(&shuffled)  // the labels no longer say which template a row holds
        let model = try MIFaceTests.trained(labels: shuffled, x: x, seed: 2)
        let result = try attack().run(labels: Array(0..<MIFaceTests.classes), oracle: WhiteBoxOracle(model))
        for inv in result {
            #expect(abs(Statistics.correlation(inv.image, t.row(inv.label))) < 0.5)
        }
    }

    @Test func reportsEachStopReason() throws {
        let (_, x, labels) = MIFaceTests.plantedData(seed: 3)
        let model = try MIFaceTests.trained(labels: labels, x: x, seed: 4)
        let oracle = WhiteBoxOracle(model)

        var capped = attack(alpha: 5)
        capped.gamma = 1.5  // unreachable confidence
        let maxed = try capped.run(labels: [0, 1], oracle: oracle)
        #expect(maxed.allSatisfy { $0.stopReason == .maxIterations && $0.iterations == 5 })

        var flatRNG = SeededGenerator(seed: 77)
        var flat = NeuralClassifier.softmaxRegression(inputs: MIFaceTests.dims, classes: MIFaceTests.classes, using: &flatRNG)
        flat.network.layers[0].updateParameter(0) { w in for i in w.indices { w[i] = 0 } }
        var windowed = attack(alpha: 1000)
        windowed.beta = 7
        let stalled = try windowed.run(labels: [2], oracle: WhiteBoxOracle(flat))
        #expect(stalled[0].stopReason == .noImprovement && stalled[0].iterations == 7)

        var literal = attack()
        literal.cost = .oneMinusP
        literal.gammaReading = .cost  // c <= 0.99 holds at x0 already: p = 0.2 there
        let immediate = try literal.run(labels: [0], oracle: oracle)
        #expect(immediate[0].stopReason == .reachedGamma && immediate[0].iterations == 0)
    }

    @Test func factoredDescentMatchesPixelDescent() throws {
        var rng = SeededGenerator(seed: 12)
        let mlp = NeuralClassifier.mlp(inputs: 64, hidden: 16, classes: 4, using: &rng)
        var a = attack(alpha: 40)
        a.stopsEarly = false
        a.lambda = 1
        var b = a
        b.space = .pixels
        for cost in InversionCost.allCases {
            a.cost = cost
            b.cost = cost
            let fast = try a.run(labels: [0, 1, 2, 3], oracle: WhiteBoxOracle(mlp))
            let slow = try b.run(labels: [0, 1, 2, 3], oracle: WhiteBoxOracle(mlp))
            for (f, s) in zip(fast, slow) {
                let scale = s.image.map(abs).max() ?? 1
                #expect(zip(f.image, s.image).allSatisfy { abs($0 - $1) <= 1e-3 * max(scale, 1e-3) })
                #expect(abs(f.confidence - s.confidence) < 1e-4)
            }
        }
    }

    @Test func processHookIsAppliedToEveryIterate() throws {
        var rng = SeededGenerator(seed: 13)
        let model = NeuralClassifier.softmaxRegression(inputs: 32, classes: 3, using: &rng)
        var a = attack(alpha: 30)
        a.process = { m in
            var c = m
            for i in c.data.indices { c.data[i] = min(max(c.data[i], 0), 0.01) }
            return c
        }
        let result = try a.run(labels: [0, 1, 2], oracle: WhiteBoxOracle(model))
        #expect(result.allSatisfy { $0.image.allSatisfy { $0 >= 0 && $0 <= 0.01 } })
    }

    /// A decoder from a 3-value code to the model's 32 inputs, planted: code j lights input block j.
    static func blockDecoder() -> Decoder {
        var w = Matrix(rows: 32, cols: 3)
        for i in 0..<30 { w[i, i / 10] = 1 }
        return Decoder(Network(layers: [Dense(weight: w, bias: [Float](repeating: 0, count: 32))]))
    }

    @Test func descentInADecodersCodeLowersTheCostAndStaysInTheDecodersRange() throws {
        // Class k fires on block k of the input and on nothing the decoder can make otherwise.
        var w = Matrix(rows: 3, cols: 32)
        for i in 0..<30 { w[i / 10, i] = 0.3 }
        for i in 30..<32 { w[0, i] = -5 }
        let model = NeuralClassifier(Network(layers: [Dense(weight: w, bias: [0, 0, 0])]))
        let decoder = Self.blockDecoder()
        var a = attack(alpha: 200)
        a.cost = .negativeLogP
        a.space = .latent(decoder, start: nil)
        let oracle = WhiteBoxOracle(model)
        let found = try a.run(labels: [0, 1, 2], oracle: oracle)
        let start: Float = 1.0986  // -log(1/3): every class equally likely at the zero code
        for r in found {
            #expect(r.cost < 0.5 * start, "label \(r.label): cost \(r.cost) from \(start)")
            // Every image is one the decoder makes: the last two inputs stay 0, the blocks constant.
            #expect(r.image[30] == 0 && r.image[31] == 0)
            let block = Array(r.image[(10 * r.label)..<(10 * r.label + 10)])
            #expect(block.allSatisfy { $0 == block[0] } && block[0] > 0)
        }
        #expect(oracle.queries == found.map(\.queries).reduce(0, +))
        // Process acts on every code: clamped codes never leave [0, 0.5].
        var clamped = a
        clamped.process = { m in Matrix(rows: m.rows, cols: m.cols, data: m.data.map { min(max($0, 0), 0.5) }) }
        for r in try clamped.run(labels: [1], oracle: oracle) {
            #expect(r.image[10..<20].allSatisfy { abs($0 - 0.5) < 1e-6 } && r.iterations > 0)
        }
        // A decoder that does not make the model's input is refused, naming both widths.
        var wrong = a
        wrong.space = .latent(
            Decoder(Network(layers: [Dense(weight: Matrix(rows: 31, cols: 3), bias: [Float](repeating: 0, count: 31))])), start: nil)
        #expect(throws: AttackError.self) { try a.run(labels: [0], oracle: oracle, x0: [Float](repeating: 0, count: 32)) }
        #expect { try wrong.run(labels: [0], oracle: oracle) } throws: { "\($0)".contains("31") && "\($0)".contains("32") }
    }

    @Test func badSettingsAreRefused() throws {
        // (A white-box MI-Face against a black-box oracle does not compile: the run takes a WhiteBoxOracle.)
        var rng = SeededGenerator(seed: 1)
        let model = NeuralClassifier.softmaxRegression(inputs: 8, classes: 2, using: &rng)
        var bad = MIFace()
        bad.lambda = 0
        // Bad attack settings are the attack's errors; only what the oracle refuses is the oracle's.
        #expect(throws: AttackError.self) { try bad.run(labels: [0], oracle: WhiteBoxOracle(model)) }
        #expect(throws: AttackError.self) { try MIFace().run(labels: [5], oracle: WhiteBoxOracle(model)) }
        let blocks = FiniteDifferences(width: 2, height: 4, blockSize: 0)
        #expect(throws: AttackError.self) { try MIFace().run(labels: [0], oracle: try BlackBoxOracle(model), estimator: blocks) }
        let wrongShape = FiniteDifferences(width: 3, height: 3)
        #expect(throws: AttackError.self) { try MIFace().run(labels: [0], oracle: try BlackBoxOracle(model), estimator: wrongShape) }
        #expect(throws: AttackError.self) { try MIFace().run(labels: [0], holding: model, x0: [0, 0]) }
        #expect(throws: AttackError.self) { try MIFace().run(labels: [2], holding: model) }
    }
}

struct OracleTests {
    @Test func policiesShapeWhatABlackBoxCallerSees() {
        let p: [Float] = [0.07, 0.61, 0.32]
        #expect(OutputPolicy.full.apply(p[...]) == p)
        let rounded = OutputPolicy.rounded(0.1).apply(p[...])
        #expect(zip(rounded, [0.1, 0.6, 0.3]).allSatisfy { abs($0 - $1) < 1e-6 })
        #expect(OutputPolicy.topK(1).apply(p[...]) == [0, 0.61, 0])
        #expect(OutputPolicy.topK(2).apply(p[...]) == [0, 0.61, 0.32])
        #expect(OutputPolicy.labelOnly.apply(p[...]) == [0, 1, 0])
    }

    @Test func countsQueriesAndGuardsGradients() throws {
        var rng = SeededGenerator(seed: 2)
        let model = NeuralClassifier.softmaxRegression(inputs: 4, classes: 3, using: &rng)
        let x = Matrix(rowVectors: [[1, 0, 0, 0], [0, 1, 0, 0]])
        let black = try BlackBoxOracle(model, policy: .labelOnly)
        let answer = try black.query(x)
        #expect(black.queries == 2)
        #expect(answer.data.allSatisfy { $0 == 0 || $0 == 1 })
        // (`black.gradient` and `black.model` do not compile: only a WhiteBoxOracle has them.)
        let white = WhiteBoxOracle(model)
        _ = try white.gradient(x) { $0 }
        #expect(white.queries == 2 && white.model == model)
        // White-box answers are the probabilities as computed.
        let full = try white.query(x)
        #expect(zip(full.data, model.probabilities(x).data).allSatisfy { $0 == $1 } && white.queries == 4)
        #expect(throws: OracleError.self) { try white.gradient(Matrix(rows: 1, cols: 5)) { $0 } }
        // A batch of the wrong width is an error naming both widths, never a trap; bad policies are refused.
        #expect { try black.query(Matrix(rows: 1, cols: 3)) } throws: { "\($0)".contains("rows of 4") && "\($0)".contains("rows of 3") }
        #expect(throws: OracleError.self) { try BlackBoxOracle(model, policy: .topK(4)) }
        #expect(throws: OracleError.self) { try BlackBoxOracle(model, policy: .rounded(0)) }
        // The log keeps each batch per client; asking again counts again.
        _ = try black.query(x, client: "monitor-test")
        #expect(black.queries == 4 && black.queries(by: "monitor-test") == 2 && black.log.count == 2)
    }
}
