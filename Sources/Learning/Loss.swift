import MLCore

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// What a network is trained to match: class labels, or one target row per input row.
public enum TrainingTargets: Sendable {
    /// One class index per row.
    case labels([Int])
    /// One row of target values per row (probabilities, images, codes).
    case rows(Matrix)

    /// The number of target rows.
    public var count: Int {
        switch self {
        case .labels(let l): return l.count
        case .rows(let m): return m.rows
        }
    }

    /// The targets of the rows at `indices`, in that order.
    func batch(_ indices: [Int]) -> TrainingTargets {
        switch self {
        case .labels(let l): return .labels(indices.map { l[$0] })
        case .rows(let m): return .rows(m.rows(indices))
        }
    }
}

/// A training loss: the mean over the rows of a batch, and its gradient with respect to the network's output.
public enum Loss: Sendable, Equatable, CustomStringConvertible {
    /// Softmax cross-entropy of the output read as logits, against class labels.
    case crossEntropy
    /// Softmax cross-entropy against smoothed labels: the target puts 1 - eps + eps/K on the label and eps/K on each
    /// of the K classes. eps > 0 is the usual smoothing; eps < 0 (negative smoothing) pushes the other classes'
    /// probabilities down, which Struppek et al. (2024) report to hinder model inversion.
    case smoothedCrossEntropy(Float)
    /// Softmax cross-entropy against probability rows (soft labels, as when a copy learns from another model's answers).
    case softCrossEntropy
    /// The squared error summed over a row's values, averaged over the rows.
    case squaredError
    /// The binary cross-entropy of outputs in (0, 1) (after a sigmoid) against targets in [0, 1], summed over a row's
    /// values and averaged over the rows (images scaled to [0, 1]).
    case binaryCrossEntropy

    /// The name as tables spell it.
    public var description: String {
        switch self {
        case .crossEntropy: return "cross-entropy"
        case .smoothedCrossEntropy(let e): return "cross-entropy, label smoothing \(e)"
        case .softCrossEntropy: return "soft cross-entropy"
        case .squaredError: return "squared error"
        case .binaryCrossEntropy: return "binary cross-entropy"
        }
    }

    /// Whether the loss compares the output with class labels (else with target rows).
    public var takesLabels: Bool {
        switch self {
        case .crossEntropy, .smoothedCrossEntropy: return true
        case .softCrossEntropy, .squaredError, .binaryCrossEntropy: return false
        }
    }

    /// Checks that `targets` suit the loss and a network with `outputs` outputs; the error says what is wrong.
    func validate(_ targets: TrainingTargets, outputs: Int) throws {
        switch targets {
        case .labels(let labels):
            guard takesLabels else { throw TrainingError.shapeMismatch("the \(self) loss needs target rows, not class labels") }
            if let bad = labels.first(where: { $0 < 0 || $0 >= outputs }) {
                throw TrainingError.shapeMismatch("label \(bad) outside 0..<\(outputs)")
            }
        case .rows(let m):
            guard !takesLabels else { throw TrainingError.shapeMismatch("the \(self) loss needs class labels, not target rows") }
            guard m.cols == outputs else {
                throw TrainingError.shapeMismatch("target rows have \(m.cols) values; the network has \(outputs) outputs")
            }
            if self == .binaryCrossEntropy, let bad = m.data.first(where: { !($0 >= 0 && $0 <= 1) }) {
                throw TrainingError.shapeMismatch("binary cross-entropy needs targets in [0, 1] (found \(bad))")
            }
        }
        if case .smoothedCrossEntropy(let e) = self {
            guard e.isFinite, e < 1 else { throw TrainingError.invalidSetting("label smoothing must be below 1 (got \(e))") }
        }
    }

    /// The mean loss of `output` against `targets` (already checked by `validate`) and its gradient.
    public func evaluate(_ output: Matrix, _ targets: TrainingTargets) -> (loss: Float, gradient: Matrix) {
        switch (self, targets) {
        case (.crossEntropy, .labels(let l)): return softmaxCrossEntropy(output, labels: l)
        case (.smoothedCrossEntropy(let e), .labels(let l)):
            return Learning.softCrossEntropy(output, targets: Self.smoothed(l, classes: output.cols, e))
        case (.softCrossEntropy, .rows(let t)): return Learning.softCrossEntropy(output, targets: t)
        case (.squaredError, .rows(let t)): return Self.squaredError(output, t)
        case (.binaryCrossEntropy, .rows(let t)): return Self.binaryCrossEntropy(output, t)
        default: preconditionFailure("Loss.evaluate: targets not checked by validate")
        }
    }

    /// The smoothed label distributions: 1 - eps + eps/K on the label, eps/K elsewhere.
    static func smoothed(_ labels: [Int], classes k: Int, _ eps: Float) -> Matrix {
        var t = Matrix(rows: labels.count, cols: k, repeating: eps / Float(k))
        for (r, l) in labels.enumerated() { t[r, l] += 1 - eps }
        return t
    }

    static func squaredError(_ y: Matrix, _ t: Matrix) -> (loss: Float, gradient: Matrix) {
        var g = y
        var loss: Float = 0
        let n = Float(y.rows)
        for i in g.data.indices {
            let d = y.data[i] - t.data[i]
            loss += d * d
            g.data[i] = 2 * d / n
        }
        return (loss / n, g)
    }

    /// Outputs are clamped into [1e-7, 1 - 1e-7] so that a saturated sigmoid gives a finite loss and gradient.
    static func binaryCrossEntropy(_ y: Matrix, _ t: Matrix) -> (loss: Float, gradient: Matrix) {
        var g = y
        var loss: Float = 0
        let n = Float(y.rows)
        let eps: Float = 1e-7
        for i in g.data.indices {
            let p = min(max(y.data[i], eps), 1 - eps)
            let ti = t.data[i]
            loss -= ti * logf(p) + (1 - ti) * logf(1 - p)
            g.data[i] = (p - ti) / (p * (1 - p) * n)
        }
        return (loss / n, g)
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
/// the logits (softmax minus target, over the batch size). Targets may be negative (negative label smoothing).
public func softCrossEntropy(_ logits: Matrix, targets: Matrix) -> (loss: Float, gradient: Matrix) {
    var g = Softmax.rows(logits)
    let logP = Softmax.logRows(logits)
    let n = Float(logits.rows)
    var loss: Float = 0
    for i in g.data.indices {
        if targets.data[i] != 0 { loss -= targets.data[i] * logP.data[i] }
        g.data[i] -= targets.data[i]
    }
    g.scale(by: 1 / n)
    return (loss / n, g)
}
