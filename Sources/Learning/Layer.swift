import MLCore

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// A fully connected layer `y = x W^T + b`, with `W` stored `outputs x inputs` (one template per output).
public struct Dense: Sendable, Equatable {
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

    /// `x W^T + b`.
    public func forward(_ x: Matrix) -> Matrix {
        var y = Matrix(rows: x.rows, cols: outputs)
        Matrix.gemm(x, .none, weight, .transposed, into: &y)
        y.addRowVector(bias)
        return y
    }
}

/// One stage of a feed-forward network.
public enum Layer: Sendable, Equatable {
    /// A fully connected layer.
    case dense(Dense)
    /// The logistic function, element-wise.
    case sigmoid
    /// max(0, x), element-wise.
    case relu
    /// The hyperbolic tangent, element-wise (Shokri et al.'s hidden layer).
    case tanh

    /// The layer's output for `x`.
    public func forward(_ x: Matrix) -> Matrix {
        switch self {
        case .dense(let d): return d.forward(x)
        case .sigmoid:
            var y = x
            y.data.withUnsafeMutableBufferPointer { d in
                for i in d.indices { d[i] = 1 / (1 + expf(-d[i])) }
            }
            return y
        case .relu:
            var y = x
            for i in y.data.indices where y.data[i] < 0 { y.data[i] = 0 }
            return y
        case .tanh:
            var y = x
            y.data.withUnsafeMutableBufferPointer { d in FastMath.tanh(d.baseAddress!, d.count) }
            return y
        }
    }

    /// The gradient with respect to the input, from the input, the output and the output gradient.
    func backwardInput(input: Matrix, output: Matrix, gradient g: Matrix) -> Matrix {
        switch self {
        case .dense(let d):
            return Matrix.product(g, .none, d.weight, .none)
        case .sigmoid:
            var out = g
            out.data.withUnsafeMutableBufferPointer { o in
                output.data.withUnsafeBufferPointer { y in
                    for i in o.indices { o[i] *= y[i] * (1 - y[i]) }
                }
            }
            return out
        case .relu:
            var out = g
            for i in out.data.indices where input.data[i] <= 0 { out.data[i] = 0 }
            return out
        case .tanh:
            var out = g
            out.data.withUnsafeMutableBufferPointer { o in
                output.data.withUnsafeBufferPointer { y in
                    for i in o.indices { o[i] *= 1 - y[i] * y[i] }
                }
            }
            return out
        }
    }
}
