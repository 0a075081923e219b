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
