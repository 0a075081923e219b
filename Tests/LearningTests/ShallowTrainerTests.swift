import Learning
import MLCore
import Testing

/// The fast trainer of many small models takes the same steps as the general `Trainer`.
@Suite(.serialized) struct ShallowTrainerTests {
    /// Rows with `density` of their entries non-zero (binary, or uniform values), and labels of `classes` classes.
    static func data(rows: Int, cols: Int, classes: Int, density: Float, binary: Bool, seed: UInt64) -> (Matrix, [Int]) {
        var rng = SeededGenerator(seed: seed)
        var x = Matrix(rows: rows, cols: cols)
        for i in x.data.indices where rng.nextUniform() < density { x.data[i] = binary ? 1 : rng.nextUniform() * 2 - 1 }
        return (x, (0..<rows).map { _ in rng.nextInt(below: classes) })
    }

    static func maxDifference(_ a: NeuralClassifier, _ b: NeuralClassifier) -> Float {
        zip(a.network.flatParameters, b.network.flatParameters).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }

    @Test(arguments: [
        (Activation.tanh, true, Optimizer.adam), (.tanh, false, .adam), (.sigmoid, true, .sgd(momentum: 0.9)),
        (.relu, false, .sgd(momentum: 0.5)),
    ])
    func takesTheSameStepsAsTheGeneralTrainer(_ activation: Activation, sparse: Bool, optimizer: Optimizer) throws {
        let (x, labels) = Self.data(rows: 90, cols: 40, classes: 5, density: 0.15, binary: sparse, seed: 11)
        let subset = Array(stride(from: 0, to: 90, by: 2))
        let settings = TrainingSettings(epochs: 4, batchSize: 16, learningRate: 0.01, l2: 1e-3, optimizer: optimizer)
        let fast = ShallowTrainer(hidden: 12, activation: activation, settings: settings)
        var rngA = SeededGenerator(seed: 5)
        let a = try fast.fit(ShallowInputs(x, sparse: sparse), labels: labels, subset: subset, classCount: 5, using: &rngA)
        var rngB = SeededGenerator(seed: 5)
        let start = fast.initialNetwork(inputs: 40, classes: 5, using: &rngB)
        let b = try Trainer(settings).fit(start, x: x.rows(subset), labels: subset.map { labels[$0] }, using: &rngB)
        #expect(Self.maxDifference(a, b) < 1e-4, "\(activation) sparse \(sparse)")
        #expect(a.network.layers[1].descriptor == activation.descriptor)
    }

