import MLCore

/// A model that maps inputs (one per row) to class probabilities.
public protocol Classifier {
    /// Length of one input row.
    var inputSize: Int { get }
    /// Number of classes.
    var classCount: Int { get }
    /// Logits (pre-softmax scores), one row per input.
    func logits(_ x: Matrix) -> Matrix
}

extension Classifier {
    /// Class probabilities (softmax of the logits), one row per input.
    public func probabilities(_ x: Matrix) -> Matrix {
        Softmax.rows(logits(x))
    }

    /// The most likely class of each row.
    public func predict(_ x: Matrix) -> [Int] {
        let z = logits(x)
        return (0..<z.rows).map { r in Statistics.argmax(z.data[(r * z.cols)..<((r + 1) * z.cols)]) }
    }

    /// The share of rows whose predicted class equals the label.
    public func accuracy(_ x: Matrix, labels: [Int]) -> Double {
        guard !labels.isEmpty else { return 0 }
        let p = predict(x)
        return Double(zip(p, labels).filter { $0 == $1 }.count) / Double(labels.count)
    }
}

/// A classifier that can differentiate a loss of its logits with respect to its input.
public protocol ClassGradients: Classifier {
    /// The logits for `x` and the gradient of a loss with respect to `x`, where `logitGradient`
    /// maps the logits to the loss's gradient with respect to them (same shape).
    func inputGradient(_ x: Matrix, logitGradient: (Matrix) -> Matrix) -> (logits: Matrix, gradient: Matrix)
}

/// A classifier whose input enters only through one affine map `z = x W^T + b` (its first layer).
///
/// Knowing this lets a white-box attacker descend in the span of `W`'s rows instead of pixel space.
public protocol AffineInputClassifier: ClassGradients {
    /// The first layer's weights, `hidden x inputSize`.
    var inputWeights: Matrix { get }
    /// The first layer's bias, `hidden` values.
    var inputBias: [Float] { get }
    /// The logits from first-layer pre-activations `z`, and the gradient of a loss with respect to `z`.
    func preactivationGradient(_ z: Matrix, logitGradient: (Matrix) -> Matrix) -> (logits: Matrix, gradient: Matrix)
}

/// Row-wise softmax and its companions.
public enum Softmax {
    /// Numerically stable softmax of each row.
    public static func rows(_ z: Matrix) -> Matrix {
        var p = z
        p.data.withUnsafeMutableBufferPointer { d in
            for r in 0..<z.rows {
                let base = r * z.cols
                var m = -Float.infinity
                for c in 0..<z.cols { m = max(m, d[base + c]) }
                var s: Float = 0
                for c in 0..<z.cols {
                    let e = expf(d[base + c] - m)
                    d[base + c] = e
                    s += e
                }
                let inv = 1 / s
                for c in 0..<z.cols { d[base + c] *= inv }
            }
        }
        return p
    }

    /// Log-probabilities of each row (stable log-softmax).
    public static func logRows(_ z: Matrix) -> Matrix {
        var out = z
        for r in 0..<z.rows {
            let base = r * z.cols
            var m = -Float.infinity
            for c in 0..<z.cols { m = max(m, z.data[base + c]) }
            var s: Float = 0
            for c in 0..<z.cols { s += expf(z.data[base + c] - m) }
            let lse = m + logf(s)
            for c in 0..<z.cols { out.data[base + c] = z.data[base + c] - lse }
        }
        return out
    }
}

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// Any classifier as one concrete type, for code that holds classifiers of several kinds (an oracle serves it like
/// the classifier inside).
public struct AnyClassifier: Classifier, Sendable {
    /// The classifier inside.
    public let base: any Classifier & Sendable

    /// `base`, as any classifier.
    public init(_ base: any Classifier & Sendable) {
        self.base = base
    }

    /// The inner classifier's input length.
    public var inputSize: Int { base.inputSize }
    /// The inner classifier's class count.
    public var classCount: Int { base.classCount }
    /// The inner classifier's logits.
    public func logits(_ x: Matrix) -> Matrix { base.logits(x) }
}
