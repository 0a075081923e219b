import MLCore

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// One trainable tensor of a layer, as the optimiser and the model files see it.
public struct ParameterShape: Sendable, Equatable {
    /// The tensor's name in a saved model (`layerI.NAME.npy`).
    public let name: String
    /// Its shape, outermost first (`[outputs, inputs]` for a dense weight).
    public let shape: [Int]
    /// Whether the L2 penalty applies to it (weights yes, biases no).
    public let decays: Bool

    /// A tensor of this name, shape and penalty.
    public init(name: String, shape: [Int], decays: Bool) {
        self.name = name
        self.shape = shape
        self.decays = decays
    }

    /// The number of values.
    public var count: Int { shape.reduce(1, *) }
}

/// One stage of a feed-forward network: a differentiable map of its input rows, with or without parameters.
///
/// A new kind of layer conforms to this protocol (and, to be saved, is listed in `ModelIO.kinds`); the trainer,
/// the optimiser and the model files need no change. Parameter-free layers take the defaults below.
public protocol Layer: Sendable {
    /// The layer as one line of a saved model's `layers.txt` (`dense 10304 40`, `sigmoid`).
    var descriptor: String { get }
    /// The input width the layer requires, or nil for element-wise layers that take any width.
    var inputWidth: Int? { get }
    /// The output width for inputs of `width` values.
    func outputWidth(forInput width: Int) -> Int
    /// The layer's output for each row of `x`.
    func forward(_ x: Matrix) -> Matrix
    /// The gradient with respect to the input, from the input, the output and the gradient of the output.
    func inputGradient(input: Matrix, output: Matrix, outputGradient: Matrix) -> Matrix
    /// The trainable tensors, in the order `parameter(_:)` and the gradient buffers use.
    var parameterShapes: [ParameterShape] { get }
    /// The values of tensor `index`.
    func parameter(_ index: Int) -> [Float]
    /// Gives `body` the values of tensor `index` to change in place.
    mutating func updateParameter(_ index: Int, _ body: (UnsafeMutableBufferPointer<Float>) -> Void)
    /// Sets `gradients[t] = beta * gradients[t] + dLoss/dTensor_t` for each tensor, from the batch's input and
    /// the gradient of the loss with respect to the output.
    func accumulateGradients(input: Matrix, outputGradient: Matrix, into gradients: [UnsafeMutableBufferPointer<Float>], beta: Float)
    /// Multiply-adds of one forward pass for one row, times two.
    var forwardFLOPsPerRow: Double { get }
}

extension Layer {
    /// Parameter-free: no tensors.
    public var parameterShapes: [ParameterShape] { [] }
    /// Parameter-free: no tensors.
    public func parameter(_ index: Int) -> [Float] { [] }
    /// Parameter-free: nothing to update.
    public mutating func updateParameter(_ index: Int, _ body: (UnsafeMutableBufferPointer<Float>) -> Void) {}
    /// Parameter-free: no gradients.
    public func accumulateGradients(
        input: Matrix, outputGradient: Matrix, into gradients: [UnsafeMutableBufferPointer<Float>], beta: Float
    ) {}
    /// Element-wise work is not counted.
    public var forwardFLOPsPerRow: Double { 0 }
    /// Element-wise layers take any width.
    public var inputWidth: Int? { nil }
    /// Element-wise layers keep the width.
    public func outputWidth(forInput width: Int) -> Int { width }

    /// Whether `other` is the same kind of layer with the same parameter values.
    public func isSame(as other: any Layer) -> Bool {
        guard descriptor == other.descriptor, parameterShapes == other.parameterShapes else { return false }
        return parameterShapes.indices.allSatisfy { parameter($0) == other.parameter($0) }
    }
}

/// A fully connected layer `y = x W^T + b`, with `W` stored `outputs x inputs` (one template per output).
public struct Dense: Layer, Equatable {
    /// Weights, `outputs x inputs`.
    public var weight: Matrix
    /// Bias, `outputs` values.
    public var bias: [Float]

    /// Inputs per row.
    public var inputs: Int { weight.cols }
    /// Outputs per row.
    public var outputs: Int { weight.rows }

    /// A layer with the given parameters.
    public init(weight: Matrix, bias: [Float]) {
        precondition(bias.count == weight.rows, "Dense: bias length must equal the output count")
        self.weight = weight
        self.bias = bias
    }

