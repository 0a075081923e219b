import Foundation
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
public enum OutputPolicy: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Every probability as computed.
    case full
    /// Every probability rounded to the nearest multiple of the step (Fredrikson et al.'s countermeasure; Shokri et
    /// al.'s rounding to 1 or 3 decimals is a step of 0.1 or 0.001).
    case rounded(Float)
    /// The k largest probabilities; the others reported as 0.
    case topK(Int)
    /// The softmax of the logits divided by T (T > 1 flattens the answer; Shokri et al.'s "increase entropy").
    case temperature(Float)
    /// Only the predicted label (a one-hot vector).
    case labelOnly

    /// A short name for tables (`full`, `round-0.01`, `top-3`, `temp-5`, `label`).
    public var description: String {
        switch self {
        case .full: return "full"
        case .rounded(let r): return "round-\(r)"
        case .topK(let k): return "top-\(k)"
        case .temperature(let t): return "temp-\(t.formatted)"
        case .labelOnly: return "label"
        }
    }

    /// Whether the policy shows confidences at all (label-only does not).
    public var showsConfidences: Bool { self != .labelOnly }

    /// Checks the policy's parameter against the model's class count; the error names what is wrong.
    public func validate(classCount: Int) throws {
        switch self {
        case .full, .labelOnly: return
        case .rounded(let r):
            guard r > 0, r.isFinite else { throw OracleError(description: "the rounding step must be positive (got \(r))") }
        case .topK(let k):
            guard k >= 1, k <= classCount else {
                throw OracleError(description: "top-k needs k in 1...\(classCount), the model's class count (got \(k))")
            }
        case .temperature(let t):
            guard t > 0, t.isFinite else { throw OracleError(description: "the softmax temperature must be positive (got \(t))") }
        }
    }

    /// What a caller sees for each row of logits: the one place every policy is applied, so that an attacker's own
    /// models can be shown through the same policy as the target.
    public func answers(logits z: Matrix) -> Matrix {
        switch self {
        case .full: return Softmax.rows(z)
        case .temperature(let t): return Softmax.rows(Matrix(rows: z.rows, cols: z.cols, data: z.data.map { $0 / t }))
        case .rounded, .topK, .labelOnly:
            var p = Softmax.rows(z)
            for r in 0..<p.rows { p.setRow(r, apply(p.data[(r * p.cols)..<((r + 1) * p.cols)])) }
            return p
        }
    }

    /// Applies the policy to one row of probabilities (temperature through log p, which loses what underflowed to 0;
    /// `answers(logits:)` does not).
    public func apply(_ p: ArraySlice<Float>) -> [Float] {
        switch self {
        case .full: return Array(p)
        case .rounded(let r):
            return p.map { ($0 / r).rounded() * r }
        case .topK(let k):
            let keep = Set(Statistics.topK(p, k))
            return p.indices.map { keep.contains($0 - p.startIndex) ? p[$0] : 0 }
        case .temperature(let t):
            let scaled = p.map { $0 > 0 ? Foundation.log($0) / t : -Float.infinity }
            let z = Matrix(rows: 1, cols: scaled.count, data: scaled.map { $0 == -.infinity ? -1e30 : $0 })
            return Softmax.rows(z).data
        case .labelOnly:
            let best = Statistics.argmax(p)
            return (0..<p.count).map { $0 == best ? 1 : 0 }
        }
    }
}

extension Float {
    /// The shortest text that reads back as the value (5, 0.5, 20).
    fileprivate var formatted: String {
        self == rounded() && abs(self) < 1e7 ? String(Int(self)) : String(self)
    }
}

/// The attacker asked for something its access level does not allow, or asked it wrongly.
public struct OracleError: Error, CustomStringConvertible, Sendable {
    /// What was refused.
    public let description: String

    /// An error with this message.
    public init(description: String) {
        self.description = description
    }
}

/// One batch the oracle answered: who asked, how many inputs.
public struct QueryRecord: Sendable, Equatable {
    /// The client that sent the batch.
    public let client: String
    /// Inputs in the batch.
    public let rows: Int
}

