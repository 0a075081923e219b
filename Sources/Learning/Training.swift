import MLCore

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// Training stopped on bad settings or diverged; the message says what to change.
public enum TrainingError: Error, CustomStringConvertible, Sendable {
    /// A setting is out of range.
    case invalidSetting(String)
    /// The loss or a parameter became NaN or infinite.
    case diverged(epoch: Int, loss: Float)
    /// The data does not fit the model.
    case shapeMismatch(String)

    /// The user-facing message.
    public var description: String {
        switch self {
        case .invalidSetting(let s): return "invalid training setting: \(s)"
        case .diverged(let epoch, let loss):
            return
                "training diverged in epoch \(epoch) (loss \(loss)): the learning rate is too high for this model; lower it (e.g. by 10x)."
        case .shapeMismatch(let s): return "training data does not fit the model: \(s)"
        }
    }
}

/// The optimiser that turns gradients into steps.
public enum Optimizer: Sendable, Equatable {
    /// Minibatch SGD with (heavy-ball) momentum.
    case sgd(momentum: Float)
    /// Adam (Kingma and Ba 2015) with the usual beta1 0.9, beta2 0.999, epsilon 1e-8.
    case adam
}

/// Settings for minibatch training: epochs, batches, step size, L2 on the weights, optimiser, input noise.
public struct TrainingSettings: Sendable, Equatable {
    /// Passes over the training set.
    public var epochs: Int
    /// Rows per minibatch.
    public var batchSize: Int
    /// Step size.
    public var learningRate: Float
    /// L2 penalty `lambda/2 * |W|^2` on weights (not biases).
    public var l2: Float
    /// The optimiser.
    public var optimizer: Optimizer
    /// Noise on each minibatch's inputs (denoising training), or nil.
    public var corruption: Corruption?

    /// Training settings.
    public init(
        epochs: Int, batchSize: Int, learningRate: Float, l2: Float = 0, optimizer: Optimizer = .adam, corruption: Corruption? = nil
    ) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.l2 = l2
        self.optimizer = optimizer
        self.corruption = corruption
    }

    func validate() throws {
        guard epochs >= 1 else { throw TrainingError.invalidSetting("epochs must be at least 1 (got \(epochs))") }
        guard batchSize >= 1 else { throw TrainingError.invalidSetting("batch size must be at least 1 (got \(batchSize))") }
        guard learningRate > 0, learningRate.isFinite else {
            throw TrainingError.invalidSetting("learning rate must be positive (got \(learningRate))")
        }
        guard l2 >= 0, l2.isFinite else { throw TrainingError.invalidSetting("L2 must be non-negative (got \(l2))") }
        try corruption?.validate()
    }
}

/// Minibatch training of a `Network` on labelled rows.
public struct Trainer: Sendable {
    /// The settings used.
    public let settings: TrainingSettings

    /// A trainer with these settings.
    public init(_ settings: TrainingSettings) {
        self.settings = settings
    }

    /// Trains `network` to match `targets` under `loss`; `onEpoch(epoch, meanLoss)` is called after each epoch.
    /// The minibatches (and any input corruption) come from `rng`.
    public func fit(
        _ network: Network, x: Matrix, targets: TrainingTargets, loss: Loss, using rng: inout SeededGenerator,
        onEpoch: (Int, Float) -> Void = { _, _ in }
    ) throws -> Network {
        try settings.validate()
        guard x.rows == targets.count, x.rows > 0 else {
            throw TrainingError.shapeMismatch("\(x.rows) rows but \(targets.count) targets")
        }
        guard x.cols == network.inputWidth else {
            throw TrainingError.shapeMismatch("rows have \(x.cols) values, the model takes \(network.inputWidth)")
        }
        try loss.validate(targets, outputs: network.outputWidth)
        var net = network
        var store = ParameterStore(net, optimizer: settings.optimizer)
        var step = 0
        for epoch in 1...settings.epochs {
            let order = rng.permutation(x.rows)
            var total: Float = 0
            var batches = 0
            for b in stride(from: 0, to: order.count, by: settings.batchSize) {
                let idx = Array(order[b..<min(b + settings.batchSize, order.count)])
                var xb = x.rows(idx)
                if let noise = settings.corruption { xb = noise.apply(xb, using: &rng) }
                let acts = net.activations(xb)
                let (value, g) = loss.evaluate(acts[acts.count - 1], targets.batch(idx))
                guard value.isFinite else { throw TrainingError.diverged(epoch: epoch, loss: value) }
                total += value
                batches += 1
                step += 1
                store.step(&net, acts: acts, outputGradient: g, settings: settings, step: step)
            }
            onEpoch(epoch, total / Float(max(batches, 1)))
        }
        guard net.isFinite else { throw TrainingError.diverged(epoch: settings.epochs, loss: .nan) }
        return net
    }

    /// Trains `classifier` on `x`/`labels` with `loss` (cross-entropy unless said otherwise).
    public func fit(
        _ classifier: NeuralClassifier, x: Matrix, labels: [Int], loss: Loss = .crossEntropy, using rng: inout SeededGenerator,
        onEpoch: (Int, Float) -> Void = { _, _ in }
    ) throws -> NeuralClassifier {
        NeuralClassifier(try fit(classifier.network, x: x, targets: .labels(labels), loss: loss, using: &rng, onEpoch: onEpoch))
    }

    /// Trains `classifier` to reproduce probability rows `targets` (cross-entropy against soft labels, as when a
    /// surrogate learns from another model's answers).
    public func fit(
        _ classifier: NeuralClassifier, x: Matrix, targets: Matrix, using rng: inout SeededGenerator,
        onEpoch: (Int, Float) -> Void = { _, _ in }
    ) throws -> NeuralClassifier {
        NeuralClassifier(try fit(classifier.network, x: x, targets: .rows(targets), loss: .softCrossEntropy, using: &rng, onEpoch: onEpoch))
    }

    /// Trains `decoder` to map `codes` to `outputs` under `loss` (squared error unless said otherwise).
    public func fit(
        _ decoder: Decoder, codes: Matrix, outputs: Matrix, loss: Loss = .squaredError, using rng: inout SeededGenerator,
        onEpoch: (Int, Float) -> Void = { _, _ in }
    ) throws -> Decoder {
        Decoder(try fit(decoder.network, x: codes, targets: .rows(outputs), loss: loss, using: &rng, onEpoch: onEpoch))
    }
}
