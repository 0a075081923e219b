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

/// An access level as a type, so that an attack that needs the model itself says so in its signature and the
/// compiler refuses it a black-box oracle.
public protocol AccessGrant {
    /// The level as tables spell it.
    static var level: AccessLevel { get }
}

/// White-box access: the model itself, its answers unfiltered, its input gradients.
public enum WhiteBox: AccessGrant {
    /// `.whiteBox`.
    public static let level = AccessLevel.whiteBox
}

/// Black-box access: only the answers the output policy lets through.
public enum BlackBox: AccessGrant {
    /// `.blackBox`.
    public static let level = AccessLevel.blackBox
}

/// What every attack that only asks questions can use of a served classifier: its shape, its counted answers and
/// labels. Any `Oracle` of a classifier is one, whatever its access level.
public protocol ClassOracle: AnyObject {
    /// Input length the model takes.
    var inputSize: Int { get }
    /// Number of classes.
    var classCount: Int { get }
    /// Inputs submitted so far (a batch of n rows counts n).
    var queries: Int { get }
    /// The model's answer for each row as the access level and output policy show it; counts every row.
    func query(_ x: Matrix, client: String) throws -> Matrix
}

extension ClassOracle {
    /// The model's answer for each row, asked by `attacker`.
    public func query(_ x: Matrix) throws -> Matrix { try query(x, client: "attacker") }

    /// The label the model predicts for each row (what a label-only API answers); counts like `query`.
    public func labels(_ x: Matrix, client: String = "attacker") throws -> [Int] {
        let answers = try query(x, client: client)
        return (0..<answers.rows).map { Statistics.argmax(answers.data[($0 * answers.cols)..<(($0 + 1) * answers.cols)]) }
    }
}

/// A trained model served behind an API. What it answers follows from the served model's type (a classifier's
/// probabilities and labels, a regressor's predictions, a differentiable classifier's input gradients) and what it
/// hands out from the access type (only `Oracle<_, WhiteBox>` has `model` and `gradient`), so the compiler, not a
/// cast at run time, decides what an attack may do. It checks the width of every input, counts every input the
/// attacker submits, and logs each batch per client. An observer (a query monitor) may watch every batch of a
/// classifier with the answers given.
public final class Oracle<Model, Access: AccessGrant> {
    /// The access level granted.
    public var access: AccessLevel { Access.level }
    /// The output policy applied to black-box answers (`.full` for white-box oracles, which see everything).
    public let policy: OutputPolicy
    /// Inputs submitted so far (a batch of n rows counts n).
    public private(set) var queries = 0
    /// Every batch answered, in order.
    public private(set) var log: [QueryRecord] = []
    /// Called with each batch (client, inputs, answers as shown) after it is answered.
    public var observer: ((String, Matrix, Matrix) -> Void)?
    let served: Model
    private var remembered: [(key: Int, rows: Int, logits: Matrix)] = []

    init(serving model: Model, policy: OutputPolicy) {
        served = model
        self.policy = policy
    }

    /// Inputs the client `client` has submitted.
    public func queries(by client: String) -> Int {
        log.filter { $0.client == client }.reduce(0) { $0 + $1.rows }
    }

    /// Records evaluations a white-box attacker made with the model directly (one per input row).
    public func record(queries n: Int, client: String = "attacker") {
        queries += n
        log.append(QueryRecord(client: client, rows: n))
    }

    /// Counts a batch of `rows` from `client` after checking its width against the model's.
    fileprivate func admit(_ x: Matrix, width: Int, client: String) throws {
        guard x.cols == width else {
            throw OracleError(description: "the model takes rows of \(width) values; this batch has rows of \(x.cols)")
        }
        record(queries: x.rows, client: client)
    }

    /// The result of `compute` for a batch asked within the last four (of up to a million values): an answer cache
    /// for attacks that alternate between a few batches, not a discount (every query still counts).
    fileprivate func remembering(_ x: Matrix, _ compute: (Matrix) -> Matrix) -> Matrix {
        // Above a million values, hashing the batch costs as much as answering it (measured: 12 % of an MNIST audit).
        guard x.data.count <= 1 << 20 else { return compute(x) }
        var hasher = Hasher()
        hasher.combine(x.cols)
        x.data.withUnsafeBytes { hasher.combine(bytes: $0) }
        let key = hasher.finalize()
        if let hit = remembered.firstIndex(where: { $0.key == key && $0.rows == x.rows }) {
            let entry = remembered.remove(at: hit)
            remembered.append(entry)
            return entry.logits
        }
        let p = compute(x)
        remembered.append((key, x.rows, p))
        if remembered.count > 4 { remembered.removeFirst() }
        return p
    }
}

extension Oracle where Access == WhiteBox {
    /// The model itself; every use must be recorded with `record(queries:)`.
    public var model: Model { served }
}

extension Oracle where Model: Classifier, Access == BlackBox {
    /// Serves `model` to black-box callers through `policy`, checked against its class count.
    public convenience init(_ model: Model, policy: OutputPolicy = .full) throws {
        try policy.validate(classCount: model.classCount)
        self.init(serving: model, policy: policy)
    }
}

extension Oracle where Model: Classifier, Access == WhiteBox {
    /// Serves `model` to a white-box caller, who sees its probabilities as computed.
    public convenience init(_ model: Model) {
        self.init(serving: model, policy: .full)
    }
}

extension Oracle: ClassOracle where Model: Classifier {
    /// Input length the model takes.
    public var inputSize: Int { served.inputSize }
    /// Number of classes.
    public var classCount: Int { served.classCount }

    /// The model's answer for each row, as the output policy shows it. A batch whose rows are not the model's
    /// input width is an error. Asking twice for the same batch counts twice but computes once.
    public func query(_ x: Matrix, client: String) throws -> Matrix {
        try admit(x, width: served.inputSize, client: client)
        let z = remembering(x) { served.logits($0) }
        let out = Access.level == .blackBox ? policy.answers(logits: z) : Softmax.rows(z)
        observer?(client, x, out)
        return out
    }
}

extension Oracle where Model: ClassGradients, Access == WhiteBox {
    /// Logits and input gradient; counts one query per row.
    public func gradient(_ x: Matrix, logitGradient: (Matrix) -> Matrix) throws -> (logits: Matrix, gradient: Matrix) {
        try admit(x, width: served.inputSize, client: "attacker")
        return served.inputGradient(x, logitGradient: logitGradient)
    }
}

/// What an attack that only asks questions can use of a served regressor: its input width and counted predictions.
public protocol ValueOracle: AnyObject {
    /// Input length the model takes.
    var inputSize: Int { get }
    /// Inputs submitted so far (a batch of n rows counts n).
    var queries: Int { get }
    /// The model's prediction for each row; counts every row.
    func query(_ x: Matrix, client: String) throws -> [Float]
}

extension Oracle where Model: Regressor {
    /// Serves the regressor `model`; its predictions are its only answers.
    public convenience init(_ model: Model) {
        self.init(serving: model, policy: .full)
    }
}

extension Oracle: ValueOracle where Model: Regressor {
    /// Input length the model takes.
    public var inputSize: Int { served.inputSize }

    /// The model's prediction for each row; counts every row. A batch of the wrong width is an error.
    public func query(_ x: Matrix, client: String = "attacker") throws -> [Float] {
        try admit(x, width: served.inputSize, client: client)
        return served.predict(x)
    }
}

/// A classifier served to black-box callers.
public typealias BlackBoxOracle<Model> = Oracle<Model, BlackBox>
/// A model served to a white-box caller.
public typealias WhiteBoxOracle<Model> = Oracle<Model, WhiteBox>
