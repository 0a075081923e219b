import MLCore

/// A network read as a classifier: its outputs are the logits of `classCount` classes.
public struct NeuralClassifier: Sendable, Equatable {
    /// The network; its output width is the class count.
    public var network: Network

    /// The classifier whose logits are `network`'s outputs.
    public init(_ network: Network) {
        self.network = network
    }

    /// Softmax regression: one dense layer `inputs -> classes`.
    public static func softmaxRegression(inputs: Int, classes: Int, using rng: inout SeededGenerator) -> NeuralClassifier {
        NeuralClassifier(Network(layers: [Dense(inputs: inputs, outputs: classes, using: &rng)]))
    }

    /// Softmax regression started at zero weights, the usual start for this convex model.
    ///
    /// Gradients of W only ever lie in the span of the training inputs, so the part of a random start
    /// orthogonal to them is never trained away: it stays as pixel noise in W and in every inversion.
    /// From zero, W holds only what the data put there.
    public static func softmaxRegression(inputs: Int, classes: Int) -> NeuralClassifier {
        NeuralClassifier(Network(layers: [Dense(weight: Matrix(rows: classes, cols: inputs), bias: [Float](repeating: 0, count: classes))]))
    }

    /// A multilayer perceptron with one hidden layer (sigmoid unless said otherwise).
    public static func mlp(
        inputs: Int, hidden: Int, classes: Int, activation: Activation = .sigmoid, using rng: inout SeededGenerator
    ) -> NeuralClassifier {
        NeuralClassifier(
            Network(layers: [
                Dense(inputs: inputs, outputs: hidden, using: &rng), activation, Dense(inputs: hidden, outputs: classes, using: &rng),
            ]))
    }

    /// The first layer, when it is dense (every classifier the experiments build).
    var firstDense: Dense? { network.layers.first as? Dense }
}

extension NeuralClassifier: AffineInputClassifier {
    /// Length of one input row.
    public var inputSize: Int { network.inputWidth }

    /// Number of classes (the network's outputs).
    public var classCount: Int { network.outputWidth }

    /// Logits for each row of `x`.
    public func logits(_ x: Matrix) -> Matrix { network(x) }

    /// Logits and the gradient of a loss with respect to the input.
    public func inputGradient(_ x: Matrix, logitGradient: (Matrix) -> Matrix) -> (logits: Matrix, gradient: Matrix) {
        let (z, g) = network.inputGradient(x, outputGradient: logitGradient)
        return (z, g)
    }

    /// The first layer's weights (empty when the first layer is not dense).
    public var inputWeights: Matrix { firstDense?.weight ?? Matrix(rows: 0, cols: 0) }

    /// The first layer's bias.
    public var inputBias: [Float] { firstDense?.bias ?? [] }

    /// Logits from first-layer pre-activations, and the loss gradient with respect to them.
    public func preactivationGradient(_ z: Matrix, logitGradient: (Matrix) -> Matrix) -> (logits: Matrix, gradient: Matrix) {
        let (out, g) = network.inputGradient(z, from: 1, outputGradient: logitGradient)
        return (out, g)
    }
}

/// A network that maps a code to an output row (an image): trained with squared error or binary cross-entropy,
/// never read as classes.
public struct Decoder: Sendable, Equatable {
    /// The network, code in, output out.
    public var network: Network

    /// The decoder computed by `network`.
    public init(_ network: Network) {
        self.network = network
    }

    /// Values per code.
    public var codeSize: Int { network.inputWidth }
    /// Values per output row.
    public var outputSize: Int { network.outputWidth }

    /// The output for each code (one per row).
    public func decode(_ codes: Matrix) -> Matrix { network(codes) }
}