    @Test func badSettingsAndDataAreErrors() {
        let (x, labels) = Self.data(rows: 10, cols: 4, classes: 2, density: 0.5, binary: true, seed: 1)
        var rng = SeededGenerator(seed: 1)
        let good = TrainingSettings(epochs: 1, batchSize: 4, learningRate: 0.01)
        #expect(throws: TrainingError.self) {
            try ShallowTrainer(hidden: 0, settings: good).fit(ShallowInputs(x), labels: labels, classCount: 2, using: &rng)
        }
        #expect(throws: TrainingError.self) {
            try ShallowTrainer(hidden: 3, settings: good).fit(ShallowInputs(x), labels: labels, subset: [11], classCount: 2, using: &rng)
        }
        #expect(throws: TrainingError.self) {
            try ShallowTrainer(hidden: 3, settings: good).fit(ShallowInputs(x), labels: labels, classCount: 1, using: &rng)
        }
        let diverging = TrainingSettings(epochs: 3, batchSize: 4, learningRate: .greatestFiniteMagnitude, optimizer: .sgd(momentum: 0.9))
        #expect(throws: TrainingError.self) {
            try ShallowTrainer(hidden: 3, settings: diverging).fit(ShallowInputs(x), labels: labels, classCount: 2, using: &rng)
        }
    }

    /// Every parameter of a network as one vector (layer by layer, weights then bias).
    static func flat(_ n: NeuralClassifier) -> [Float] { n.network.flatParameters }

    /// One example's own gradient from the general backward pass, flattened like `flat`.
    static func exampleGradient(_ net: NeuralClassifier, _ x: [Float], _ label: Int) -> [Float] {
        net.network.parameterGradients(Matrix(rowVectors: [x])) { softmaxCrossEntropy($0, labels: [label]).gradient }.flatMap { $0 }
    }

    /// One DP-SGD step (plain SGD, learning rate 1, the whole set as one batch, no noise) moves the parameters by
    /// minus the mean of each example's gradient clipped to norm C, each computed by its own backward pass; the clip
    /// is the median norm, so half the examples are clipped and half are not.
    @Test(arguments: [(Activation.tanh, true), (.tanh, false), (.relu, false), (.sigmoid, true)])
    func clipsEachExampleAsItsOwnBackwardPassWould(_ activation: Activation, sparse: Bool) throws {
        let (x, labels) = Self.data(rows: 12, cols: 20, classes: 4, density: 0.3, binary: sparse, seed: 3)
        let settings = TrainingSettings(epochs: 1, batchSize: 12, learningRate: 1, optimizer: .sgd(momentum: 0))
        var trainer = ShallowTrainer(hidden: 6, activation: activation, settings: settings)
        var rng = SeededGenerator(seed: 9)
        let start = trainer.initialNetwork(inputs: 20, classes: 4, using: &rng)
        let perExample = (0..<12).map { Self.exampleGradient(start, x.row($0), labels[$0]) }
        let norms = perExample.map { g in g.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        let clip = norms.sorted()[6]
        var expected = Self.flat(start)
        for g in perExample {
            let factor = min(1, clip / g.reduce(0) { $0 + $1 * $1 }.squareRoot())
            for i in expected.indices { expected[i] -= g[i] * factor / 12 }
        }
        trainer.privacy = PrivateTraining(clip: clip, noiseMultiplier: 0, sampling: .shuffled)
        rng = SeededGenerator(seed: 9)
        let stepped = Self.flat(try trainer.fit(ShallowInputs(x, sparse: sparse), labels: labels, classCount: 4, using: &rng))
        let worst = zip(stepped, expected).map { abs($0 - $1) }.max()!
        let moved = zip(Self.flat(start), expected).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-5 * max(1, moved), "\(activation) sparse \(sparse): \(worst)")
        #expect(moved > 1e-3)
    }

    /// DP-SGD with no noise, a clip no gradient reaches and fixed-size batches is plain training (the expected batch
    /// size is the batch size when the rows divide into whole batches).
    @Test(arguments: [true, false])
    func privateTrainingWithoutNoiseOrClippingIsPlainTraining(sparse: Bool) throws {
        let (x, labels) = Self.data(rows: 48, cols: 30, classes: 3, density: 0.2, binary: sparse, seed: 21)
        let settings = TrainingSettings(epochs: 3, batchSize: 16, learningRate: 0.01, l2: 1e-3)
        let plain = ShallowTrainer(hidden: 10, settings: settings)
        var dp = plain
        dp.privacy = PrivateTraining(clip: 1e9, noiseMultiplier: 0, sampling: .shuffled)
        var rngA = SeededGenerator(seed: 4)
        var rngB = SeededGenerator(seed: 4)
        let a = try plain.fit(ShallowInputs(x, sparse: sparse), labels: labels, classCount: 3, using: &rngA)
        let b = try dp.fit(ShallowInputs(x, sparse: sparse), labels: labels, classCount: 3, using: &rngB)
        #expect(Self.maxDifference(a, b) < 1e-5)
    }

    /// DP-SGD's noise reaches every weight, also those of a feature no example in the batch has (sparse and dense
    /// inputs alike), and the same seed gives the same noisy model.
    @Test(arguments: [true, false])
    func noiseReachesEveryWeight(sparse: Bool) throws {
        var (x, labels) = Self.data(rows: 40, cols: 10, classes: 2, density: 0.3, binary: sparse, seed: 8)
        for r in 0..<40 { x[r, 9] = 0 }
        let settings = TrainingSettings(epochs: 2, batchSize: 10, learningRate: 0.1, optimizer: .sgd(momentum: 0))
        var trainer = ShallowTrainer(hidden: 4, settings: settings)
        var rng = SeededGenerator(seed: 2)
        let start = trainer.initialNetwork(inputs: 10, classes: 2, using: &rng)
        func unusedFeatureWeights(_ n: NeuralClassifier) -> [Float] {
            (0..<4).map { n.inputWeights[$0, 9] }
        }
        for noise: Float in [0, 1] {
            trainer.privacy = PrivateTraining(clip: 1, noiseMultiplier: noise)
            var rngA = SeededGenerator(seed: 2)
            var rngB = SeededGenerator(seed: 2)
            let a = try trainer.fit(ShallowInputs(x, sparse: sparse), labels: labels, classCount: 2, using: &rngA)
            let b = try trainer.fit(ShallowInputs(x, sparse: sparse), labels: labels, classCount: 2, using: &rngB)
            #expect(Self.flat(a) == Self.flat(b))
            let moved = zip(unusedFeatureWeights(a), unusedFeatureWeights(start)).map { abs($0 - $1) }.max()!
            if noise == 0 { #expect(moved == 0) } else { #expect(moved > 1e-3, "sparse \(sparse)") }
        }
    }

    /// Dropout and early stopping both hold back memorisation: on labels that are pure noise a network trained long
    /// fits most of its training rows, and with either defence it fits fewer; both stay reproducible by seed.
    @Test func dropoutAndEarlyStoppingMemoriseLess() throws {
        let (x, labels) = Self.data(rows: 200, cols: 30, classes: 2, density: 0.5, binary: false, seed: 14)
        let settings = TrainingSettings(epochs: 40, batchSize: 20, learningRate: 0.02)
        let plain = ShallowTrainer(hidden: 64, settings: settings)
        var dropout = plain
        dropout.dropout = 0.5
        var early = plain
        early.earlyStopping = EarlyStopping(validationShare: 0.2, patience: 3)
        var accuracies: [Double] = []
        for trainer in [plain, dropout, early] {
            var rng = SeededGenerator(seed: 6)
            let net = try trainer.fit(ShallowInputs(x), labels: labels, classCount: 2, using: &rng)
            var again = SeededGenerator(seed: 6)
            #expect(Self.flat(net) == Self.flat(try trainer.fit(ShallowInputs(x), labels: labels, classCount: 2, using: &again)))
            accuracies.append(net.accuracy(x, labels: labels))
        }
        #expect(accuracies[0] > 0.9, "\(accuracies)")
        #expect(accuracies[1] < accuracies[0] - 0.05, "\(accuracies)")
        #expect(accuracies[2] < accuracies[0] - 0.15, "\(accuracies)")
    }

    @Test func badDefenceSettingsAreErrors() {
        let (x, labels) = Self.data(rows: 10, cols: 4, classes: 2, density: 0.5, binary: true, seed: 1)
        let good = TrainingSettings(epochs: 1, batchSize: 4, learningRate: 0.01)
        var trainers: [ShallowTrainer] = []
        for change in 0..<5 {
            var t = ShallowTrainer(hidden: 3, settings: good)
            switch change {
            case 0: t.dropout = 1
            case 1: t.earlyStopping = EarlyStopping(validationShare: 0, patience: 2)
            case 2: t.earlyStopping = EarlyStopping(validationShare: 0.2, patience: 0)
            case 3: t.privacy = PrivateTraining(clip: 0, noiseMultiplier: 1)
            default: t.privacy = PrivateTraining(clip: 1, noiseMultiplier: -.infinity)
            }
            trainers.append(t)
        }
        for t in trainers {
            var rng = SeededGenerator(seed: 1)
            #expect(throws: TrainingError.self) { try t.fit(ShallowInputs(x), labels: labels, classCount: 2, using: &rng) }
        }
    }

    @Test func sparseRowsHoldTheNonZeros() {
        let m = Matrix(rowVectors: [[0, 1, 0], [2, 0, 0], [0, 0, 0]])
        let s = SparseRows(m)
        #expect(s.rowStart == [0, 1, 2, 2] && s.columns == [1, 0] && s.values == [1, 2])
        #expect(SparseRows(Matrix(rowVectors: [[0, 1], [1, 0]])).values == nil)
        #expect(abs(s.density - 2.0 / 9) < 1e-12)
    }
}