/// A trained classifier served behind an API: it enforces the access level and output policy, checks the
/// width of every input, counts every input the attacker submits, and logs each batch per client. An observer
/// (a query monitor) may watch every batch with the answers given.
public final class Oracle {
    /// The access level granted.
    public let access: AccessLevel
    /// The output policy applied to black-box answers.
    public let policy: OutputPolicy
    /// Inputs submitted so far (a batch of n rows counts n).
    public private(set) var queries = 0
    /// Every batch answered, in order.
    public private(set) var log: [QueryRecord] = []
    /// Called with each batch (client, inputs, answers as shown) after it is answered.
    public var observer: ((String, Matrix, Matrix) -> Void)?
    private let model: any Classifier
    private var remembered: [(key: Int, rows: Int, logits: Matrix)] = []

    /// Serves `model` with the given access and a policy checked against its class count.
    public init(_ model: any Classifier, access: AccessLevel, policy: OutputPolicy = .full) throws {
        try policy.validate(classCount: model.classCount)
        self.model = model
        self.access = access
        self.policy = policy
    }

    /// Input length the model takes.
    public var inputSize: Int { model.inputSize }
    /// Number of classes.
    public var classCount: Int { model.classCount }

    /// Inputs the client `client` has submitted.
    public func queries(by client: String) -> Int {
        log.filter { $0.client == client }.reduce(0) { $0 + $1.rows }
    }

    /// The model's answer for each row, as the output policy shows it. A batch whose rows are not the model's
    /// input width is an error. Asking twice for the same batch counts twice but computes once.
    public func query(_ x: Matrix, client: String = "attacker") throws -> Matrix {
        guard x.cols == model.inputSize else {
            throw OracleError(description: "the model takes rows of \(model.inputSize) values; this batch has rows of \(x.cols)")
        }
        queries += x.rows
        log.append(QueryRecord(client: client, rows: x.rows))
        let z = logits(x)
        let out = access == .blackBox ? policy.answers(logits: z) : Softmax.rows(z)
        observer?(client, x, out)
        return out
    }

    /// The label the model predicts for each row (what a label-only API answers); counts like `query`.
    public func labels(_ x: Matrix, client: String = "attacker") throws -> [Int] {
        let answers = try query(x, client: client)
        return (0..<answers.rows).map { Statistics.argmax(answers.data[($0 * answers.cols)..<(($0 + 1) * answers.cols)]) }
    }

    /// The model's logits, computed once for any of the last four batches (of up to a million values) asked again:
    /// an answer cache for attacks that alternate between a few batches, not a discount (every query still counts).
    private func logits(_ x: Matrix) -> Matrix {
        // Above a million values, hashing the batch costs as much as answering it (measured: 12 % of an MNIST audit).
        guard x.data.count <= 1 << 20 else { return model.logits(x) }
        var hasher = Hasher()
        hasher.combine(x.cols)
        x.data.withUnsafeBytes { hasher.combine(bytes: $0) }
        let key = hasher.finalize()
        if let hit = remembered.firstIndex(where: { $0.key == key && $0.rows == x.rows }) {
            let entry = remembered.remove(at: hit)
            remembered.append(entry)
            return entry.logits
        }
        let p = model.logits(x)
        remembered.append((key, x.rows, p))
        if remembered.count > 4 { remembered.removeFirst() }
        return p
    }

    /// The model itself, for white-box attacks; every use must be recorded with `record(queries:)`.
    public func whiteBoxModel() throws -> any Classifier {
        guard access == .whiteBox else {
            throw OracleError(description: "this oracle grants black-box access only: gradients and model parameters are not available")
        }
        return model
    }

    /// Logits and input gradient (white-box only); counts one query per row.
    public func gradient(_ x: Matrix, logitGradient: (Matrix) -> Matrix) throws -> (logits: Matrix, gradient: Matrix) {
        guard let m = try whiteBoxModel() as? any ClassGradients else {
            throw OracleError(description: "the served model cannot differentiate its loss with respect to its input")
        }
        guard x.cols == m.inputSize else {
            throw OracleError(description: "the model takes rows of \(m.inputSize) values; this batch has rows of \(x.cols)")
        }
        queries += x.rows
        log.append(QueryRecord(client: "attacker", rows: x.rows))
        return m.inputGradient(x, logitGradient: logitGradient)
    }

    /// Records evaluations a white-box attacker made with the model directly (one per input row).
    public func record(queries n: Int, client: String = "attacker") {
        queries += n
        log.append(QueryRecord(client: client, rows: n))
    }
}
