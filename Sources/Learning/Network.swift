import MLCore

/// A feed-forward network: a function of its input rows, the layers applied in order.
///
/// A network has no idea what its output means: `NeuralClassifier` reads it as class logits, `Decoder` as an
/// image, and the trainer fits it to whatever targets a `Loss` compares it with.
public struct Network: Sendable, Equatable {
    /// The layers, input first.
    public var layers: [any Layer]

    /// A network of these layers.
    public init(layers: [any Layer]) {
        self.layers = layers
    }

    /// The input width: that of the first layer that fixes one (0 when none does).
    public var inputWidth: Int { layers.lazy.compactMap(\.inputWidth).first ?? 0 }

    /// The output width for the network's input width.
    public var outputWidth: Int { outputWidth(after: layers.count) }

    /// The width of the output of the first `count` layers (the input width for 0).
    public func outputWidth(after count: Int) -> Int {
        layers.prefix(count).reduce(inputWidth) { $1.outputWidth(forInput: $0) }
    }

    /// The output for each row of `x`.
    public func callAsFunction(_ x: Matrix) -> Matrix {
        layers.reduce(x) { $1.forward($0) }
    }

    /// This network followed by `next` (e.g. a decoder followed by the classifier it attacks).
    public func then(_ next: Network) -> Network {
        Network(layers: layers + next.layers)
    }

    /// The outputs of every layer from `start` on, for `x` the input of layer `start` (`activations[0]` is `x`).
    public func activations(_ x: Matrix, from start: Int = 0) -> [Matrix] {
        var acts = [x]
        for layer in layers[start...] { acts.append(layer.forward(acts[acts.count - 1])) }
        return acts
    }

    /// The output and the gradient of a loss with respect to the input of layer `start`, for `x` that input;
    /// `outputGradient` maps the output to the loss's gradient with respect to it. With `start` > 0 an attack
    /// descends in the space a layer reads (a decoder's code, a first layer's pre-activations).
    public func inputGradient(_ x: Matrix, from start: Int = 0, outputGradient: (Matrix) -> Matrix) -> (output: Matrix, gradient: Matrix) {
        let acts = activations(x, from: start)
        let output = acts[acts.count - 1]
        var g = outputGradient(output)
        for i in stride(from: layers.count - 1, through: start, by: -1) {
            g = layers[i].inputGradient(input: acts[i - start], output: acts[i - start + 1], outputGradient: g)
        }
        return (output, g)
    }

    /// Gradients of every parameter from cached activations and the output gradient, accumulated into the
    /// optimiser's flat store as `gradient = beta * gradient + new` (`beta` = momentum turns it into SGD's velocity).
    /// The first layer's input gradient is never computed.
    func backward(_ acts: [Matrix], outputGradient: Matrix, into store: inout ParameterStore, beta: Float = 0) {
        var g = outputGradient
        for i in stride(from: layers.count - 1, through: 0, by: -1) {
            if !layers[i].parameterShapes.isEmpty {
                store.withGradients(ofLayer: i) { layers[i].accumulateGradients(input: acts[i], outputGradient: g, into: $0, beta: beta) }
            }
            if i > 0 {
                g = layers[i].inputGradient(input: acts[i], output: acts[i + 1], outputGradient: g)
            }
        }
    }

    /// The gradient of a loss with respect to every parameter tensor for the batch `x`, layer by layer and in each
    /// layer's `parameterShapes` order; `outputGradient` maps the output to the loss's gradient with respect to it.
    public func parameterGradients(_ x: Matrix, outputGradient: (Matrix) -> Matrix) -> [[Float]] {
        let acts = activations(x)
        var store = ParameterStore(self, optimizer: .sgd(momentum: 0))
        backward(acts, outputGradient: outputGradient(acts[acts.count - 1]), into: &store)
        return store.slots.map { Array(store.gradient[$0.offset..<($0.offset + $0.count)]) }
    }

    /// Every parameter, layer by layer, tensor by tensor, as one vector (the order of `parameterGradients`).
    public var flatParameters: [Float] {
        layers.flatMap { l in l.parameterShapes.indices.flatMap { l.parameter($0) } }
    }

    /// The number of trainable parameters.
    public var parameterCount: Int {
        layers.reduce(0) { n, l in n + l.parameterShapes.reduce(0) { $0 + $1.count } }
    }

    /// Multiply-adds of one forward pass for one input row, times two (FLOPs).
    public var forwardFLOPsPerRow: Double {
        layers.reduce(0) { $0 + $1.forwardFLOPsPerRow }
    }

    /// Whether every parameter is finite.
    public var isFinite: Bool {
        layers.allSatisfy { l in l.parameterShapes.indices.allSatisfy { l.parameter($0).allSatisfy(\.isFinite) } }
    }

    /// Same layers with the same parameters.
    public static func == (a: Network, b: Network) -> Bool {
        a.layers.count == b.layers.count && zip(a.layers, b.layers).allSatisfy { $0.isSame(as: $1) }
    }
}
