import Learning
import MLCore

/// What an attacker may see of a served model.
public enum AccessLevel: String, Sendable, CaseIterable {
    /// The model itself: probabilities and gradients with respect to the input.
    case whiteBox = "white-box"
    /// Only the outputs the output policy lets through.
    case blackBox = "black-box"
}

/// How the served model's confidences are shown to a black-box caller (a defence).
public enum OutputPolicy: Sendable, Equatable, CustomStringConvertible {
    /// Every probability as computed.
    case full
    /// Every probability rounded to the nearest multiple of the step (Fredrikson et al.'s countermeasure).
    case rounded(Float)
    /// The k largest probabilities; the others reported as 0.
    case topK(Int)
    /// Only the predicted label (a one-hot vector).
    case labelOnly

    /// A short name for tables (`full`, `round-0.01`, `top-3`, `label`).
    public var description: String {
        switch self {
        case .full: return "full"
        case .rounded(let r): return "round-\(r)"
        case .topK(let k): return "top-\(k)"
        case .labelOnly: return "label"
        }
    }

    /// Applies the policy to one row of probabilities.
    public func apply(_ p: ArraySlice<Float>) -> [Float] {
        switch self {
        case .full: return Array(p)
        case .rounded(let r):
            return p.map { ($0 / r).rounded() * r }
        case .topK(let k):
            let keep = Set(Statistics.topK(p, k))
            return p.indices.map { keep.contains($0 - p.startIndex) ? p[$0] : 0 }
        case .labelOnly:
            let best = Statistics.argmax(p)
            return (0..<p.count).map { $0 == best ? 1 : 0 }
        }
    }
}

/// The attacker asked for something its access level does not allow.
public struct OracleError: Error, CustomStringConvertible, Sendable {
    /// What was refused.
    public let description: String
}

/// A trained classifier served behind an API: it enforces the access level and output policy and
/// counts every input the attacker submits.
public final class Oracle {
    /// The access level granted.
    public let access: AccessLevel
    /// The output policy applied to black-box answers.
    public let policy: OutputPolicy
    /// Inputs submitted so far (a batch of n rows counts n).
    public private(set) var queries = 0
    private let model: any AffineInputClassifier

    /// Serves `model` with the given access and policy.
    public init(_ model: any AffineInputClassifier, access: AccessLevel, policy: OutputPolicy = .full) {
        self.model = model
        self.access = access
        self.policy = policy
    }

    /// Input length the model takes.
    public var inputSize: Int { model.inputSize }
    /// Number of classes.
    public var classCount: Int { model.classCount }

    /// The model's answer for each row, as the output policy shows it.
    public func query(_ x: Matrix) -> Matrix {
        queries += x.rows
        let p = model.probabilities(x)
        if access == .whiteBox || policy == .full { return p }
        var out = p
        for r in 0..<p.rows {
            out.setRow(r, policy.apply(p.data[(r * p.cols)..<((r + 1) * p.cols)]))
        }
        return out
    }

    /// The model itself, for white-box attacks; every use must be recorded with `record(queries:)`.
    public func whiteBoxModel() throws -> any AffineInputClassifier {
        guard access == .whiteBox else {
            throw OracleError(description: "this oracle grants black-box access only: gradients and model parameters are not available")
        }
        return model
    }

    /// Logits and input gradient (white-box only); counts one query per row.
    public func gradient(_ x: Matrix, logitGradient: (Matrix) -> Matrix) throws -> (logits: Matrix, gradient: Matrix) {
        let m = try whiteBoxModel()
        queries += x.rows
        return m.inputGradient(x, logitGradient: logitGradient)
    }

    /// Records evaluations a white-box attacker made with the model directly (one per input row).
    public func record(queries n: Int) {
        queries += n
    }
}