    /// A Glorot-uniform initialised layer with zero bias.
    public init(inputs: Int, outputs: Int, using rng: inout SeededGenerator) {
        let limit = (6 / Float(inputs + outputs)).squareRoot()
        var w = Matrix(rows: outputs, cols: inputs)
        for i in w.data.indices { w.data[i] = (rng.nextUniform() * 2 - 1) * limit }
        self.init(weight: w, bias: [Float](repeating: 0, count: outputs))
    }

    /// `dense IN OUT`.
    public var descriptor: String { "dense \(inputs) \(outputs)" }
    /// The input width.
    public var inputWidth: Int? { inputs }
    /// The output count.
    public func outputWidth(forInput width: Int) -> Int { outputs }

    /// `x W^T + b`.
    public func forward(_ x: Matrix) -> Matrix {
        var y = Matrix(rows: x.rows, cols: outputs)
        Matrix.gemm(x, .none, weight, .transposed, into: &y)
        y.addRowVector(bias)
        return y
    }

    /// `g W`.
    public func inputGradient(input: Matrix, output: Matrix, outputGradient g: Matrix) -> Matrix {
        Matrix.product(g, .none, weight, .none)
    }

    /// The weight (L2-penalised) and the bias.
    public var parameterShapes: [ParameterShape] {
        [
            ParameterShape(name: "weight", shape: [outputs, inputs], decays: true),
            ParameterShape(name: "bias", shape: [outputs], decays: false),
        ]
    }

    /// The weight (0) or the bias (1).
    public func parameter(_ index: Int) -> [Float] { index == 0 ? weight.data : bias }

    /// The weight (0) or the bias (1), in place.
    public mutating func updateParameter(_ index: Int, _ body: (UnsafeMutableBufferPointer<Float>) -> Void) {
        if index == 0 { weight.data.withUnsafeMutableBufferPointer { body($0) } } else { bias.withUnsafeMutableBufferPointer { body($0) } }
    }

    /// dW = g^T x (one GEMM) and db = the column sums of g.
    public func accumulateGradients(
        input: Matrix, outputGradient g: Matrix, into gradients: [UnsafeMutableBufferPointer<Float>], beta: Float
    ) {
        g.data.withUnsafeBufferPointer { pg in
            input.data.withUnsafeBufferPointer { px in
                BLAS.gemm(
                    outputs, inputs, g.rows, pg.baseAddress!, g.cols, transposeA: true, px.baseAddress!, input.cols, transposeB: false,
                    gradients[0].baseAddress!, inputs, beta: beta)
            }
        }
        let sums = g.columnSums()
        let b = gradients[1]
        for j in 0..<outputs { b[j] = beta * b[j] + sums[j] }
    }

    /// Two FLOPs per weight.
    public var forwardFLOPsPerRow: Double { 2 * Double(weight.data.count) }
}

/// An element-wise non-linearity.
public enum Activation: String, Layer, CaseIterable, Equatable {
    /// The logistic function.
    case sigmoid
    /// max(0, x).
    case relu
    /// The hyperbolic tangent (Shokri et al.'s hidden layer).
    case tanh

    /// The name (`sigmoid`, `relu`, `tanh`).
    public var descriptor: String { rawValue }

    /// The activation of each element.
    public func forward(_ x: Matrix) -> Matrix {
        var y = x
        y.data.withUnsafeMutableBufferPointer { d in apply(d.baseAddress!, d.count) }
        return y
    }

    /// Applies the activation in place to `n` values (tanh vectorised).
    func apply(_ x: UnsafeMutablePointer<Float>, _ n: Int) {
        switch self {
        case .sigmoid: for i in 0..<n { x[i] = 1 / (1 + expf(-x[i])) }
        case .relu: for i in 0..<n where x[i] < 0 { x[i] = 0 }
        case .tanh: FastMath.tanh(x, n)
        }
    }

    /// The derivative at the point whose output is `y`, from `y` alone.
    @inline(__always)
    func derivative(at y: Float) -> Float {
        switch self {
        case .tanh: return 1 - y * y
        case .sigmoid: return y * (1 - y)
        case .relu: return y > 0 ? 1 : 0
        }
    }

    /// The output gradient times the derivative (relu's from the input, the others from the output).
    public func inputGradient(input: Matrix, output: Matrix, outputGradient g: Matrix) -> Matrix {
        var out = g
        switch self {
        case .relu:
            for i in out.data.indices where input.data[i] <= 0 { out.data[i] = 0 }
        case .sigmoid, .tanh:
            out.data.withUnsafeMutableBufferPointer { o in
                output.data.withUnsafeBufferPointer { y in
                    for i in o.indices { o[i] *= derivative(at: y[i]) }
                }
            }
        }
        return out
    }
}
