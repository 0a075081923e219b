/// What an attribute-inference attacker believes about a target's sensitive value before it sees
/// the model's answer: a distribution over the candidate values for each group of targets. One
/// group is one prior for everyone (the cohort's marginals, or uniform); several groups let the
/// belief depend on something public about the target, such as the population it comes from.
public struct AttributePrior: Sendable, Equatable {
    /// `distributions[g][v]`: the prior probability of candidate value v for a target in group g.
    public let distributions: [[Double]]

    /// A prior with one distribution per group; each must cover the same two or more values, be
    /// non-negative and have a positive sum (it is normalised).
    public init(distributions: [[Double]]) throws {
        guard let k = distributions.first?.count, k >= 2 else {
            throw AttackError(description: "prior: needs at least one group and two candidate values (got \(distributions))")
        }
        for (g, d) in distributions.enumerated() {
            guard d.count == k else {
                throw AttackError(description: "prior: group \(g) has \(d.count) values, group 0 has \(k)")
            }
            guard d.allSatisfy({ $0 >= 0 && $0.isFinite }), d.reduce(0, +) > 0 else {
                throw AttackError(description: "prior: group \(g) must be non-negative with a positive sum (got \(d))")
            }
        }
        self.distributions = distributions.map { d in
            let total = d.reduce(0, +)
            return d.map { $0 / total }
        }
    }

    /// Distributions kept as given, for callers that validate later (`RegressionInversion.validate`).
    init(unchecked distributions: [[Double]]) {
        self.distributions = distributions.isEmpty ? [[]] : distributions
    }

    /// How many candidate values the prior covers.
    public var valueCount: Int { distributions[0].count }
    /// How many groups it tells apart.
    public var groupCount: Int { distributions.count }

    /// Every value equally likely: the attacker brings no belief, so the inversion is the likelihood's argmax.
    public static func uniform(valueCount: Int) throws -> AttributePrior {
        try AttributePrior(distributions: [[Double](repeating: 1, count: valueCount)])
    }

    /// The values' frequencies in `values` (indices in 0..<valueCount): Fredrikson et al.'s attacker,
    /// who knows the marginals of the training cohort.
    public static func marginal(_ values: [Int], valueCount: Int) throws -> AttributePrior {
        try groupConditional(
            values, groups: [Int](repeating: 0, count: values.count), groupCount: 1, valueCount: valueCount, pseudocount: 0)
    }

    /// The values' frequencies within each group: `values[i]` belongs to group `groups[i]` in
    /// 0..<groupCount. `pseudocount` is added to every count (additive smoothing), so a value never
    /// seen in a small group keeps a little probability and a group without members is uniform.
    public static func groupConditional(_ values: [Int], groups: [Int], groupCount: Int, valueCount: Int, pseudocount: Double = 1)
        throws -> AttributePrior
    {
        guard values.count == groups.count else {
            throw AttackError(description: "prior: \(values.count) values but \(groups.count) group labels")
        }
        guard groupCount >= 1, valueCount >= 2, pseudocount >= 0, pseudocount.isFinite else {
            throw AttackError(
                description:
                    "prior: needs a group, two values and a non-negative pseudocount (got \(groupCount), \(valueCount), \(pseudocount))")
        }
        var counts = [[Double]](repeating: [Double](repeating: pseudocount, count: valueCount), count: groupCount)
        for (v, g) in zip(values, groups) {
            guard (0..<valueCount).contains(v) else { throw AttackError(description: "prior: value \(v) is outside 0..<\(valueCount)") }
            guard (0..<groupCount).contains(g) else { throw AttackError(description: "prior: group \(g) is outside 0..<\(groupCount)") }
            counts[g][v] += 1
        }
        for g in counts.indices where counts[g].reduce(0, +) == 0 {
            guard pseudocount == 0 else { continue }
            throw AttackError(description: "prior: group \(g) has no members; give a positive pseudocount or drop the group")
        }
        return try AttributePrior(distributions: counts)
    }

    /// The distribution for a target in group `group`.
    public func distribution(group: Int) -> [Double] { distributions[group] }
}
