import MLCore

/// A feed-forward classifier: layers applied in order, the last output read as logits.
public struct Network: Sendable, Equatable {
    /// The layers, input first.
    public var layers: [Layer]

    /// A network of these layers; the first and last must be dense.
    public init(layers: [Layer]) {
        self.layers = layers
    }

    /// Softmax regression: one dense layer `inputs -> classes`.
    public static func softmaxRegression(inputs: Int, classes: Int, using rng: inout SeededGenerator) -> Network {
        Network(layers: [.dense(Dense(inputs: inputs, outputs: classes, using: &rng))])
    }

    /// Softmax regression started at zero weights, the usual start for this convex model.
    ///
    /// Gradients of W only ever lie in the span of the training inputs, so the part of a random start
    /// orthogonal to them is never trained away: it stays as pixel noise in W and in every inversion.
    /// From zero, W holds only what the data put there.
    public static func softmaxRegression(inputs: Int, classes: Int) -> Network {
        Network(layers: [.dense(Dense(weight: Matrix(rows: classes, cols: inputs), bias: [Float](repeating: 0, count: classes)))])
    }

    /// A multilayer perceptron with one sigmoid hidden layer.
    public static func mlp(inputs: Int, hidden: Int, classes: Int, using rng: inout SeededGenerator) -> Network {
        Network(layers: [
            .dense(Dense(inputs: inputs, outputs: hidden, using: &rng)), .sigmoid,
            .dense(Dense(inputs: hidden, outputs: classes, using: &rng)),
        ])
    }

    /// The outputs of every layer for `x` (`activations[0]` is `x`).
    public func activations(_ x: Matrix, from start: Int = 0) -> [Matrix] {
        var acts = [x]
        for layer in layers[start...] { acts.append(layer.forward(acts[acts.count - 1])) }
        return acts
    }

    /// Gradients of every parameter from cached activations and the logit gradient, accumulated into
    /// `grads` as `grads = beta * grads + gradient` (one slot per dense layer, reused across calls so no
    /// weight-sized buffer is allocated per step; `beta` = momentum turns the slot into SGD's velocity).
    public func backward(_ acts: [Matrix], logitGradient: Matrix, into grads: inout [Dense?], beta: Float = 0) {
        var g = logitGradient
        for i in stride(from: layers.count - 1, through: 0, by: -1) {
            let input = acts[i]
            if case .dense(let d) = layers[i] {
                var slot = grads[i] ?? Dense(weight: Matrix(rows: d.outputs, cols: d.inputs), bias: [Float](repeating: 0, count: d.outputs))
                grads[i] = nil
                Matrix.gemm(g, .transposed, input, .none, into: &slot.weight, beta: beta)
                let sums = g.columnSums()
                for j in slot.bias.indices { slot.bias[j] = beta * slot.bias[j] + sums[j] }
                grads[i] = slot
            }
            if i > 0 {
                g = layers[i].backwardInput(input: input, output: acts[i + 1], gradient: g)
            }
        }
    }

    /// The number of trainable parameters.
    public var parameterCount: Int {
        layers.reduce(0) { n, l in
            if case .dense(let d) = l { return n + d.weight.data.count + d.bias.count }
            return n
        }
    }

    /// Multiply-adds of one forward pass for one input row, times two (FLOPs).
    public var forwardFLOPsPerRow: Double {
        layers.reduce(0) { n, l in
            if case .dense(let d) = l { return n + 2 * Double(d.weight.data.count) }
            return n
        }
    }

    var firstDense: Dense? {
        if case .dense(let d)? = layers.first { return d }
        return nil
    }
}

extension Network: AffineInputClassifier {
    /// Length of one input row.
    public var inputSize: Int { firstDense?.inputs ?? 0 }

    /// Number of classes (outputs of the last dense layer).
    public var classCount: Int {
        for l in layers.reversed() { if case .dense(let d) = l { return d.outputs } }
        return 0
    }

    /// Logits for each row of `x`.
    public func logits(_ x: Matrix) -> Matrix {
        layers.reduce(x) { $1.forward($0) }
    }

    /// Logits and the gradient of a loss with respect to the input.
    public func inputGradient(_ x: Matrix, logitGradient: (Matrix) -> Matrix) -> (logits: Matrix, gradient: Matrix) {
        let acts = activations(x)
        let logits = acts[acts.count - 1]
        var g = logitGradient(logits)
        for i in stride(from: layers.count - 1, through: 0, by: -1) {
            g = layers[i].backwardInput(input: acts[i], output: acts[i + 1], gradient: g)
        }
        return (logits, g)
    }

    /// The first layer's weights.
    public var inputWeights: Matrix { firstDense?.weight ?? Matrix(rows: 0, cols: 0) }

    /// The first layer's bias.
    public var inputBias: [Float] { firstDense?.bias ?? [] }

    /// Logits from first-layer pre-activations, and the loss gradient with respect to them.
    public func preactivationGradient(_ z: Matrix, logitGradient: (Matrix) -> Matrix) -> (logits: Matrix, gradient: Matrix) {
        let acts = activations(z, from: 1)
        let logits = acts[acts.count - 1]
        var g = logitGradient(logits)
        for i in stride(from: layers.count - 1, through: 1, by: -1) {
            g = layers[i].backwardInput(input: acts[i - 1], output: acts[i], gradient: g)
        }
        return (logits, g)
    }
}
