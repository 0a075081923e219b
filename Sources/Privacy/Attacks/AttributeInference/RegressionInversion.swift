import Foundation
import Learning
import MLCore

/// The attack's settings or inputs are unusable; the message says which and how to fix it.
public struct AttackError: Error, CustomStringConvertible, Sendable {
    /// What is wrong.
    public let description: String
}

/// Model inversion of a regression model for a discrete sensitive input (Fredrikson et al.'s
/// warfarin attack): the attacker knows every other input of a target, the model's output for
/// that target (the stable dose), a prior over the sensitive value and the model's residual
/// spread. It scores each candidate value v by p(v) * N(y - f(x, v); 0, sigma^2) and picks the best.
/// The paper's attacker holds the training cohort's marginals; a group-conditional prior gives
/// each target the distribution of its group (what the attacker knows about the population the
/// target comes from); a uniform prior makes the pick the likelihood's argmax.
///
/// Reference: M. Fredrikson, E. Lantz, S. Jha, S. Lin, D. Page, T. Ristenpart, "Privacy in
/// Pharmacogenetics: An End-to-End Case Study of Personalized Warfarin Dosing", USENIX Security
/// 2014, section 4 (the estimator of equation (1), with a Gaussian error model).
///
/// Deviations:
/// - The posterior is normalised over the candidates so that it can be scored by AUC; the
///   argmax, and so the accuracy, is the paper's.
public struct RegressionInversion: AttributeInferenceAttack, Sendable {
    /// The attacker's prior over the candidate values, per group of targets.
    public let prior: AttributePrior
    /// Standard deviation of the model's residuals, in the units of its output.
    public let sigma: Double

    /// An attack with this prior and error spread.
    public init(prior: AttributePrior, sigma: Double) {
        self.prior = prior
        self.sigma = sigma
    }

    /// An attack with one prior (e.g. the marginals) for every target. Bad priors are refused when it runs.
    public init(prior: [Double], sigma: Double) {
        self.prior = (try? AttributePrior(distributions: [prior])) ?? AttributePrior(unchecked: [prior])
        self.sigma = sigma
    }

    /// `model_inversion`.
    public var name: String { "model_inversion" }

    /// Checks the settings.
    public func validate() throws {
        _ = try AttributePrior(distributions: prior.distributions)
        guard sigma > 0, sigma.isFinite else {
            throw AttackError(description: "model inversion: sigma must be a positive number (got \(sigma))")
        }
    }

    /// Runs against `oracle`: `targets.observed[i]` is target i's output, `targets.groups[i]` its group in the prior
    /// (needed when the prior has more than one). Costs `targets.candidates.rows` queries.
    public func run(_ oracle: any ValueOracle, targets: AttributeTargets<Float>) throws -> AttributeInference {
        try validate()
        let k = prior.valueCount
        guard targets.valueCount == k else {
            throw AttackError(description: "model inversion: the prior has \(k) values, the targets \(targets.valueCount)")
        }
        let observed = targets.observed
        let groups = targets.groups
        if let groups {
            if let bad = groups.first(where: { !(0..<prior.groupCount).contains($0) }) {
                throw AttackError(description: "model inversion: group \(bad) is outside the prior's 0..<\(prior.groupCount)")
            }
        } else if prior.groupCount > 1 {
            throw AttackError(description: "model inversion: the prior has \(prior.groupCount) groups; pass each target's group")
        }
        let predictions = try oracle.query(targets.candidates, client: "attacker")
        let logPriors = prior.distributions.map { d in d.map { $0 > 0 ? log($0) : -Double.infinity } }
        var posteriors: [[Double]] = []
        posteriors.reserveCapacity(observed.count)
        for i in observed.indices {
            let logPrior = logPriors[groups?[i] ?? 0]
            // Squared residuals relative to the first candidate's: the same posterior, and exactly the
            // prior (for every target alike) when the value does not change the prediction.
            let r2 = (0..<k).map { v -> Double in
                let r = (Double(observed[i]) - Double(predictions[i * k + v])) / sigma
                return r * r
            }
            var logScore = (0..<k).map { v in logPrior[v] - 0.5 * (r2[v] - r2[0]) }
            let m = logScore.max() ?? 0
            var total = 0.0
            for v in 0..<k {
                logScore[v] = exp(logScore[v] - m)
                total += logScore[v]
            }
            posteriors.append(logScore.map { $0 / total })
        }
        return AttributeInference(posteriors: posteriors)
    }
}
