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

/// Settings for minibatch training with softmax cross-entropy and L2 on the weights.
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

    /// Training settings.
    public init(epochs: Int, batchSize: Int, learningRate: Float, l2: Float = 0, optimizer: Optimizer = .adam) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.l2 = l2
        self.optimizer = optimizer
    }

    func validate() throws {
        guard epochs >= 1 else { throw TrainingError.invalidSetting("epochs must be at least 1 (got \(epochs))") }
        guard batchSize >= 1 else { throw TrainingError.invalidSetting("batch size must be at least 1 (got \(batchSize))") }
        guard learningRate > 0, learningRate.isFinite else {
            throw TrainingError.invalidSetting("learning rate must be positive (got \(learningRate))")
        }
        guard l2 >= 0, l2.isFinite else { throw TrainingError.invalidSetting("L2 must be non-negative (got \(l2))") }
    }
}

/// The mean softmax cross-entropy of `logits` against `labels`, and its gradient with respect to the logits.
public func softmaxCrossEntropy(_ logits: Matrix, labels: [Int]) -> (loss: Float, gradient: Matrix) {
    var g = Softmax.rows(logits)
    let n = Float(logits.rows)
    var loss: Float = 0
    for r in 0..<logits.rows {
        let i = r * logits.cols + labels[r]
        loss -= logf(max(g.data[i], 1e-30))
        g.data[i] -= 1
    }
    g.scale(by: 1 / n)
    return (loss / n, g)
}

/// The mean cross-entropy of softmax(`logits`) against probability rows `targets`, and its gradient with respect to
/// the logits (softmax minus target, over the batch size).
public func softCrossEntropy(_ logits: Matrix, targets: Matrix) -> (loss: Float, gradient: Matrix) {
    var g = Softmax.rows(logits)
    let logP = Softmax.logRows(logits)
    let n = Float(logits.rows)
    var loss: Float = 0
    for i in g.data.indices {
        if targets.data[i] > 0 { loss -= targets.data[i] * logP.data[i] }
        g.data[i] -= targets.data[i]
    }
    g.scale(by: 1 / n)
    return (loss / n, g)
}

/// Minibatch training of a `Network` on labelled rows.
public struct Trainer: Sendable {
    /// The settings used.
    public let settings: TrainingSettings

    /// A trainer with these settings.
    public init(_ settings: TrainingSettings) {
        self.settings = settings
    }

    /// Trains `network` on `x`/`labels`; `onEpoch(epoch, meanLoss)` is called after each epoch.
    public func fit(
        _ network: Network, x: Matrix, labels: [Int], using rng: inout SeededGenerator,
        onEpoch: (Int, Float) -> Void = { _, _ in }
    ) throws -> Network {
        try settings.validate()
        guard x.rows == labels.count, x.rows > 0 else {
            throw TrainingError.shapeMismatch("\(x.rows) rows but \(labels.count) labels")
        }
        guard x.cols == network.inputSize else {
            throw TrainingError.shapeMismatch("rows have \(x.cols) values, the model takes \(network.inputSize)")
        }
        if let bad = labels.first(where: { $0 < 0 || $0 >= network.classCount }) {
            throw TrainingError.shapeMismatch("label \(bad) outside 0..<\(network.classCount)")
        }
        return try run(network, x: x, using: &rng, onEpoch: onEpoch) { logits, idx in
            softmaxCrossEntropy(logits, labels: idx.map { labels[$0] })
        }
    }

    /// Trains `network` to reproduce probability rows `targets` (cross-entropy against soft labels, as when a
    /// surrogate learns from another model's answers); `onEpoch(epoch, meanLoss)` is called after each epoch.
    public func fit(
        _ network: Network, x: Matrix, targets: Matrix, using rng: inout SeededGenerator,
        onEpoch: (Int, Float) -> Void = { _, _ in }
    ) throws -> Network {
        try settings.validate()
        guard x.rows == targets.rows, x.rows > 0 else {
            throw TrainingError.shapeMismatch("\(x.rows) rows but \(targets.rows) target rows")
        }
        guard x.cols == network.inputSize, targets.cols == network.classCount else {
            throw TrainingError.shapeMismatch(
                "rows have \(x.cols) values and targets \(targets.cols) classes; the model takes \(network.inputSize) and has \(network.classCount)"
            )
        }
        return try run(network, x: x, using: &rng, onEpoch: onEpoch) { logits, idx in
            softCrossEntropy(logits, targets: targets.rows(idx))
        }
    }

