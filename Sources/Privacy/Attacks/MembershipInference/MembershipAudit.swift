import Learning
import MLCore

/// One model the attacker trained itself on a known part of the audit records: its answers on them (the attacker
/// runs its own model, and shows its answers through the policy the target's API applies), and which records it
/// trained on.
public struct ReferenceModel: Sendable {
    /// The model (the attacker's own).
    public let model: any Classifier & Sendable
    /// `members[i]`: whether record i was in this model's training set.
    public let members: [Bool]
    /// The model's answers on the audit records, through `policy`.
    public let probabilities: Matrix
    /// Its probabilities on the mirrored records (image data), if any.
    public let mirroredProbabilities: Matrix?
    /// Its probabilities on the population samples, if any.
    public let populationProbabilities: Matrix?

    /// The output policy its answers are shown through.
    public let policy: OutputPolicy

    /// A reference model with its answers computed and shown through `policy`.
    public init(
        model: any Classifier & Sendable, members: [Bool], records: Matrix, mirrored: Matrix?, population: Matrix?,
        policy: OutputPolicy = .full
    ) {
        self.model = model
        self.members = members
        self.policy = policy
        probabilities = policy.answers(logits: model.logits(records))
        mirroredProbabilities = mirrored.map { policy.answers(logits: model.logits($0)) }
        populationProbabilities = population.map { policy.answers(logits: model.logits($0)) }
    }

    /// The same model with its answers shown through another policy.
    public func seen(through other: OutputPolicy, records: Matrix, mirrored: Matrix?, population: Matrix?) -> ReferenceModel {
        ReferenceModel(
            model: model, members: members, records: records, mirrored: mirrored, population: population, policy: other)
    }
}

/// What a membership-inference attacker knows when it audits one target: the records it asks about (with their
/// labels), its own reference and shadow models, population samples from the same distribution, and how to
/// mirror an input (image data). The truth about the target's members is not here: only the evaluation has it.
public struct MembershipAudit: Sendable {
    /// The records the attacker asks about.
    public let records: LabeledData
    /// Reference models (LiRA, RMIA): every attacker model, none of them the target.
    public let references: [ReferenceModel]
    /// Shadow models (Shokri et al., ML-Leaks, thresholds): a subset of the attacker's models.
    public let shadows: [ReferenceModel]
    /// Population samples z (RMIA): from the data distribution, not among the audited records where the data allow.
    public let population: LabeledData
    /// The records mirrored left to right, for image data (LiRA's mirrored queries); nil otherwise.
    public let mirroredRecords: Matrix?
    /// The output policy of the target's API, which the attacker knows and applies to its own models' answers.
    public var policy: OutputPolicy { references.first?.policy ?? shadows.first?.policy ?? .full }

    /// An audit; every reference and shadow must answer for every record, all through the same policy.
    public init(
        records: LabeledData, references: [ReferenceModel], shadows: [ReferenceModel], population: LabeledData, mirroredRecords: Matrix?
    ) {
        precondition(Set((references + shadows).map(\.policy)).count <= 1, "an audit's models answer through one policy")
        self.records = records
        self.references = references
        self.shadows = shadows
        self.population = population
        self.mirroredRecords = mirroredRecords
    }

    /// The same audit with only the first `count` reference models (the reference-count sweep).
    public func withReferences(_ count: Int) -> MembershipAudit {
        MembershipAudit(
            records: records, references: Array(references.prefix(count)), shadows: shadows, population: population,
            mirroredRecords: mirroredRecords)
    }

    /// The audit of a target served through `policy`: every reference and shadow model's answers shown through it
    /// too (an attacker who knows the API calibrates on what the API would show of its own models).
    public func seen(through policy: OutputPolicy) -> MembershipAudit {
        if policy == self.policy && (references + shadows).allSatisfy({ $0.policy == policy }) { return self }
        func show(_ m: ReferenceModel) -> ReferenceModel {
            m.seen(
                through: policy, records: records.features, mirrored: m.mirroredProbabilities == nil ? nil : mirroredRecords,
                population: m.populationProbabilities == nil ? nil : population.features)
        }
        return MembershipAudit(
            records: records, references: references.map(show), shadows: shadows.map(show), population: population,
            mirroredRecords: mirroredRecords)
    }

    /// The audit an attacker can rehearse on: its first reference model plays the target (its membership is known),
    /// the others stay references. Attacks set their decision thresholds this way where no natural one exists.
    public func rehearsal() throws -> (target: BlackBoxOracle<AnyClassifier>, members: [Bool], audit: MembershipAudit) {
        guard references.count >= 2 else {
            throw AttackError(description: "a rehearsal needs at least two reference models (got \(references.count))")
        }
        let pseudo = references[0]
        let rest = MembershipAudit(
            records: records, references: Array(references.dropFirst()), shadows: shadows, population: population,
            mirroredRecords: mirroredRecords)
        return (try BlackBoxOracle(AnyClassifier(pseudo.model), policy: policy), pseudo.members, rest)
    }
}

