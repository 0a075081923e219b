import Learning
import MLCore
import Privacy
import Testing

/// The learned inversion model on classes with planted prototypes: it must beat the mean image where the answers
/// carry the class, and fail to where they carry nothing.
@Suite(.serialized) struct LearnedInversionTests {
    static let (classes, dims) = (6, 30)

    /// Class prototypes in [0.1, 0.9] and noisy photos of them.
    static func photos(_ perClass: Int, seed: UInt64) -> (x: Matrix, labels: [Int], prototypes: Matrix) {
        var rng = SeededGenerator(seed: 77)
        var proto = Matrix(rows: classes, cols: dims)
        for i in proto.data.indices { proto.data[i] = 0.1 + 0.8 * rng.nextUniform() }
        var noise = SeededGenerator(seed: seed)
        var x = Matrix(rows: classes * perClass, cols: dims)
        var labels: [Int] = []
        for r in 0..<x.rows {
            let c = r % classes
            labels.append(c)
            for j in 0..<dims { x[r, j] = min(max(proto[c, j] + 0.05 * noise.nextNormal(), 0), 1) }
        }
        return (x, labels, proto)
    }

    static func mse(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / Float(a.count) }

    static let training = TrainingSettings(epochs: 150, batchSize: 20, learningRate: 0.01)

    @Test func decoderFromAnswersBeatsTheMeanImageWhereTheAnswersLeak() throws {
        let train = Self.photos(20, seed: 1)
        var rng = SeededGenerator(seed: 3)
        let target = try Trainer(TrainingSettings(epochs: 60, batchSize: 20, learningRate: 0.01)).fit(
            .softmaxRegression(inputs: Self.dims, classes: Self.classes, using: &rng), x: train.x, labels: train.labels, using: &rng)
        let aux = Self.photos(15, seed: 2)
        let oracle = try BlackBoxOracle(target)
        let model = try LearnedInversion(hidden: [32], training: Self.training).train(oracle: oracle, auxiliary: aux.x, using: &rng)
        #expect(model.trainingQueries == aux.x.rows && oracle.queries == aux.x.rows)

        // Per photo: each private training photo from the answer on it, against the auxiliary mean image.
        let found = try model.invert(photos: train.x, labels: train.labels, oracle: oracle)
        #expect(oracle.queries == aux.x.rows + train.x.rows)
        let mean = (0..<Self.dims).map { j in (0..<aux.x.rows).map { aux.x[$0, j] }.reduce(0, +) / Float(aux.x.rows) }
        let learned = zip(found, 0..<train.x.rows).map { Self.mse($0.image, train.x.row($1)) }.reduce(0, +) / Float(found.count)
        let baseline = (0..<train.x.rows).map { Self.mse(mean, train.x.row($0)) }.reduce(0, +) / Float(found.count)
        #expect(learned < 0.25 * baseline, "learned \(learned), mean image \(baseline)")
        #expect(found.allSatisfy { $0.stopReason == .decoded && $0.queries == 1 })

        // Per class: a fully confident answer decodes to the nearest prototype of that class; nothing is queried.
        let classes = try model.invert(classes: Array(0..<Self.classes), classCount: Self.classes)
        #expect(oracle.queries == aux.x.rows + train.x.rows)
        for r in classes {
            let nearest = (0..<Self.classes).min {
                Self.mse(r.image, train.prototypes.row($0)) < Self.mse(r.image, train.prototypes.row($1))
            }
            #expect(nearest == r.label)
        }
    }

    @Test func answersThatCarryNothingDecodeToTheMeanAtBest() throws {
        // A model whose answers ignore the input: every answer is the same, so the decoder can only learn the mean.
        let blind = NeuralClassifier(
            Network(layers: [Dense(weight: Matrix(rows: Self.classes, cols: Self.dims), bias: [0.5, 0.1, 0, -0.2, 0.3, 0])]))
        let aux = Self.photos(15, seed: 2)
        let train = Self.photos(20, seed: 1)
        var rng = SeededGenerator(seed: 4)
        let oracle = try BlackBoxOracle(blind)
        let model = try LearnedInversion(hidden: [32], training: Self.training).train(oracle: oracle, auxiliary: aux.x, using: &rng)
        let found = try model.invert(photos: train.x, labels: train.labels, oracle: oracle)
        let mean = (0..<Self.dims).map { j in (0..<aux.x.rows).map { aux.x[$0, j] }.reduce(0, +) / Float(aux.x.rows) }
        let learned = zip(found, 0..<train.x.rows).map { Self.mse($0.image, train.x.row($1)) }.reduce(0, +) / Float(found.count)
        let baseline = (0..<train.x.rows).map { Self.mse(mean, train.x.row($0)) }.reduce(0, +) / Float(found.count)
        #expect(learned > 0.95 * baseline, "learned \(learned), mean image \(baseline)")
    }

    @Test func truncationKeepsExactlyKValues() throws {
        var rng = SeededGenerator(seed: 8)
        var answers = Matrix(rows: 20, cols: 10)
        for r in 0..<20 {
            let p = (0..<10).map { _ in rng.nextUniform() + 0.01 }
            let s = p.reduce(0, +)
            answers.setRow(r, p.map { $0 / s })
        }
        for k in [1, 3, 5, 10] {
            let t = InversionModel.truncated(answers, keeping: k)
            for r in 0..<20 {
                let row = t.row(r)
                #expect(row.filter { $0 != 0 }.count == k)
                // The kept values are the row's k largest, unchanged.
                let largest = answers.row(r).sorted(by: >).prefix(k)
                #expect(Set(row.filter { $0 != 0 }) == Set(largest))
            }
        }
        #expect(InversionModel.truncated(answers, keeping: nil).data == answers.data)
        // The attacker's truncation is checked against the class count.
        let model = NeuralClassifier.softmaxRegression(inputs: 4, classes: 3, using: &rng)
        let bad = LearnedInversion(training: Self.training, trainingTruncation: 4)
        #expect { try bad.train(oracle: try BlackBoxOracle(model), auxiliary: Matrix(rows: 2, cols: 4), using: &rng) } throws: {
            "\($0)".contains("1...3")
        }
        let wrongWidth = LearnedInversion(training: Self.training)
        #expect(throws: AttackError.self) {
            try wrongWidth.train(oracle: try BlackBoxOracle(model), auxiliary: Matrix(rows: 2, cols: 5), using: &rng)
        }
    }
}
