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

    static func maxDifference(_ a: Network, _ b: Network) -> Float {
        var worst: Float = 0
        for (la, lb) in zip(a.layers, b.layers) {
            if case .dense(let da) = la, case .dense(let db) = lb {
                for (x, y) in zip(da.weight.data + da.bias, db.weight.data + db.bias) { worst = max(worst, abs(x - y)) }
            }
        }
        return worst
    }

    @Test(arguments: [
        (Layer.tanh, true, Optimizer.adam), (.tanh, false, .adam), (.sigmoid, true, .sgd(momentum: 0.9)),
        (.relu, false, .sgd(momentum: 0.5)),
    ])
    func takesTheSameStepsAsTheGeneralTrainer(_ activation: Layer, sparse: Bool, optimizer: Optimizer) throws {
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
        #expect(a.layers[1] == activation)
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

    @Test func sparseRowsHoldTheNonZeros() {
        let m = Matrix(rowVectors: [[0, 1, 0], [2, 0, 0], [0, 0, 0]])
        let s = SparseRows(m)
        #expect(s.rowStart == [0, 1, 2, 2] && s.columns == [1, 0] && s.values == [1, 2])
        #expect(SparseRows(Matrix(rowVectors: [[0, 1], [1, 0]])).values == nil)
        #expect(abs(s.density - 2.0 / 9) < 1e-12)
    }
}
