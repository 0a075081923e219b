import MLCore

/// What an attribute-inference attack concluded about each target: a posterior over the
/// candidate values of the sensitive attribute and the value it picks.
public struct AttributeInference: Sendable, Equatable {
    /// `posteriors[i][v]`: the attack's probability that target i has candidate value v.
    public let posteriors: [[Double]]
    /// The value picked for each target (the most probable; the first on ties).
    public let predictions: [Int]

    /// An inference from posteriors; predictions are their argmax.
    public init(posteriors: [[Double]]) {
        self.posteriors = posteriors
        self.predictions = posteriors.map { p in p.indices.max { p[$0] < p[$1] || (p[$0] == p[$1] && $0 > $1) } ?? 0 }
    }
}

/// The baseline every attribute attack must beat: always the most frequent value of the prior.
public struct MostFrequentValue: Sendable {
    /// Prior probability of each candidate value (the marginals the attacker knows).
    public let prior: [Double]

    /// A baseline over these marginals.
    public init(prior: [Double]) {
        self.prior = prior
    }

    /// The prior for every one of `count` targets: its argmax as prediction, AUC one half.
    public func run(count: Int) -> AttributeInference {
        AttributeInference(posteriors: Array(repeating: prior, count: count))
    }
}

/// The targets of an attribute-inference attack: for target i and candidate value v of the sensitive feature, the
/// target's known features with the sensitive one set to v (row `i * valueCount + v` of `candidates`); what the
/// attacker observed of the target (the model's output for it: a dose, a label); and the target's group in a
/// group-conditional prior.
public struct AttributeTargets<Observation> {
    /// One row per target and candidate value.
    public let candidates: Matrix
    /// Candidate values of the sensitive feature.
    public let valueCount: Int
    /// What the attacker observed of each target.
    public let observed: [Observation]
    /// Each target's group in the prior, or nil for one prior for all.
    public let groups: [Int]?

    /// Targets after checking that the rows, observations and groups agree; the error says which do not.
    public init(candidates: Matrix, valueCount: Int, observed: [Observation], groups: [Int]? = nil) throws {
        guard valueCount >= 1 else { throw AttackError(description: "attribute inference: no candidate values") }
        guard candidates.rows == observed.count * valueCount else {
            throw AttackError(
                description: "attribute inference: \(candidates.rows) candidate rows for \(observed.count) targets x \(valueCount) values")
        }
        if let groups, groups.count != observed.count {
            throw AttackError(description: "attribute inference: \(groups.count) group labels for \(observed.count) targets")
        }
        self.candidates = candidates
        self.valueCount = valueCount
        self.observed = observed
        self.groups = groups
    }

    /// Number of targets.
    public var count: Int { observed.count }
}

/// An attribute-inference attack: given what it may ask of the served model (`Served`: an oracle of some access) and, for each target, the other features and what was observed, a posterior over the sensitive value.
/// Every query it makes is counted by the oracle it was given.
public protocol AttributeInferenceAttack {
    /// What the attack asks of the served model.
    associatedtype Served
    /// What the attacker observed of each target.
    associatedtype Observation
    /// The name in tables (lower case, e.g. `model_inversion`).
    var name: String { get }
    /// The posterior over the candidate values for every target.
    func run(_ served: Served, targets: AttributeTargets<Observation>) throws -> AttributeInference
}