    private func run(
        _ start: Network, x: Matrix, using rng: inout SeededGenerator,
        onEpoch: (Int, Float) -> Void, loss lossOf: (Matrix, [Int]) -> (loss: Float, gradient: Matrix)
    ) throws -> Network {
        var net = start
        var state = OptimizerState(net)
        var step = 0
        for epoch in 1...settings.epochs {
            let order = rng.permutation(x.rows)
            var total: Float = 0
            var batches = 0
            for b in stride(from: 0, to: order.count, by: settings.batchSize) {
                let idx = Array(order[b..<min(b + settings.batchSize, order.count)])
                let xb = x.rows(idx)
                let acts = net.activations(xb)
                let (loss, g) = lossOf(acts[acts.count - 1], idx)
                guard loss.isFinite else { throw TrainingError.diverged(epoch: epoch, loss: loss) }
                total += loss
                batches += 1
                step += 1
                state.step(&net, acts: acts, logitGradient: g, settings: settings, step: step)
            }
            let mean = total / Float(max(batches, 1))
            onEpoch(epoch, mean)
        }
        for l in net.layers {
            if case .dense(let d) = l, !d.weight.isFinite {
                throw TrainingError.diverged(epoch: settings.epochs, loss: .nan)
            }
        }
        return net
    }
}

/// Per-parameter optimiser memory: SGD's velocity (which doubles as the gradient buffer, so one step
/// is a GEMM with beta = momentum and two AXPYs) or Adam's gradient and two moments.
struct OptimizerState {
    var grad: [Dense?]
    var m: [Dense?]
    var v: [Dense?]

    init(_ net: Network) {
        grad = net.layers.map { l in
            if case .dense(let d) = l {
                return Dense(weight: Matrix(rows: d.outputs, cols: d.inputs), bias: [Float](repeating: 0, count: d.outputs))
            }
            return nil
        }
        m = grad
        v = grad
    }

    mutating func step(_ net: inout Network, acts: [Matrix], logitGradient: Matrix, settings: TrainingSettings, step: Int) {
        switch settings.optimizer {
        case .sgd(let mu):
            net.backward(acts, logitGradient: logitGradient, into: &grad, beta: mu)
        case .adam:
            net.backward(acts, logitGradient: logitGradient, into: &grad, beta: 0)
        }
        for i in net.layers.indices {
            guard case .dense(var d) = net.layers[i], var gi = grad[i] else { continue }
            // Release the stored references so the updates below mutate unique buffers in place.
            net.layers[i] = .relu
            grad[i] = nil
            switch settings.optimizer {
            case .sgd:
                if settings.l2 > 0 { gi.weight.add(d.weight, scaledBy: settings.l2) }
                d.weight.add(gi.weight, scaledBy: -settings.learningRate)
                for j in d.bias.indices { d.bias[j] -= settings.learningRate * gi.bias[j] }
            case .adam:
                guard var mi = m[i], var vi = v[i] else { continue }
                m[i] = nil
                v[i] = nil
                let c1 = 1 - powf(0.9, Float(step))
                let c2 = 1 - powf(0.999, Float(step))
                Self.adam(
                    &d.weight.data, gi.weight.data, &mi.weight.data, &vi.weight.data, lr: settings.learningRate, c1: c1, c2: c2,
                    l2: settings.l2)
                Self.adam(&d.bias, gi.bias, &mi.bias, &vi.bias, lr: settings.learningRate, c1: c1, c2: c2, l2: 0)
                m[i] = mi
                v[i] = vi
            }
            net.layers[i] = .dense(d)
            grad[i] = gi
        }
    }

    static func adam(
        _ p: inout [Float], _ g: [Float], _ m: inout [Float], _ v: inout [Float],
        lr: Float, c1: Float, c2: Float, l2: Float
    ) {
        p.withUnsafeMutableBufferPointer { p in
            g.withUnsafeBufferPointer { g in
                m.withUnsafeMutableBufferPointer { m in
                    v.withUnsafeMutableBufferPointer { v in
                        let a = lr / c1
                        let invC2 = 1 / c2
                        for i in 0..<p.count {
                            let gi = g[i] + l2 * p[i]
                            m[i] = 0.9 * m[i] + 0.1 * gi
                            v[i] = 0.999 * v[i] + 0.001 * gi * gi
                            p[i] -= a * m[i] / ((v[i] * invC2).squareRoot() + 1e-8)
                        }
                    }
                }
            }
        }
    }
}