/// What a membership-inference attack answered for every audited record.
public struct MembershipScores: Sendable {
    /// Higher means "more likely a member"; the ROC is swept over these.
    public let scores: [Double]
    /// The attack's own call for each record (its decision rule).
    public let decisions: [Bool]
    /// Queries the attack sent to the target, per audited record.
    public let queriesPerRecord: Double

    /// Scores with a decision threshold: a record is called a member when its score is at least `threshold`.
    public init(scores: [Double], threshold: Double, queries: Int) {
        self.scores = scores
        decisions = scores.map { $0 >= threshold }
        queriesPerRecord = Double(queries) / Double(max(scores.count, 1))
    }

    /// Scores with explicit decisions.
    public init(scores: [Double], decisions: [Bool], queries: Int) {
        self.scores = scores
        self.decisions = decisions
        queriesPerRecord = Double(queries) / Double(max(scores.count, 1))
    }
}

/// What an attack needs to see of the target.
public enum OutputNeed: String, Sendable {
    /// The confidences (a policy that shows them, however coarsely).
    case confidences
    /// The predicted labels only.
    case labels
}

/// Which membership attack, as a type: results are found by it, and its description is the name in tables.
public enum MembershipAttackID: Hashable, Sendable, CustomStringConvertible {
    /// Shokri et al.'s shadow-model attack (one attack model per class, full confidence vectors).
    case shokri
    /// Salem et al.'s ML-Leaks (one attack model on the top three confidences).
    case mlLeaks
    /// ML-Leaks' threshold on the largest confidence.
    case mlLeaksMax
    /// A metric threshold (Yeom et al., Song and Mittal), global or per class.
    case metric(MembershipMetric, perClass: Bool)
    /// LiRA (Carlini et al.), online or offline, with a fixed or per-record variance, mirrored queries or not.
    case lira(online: Bool, fixedVariance: Bool = false, mirrored: Bool = false)
    /// RMIA (Zarifzadeh et al.), online or offline.
    case rmia(online: Bool)
    /// Label-only: correct or not (Yeom et al.'s gap attack).
    case labelGap
    /// Label-only: robustness to perturbed queries (Choquette-Choo et al.).
    case labelRobustness

    /// Online LiRA, the attack most results are set beside.
    public static let liraOnline = MembershipAttackID.lira(online: true)

    /// The name in tables: `shokri`, `ml_leaks`, `loss`, `mentr_class`, `lira_online`, `lira_offline_fixed`, `rmia`, ...
    public var description: String {
        switch self {
        case .shokri: return "shokri"
        case .mlLeaks: return "ml_leaks"
        case .mlLeaksMax: return "ml_leaks_max"
        case .metric(let m, let perClass): return perClass ? "\(m.rawValue)_class" : m.rawValue
        case .lira(let online, let fixed, let mirrored):
            return "lira_" + (online ? "online" : "offline") + (fixed ? "_fixed" : "") + (mirrored ? "_mirror" : "")
        case .rmia(let online): return online ? "rmia" : "rmia_offline"
        case .labelGap: return "label_gap"
        case .labelRobustness: return "label_robustness"
        }
    }
}

extension MembershipAttackID: Comparable {
    /// Ordered by name, as tables list them.
    public static func < (a: MembershipAttackID, b: MembershipAttackID) -> Bool { a.description < b.description }
}

/// A membership-inference attack: given black-box access to a target and the attacker's knowledge, a score for
/// every audited record.
public protocol MembershipAttack: Sendable {
    /// Which attack this is.
    var id: MembershipAttackID { get }
    /// What it needs of the target's answers.
    var needs: OutputNeed { get }
    /// Scores every audited record, querying the target (and counting the queries).
    func run(target: any ClassOracle, audit: MembershipAudit, using rng: inout SeededGenerator) throws -> MembershipScores
}

extension MembershipAttack {
    /// The name in tables (lower case, e.g. `lira_online`).
    public var name: String { id.description }

    /// Whether the attack can run against a target served through `policy`: label attacks always, confidence
    /// attacks when the policy shows confidences at all (however coarsely).
    public func runs(under policy: OutputPolicy) -> Bool {
        needs == .labels || policy.showsConfidences
    }

    /// The oracle answer the attack needs of a target served through `policy`: the labels the API shows (the
    /// predicted class, which every policy keeps), or the policy's confidences.
    public func oracle<M: Classifier>(for model: M, policy: OutputPolicy) throws -> BlackBoxOracle<M> {
        try BlackBoxOracle(model, policy: needs == .labels ? .labelOnly : policy)
    }

    /// The queries `target` counted while `body` ran.
    func counting<T>(_ target: any ClassOracle, _ body: () throws -> T) rethrows -> (T, Int) {
        let before = target.queries
        let value = try body()
        return (value, target.queries - before)
    }
}
