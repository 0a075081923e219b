import Foundation
import Learning
import MLCore

/// The robust membership-inference attack: the likelihood ratio of a record, p(y|x, target) / p(y|x), compared
/// pairwise with the same ratio on population samples z; the score is the share of z the record's ratio beats by
/// at least the factor gamma. p(y|x) averages the reference models: all of them online; offline, only those that
/// did not train on x, scaled to stand in for all: ((1 + a) p_out + (1 - a)) / 2.
///
/// Reference: S. Zarifzadeh, P. Liu, R. Shokri, Low-Cost High-Power Membership Inference Attacks, ICML 2024
/// (arXiv 2312.03262); the offline approximation and the tuning of a as in ML Privacy Meter
/// (privacytrustlab/ml_privacy_meter, modules/mia/attacks/rmia.py).
///
/// Deviations:
/// - Online, p(y|x) weighs the reference models that trained on x and those that did not equally. In the paper each
///   reference holds x with probability one half; with a fixed split (every record in exactly half of all models) a
///   target's references hold its members once fewer than its non-members, and a plain average would leak that.
/// - `a` is tuned over 0, 0.1, ..., 1 by AUC on a rehearsal (one of the attacker's reference models as the target),
///   as Privacy Meter tunes it on a paired model; with a single reference model there is no rehearsal, and a is
///   Privacy Meter's default 0.3 and the decision threshold one half.
/// - The score is a monotone function of the record's own ratio for a fixed set of z, so the ROC does not depend on
///   z; z matters for the decision, which is the threshold with the best balanced accuracy on the rehearsal.
/// - The share of z moves in steps of 1/|z|, so records beyond every z tie at 1 (or within one step); ties within a
///   step are broken by the record's own ratio (a term smaller than half a step), which the share stands for.
public struct RMIA: MembershipAttack {
    /// Online (every reference model) or offline (only those that did not train on the record).
    public let online: Bool
    /// The factor by which a record's ratio must beat a population sample's (the paper's gamma; 1 in Privacy Meter).
    public var gamma: Double = 1
    /// The offline scaling `a`; nil tunes it on a rehearsal.
    public var offlineA: Double?

    /// RMIA in the chosen setting.
    public init(online: Bool) {
        self.online = online
    }

    /// `rmia` or `rmia_offline`.
    public var id: MembershipAttackID { .rmia(online: online) }
    /// Confidences.
    public var needs: OutputNeed { .confidences }

    /// Scores every record against the population samples.
    public func run(target: any ClassOracle, audit: MembershipAudit, using rng: inout SeededGenerator) throws -> MembershipScores {
        guard gamma > 0 else { throw AttackError(description: "RMIA: gamma must be positive (got \(gamma))") }
        guard audit.references.count >= 2 else {
            // No rehearsal with a single reference model: Privacy Meter's default a, and a member is a record whose
            // ratio beats half the population.
            let (scores, queries) = try counting(target) { try score(target: target, audit: audit, a: offlineA ?? 0.3) }
            return MembershipScores(scores: scores, threshold: 0.5, queries: queries)
        }
        let rehearsal = try audit.rehearsal()
        let a = try offlineA ?? tuneA(rehearsal)
        let (scores, queries) = try counting(target) { try score(target: target, audit: audit, a: a) }
        let rehearsed = try score(target: rehearsal.target, audit: rehearsal.audit, a: a)
        return MembershipScores(scores: scores, threshold: Thresholds.best(scores: rehearsed, truth: rehearsal.members), queries: queries)
    }

    /// The a with the best AUC on the rehearsal (online RMIA does not use a).
    func tuneA(_ rehearsal: (target: any ClassOracle, members: [Bool], audit: MembershipAudit)) throws -> Double {
        guard !online else { return 1 }
        var best = (a: 0.0, auc: -1.0)
        for step in 0...10 {
            let a = Double(step) / 10
            let auc = ROCCurve(scores: try score(target: rehearsal.target, audit: rehearsal.audit, a: a), positives: rehearsal.members).auc
            if auc > best.auc { best = (a, auc) }
        }
        return best.a
    }

    /// The scores for a given a.
    func score(target: any ClassOracle, audit: MembershipAudit, a: Double) throws -> [Double] {
        guard !audit.references.isEmpty else { throw AttackError(description: "\(name) needs reference models") }
        guard audit.references.allSatisfy({ $0.populationProbabilities != nil }) else {
            throw AttackError(description: "\(name) needs the reference models' answers on the population samples")
        }
        let labels = audit.records.labels
        let zLabels = audit.population.labels
        let px = PerExample.confidence(try target.query(audit.records.features), labels: labels)
        let pz = PerExample.confidence(try target.query(audit.population.features), labels: zLabels)
        let refX = audit.references.map { PerExample.confidence($0.probabilities, labels: labels) }
        let refZ = audit.references.compactMap { $0.populationProbabilities.map { PerExample.confidence($0, labels: zLabels) } }
        let members = audit.references.map(\.members)
        func mean(_ x: [Double]) -> Double? { x.isEmpty ? nil : x.reduce(0, +) / Double(x.count) }
        func prior(_ values: [Double], out: [Bool]?) -> Double {
            let outs = out.map { o in zip(values, o).filter { $0.1 }.map(\.0) } ?? values
            let ins = out.map { o in zip(values, o).filter { !$0.1 }.map(\.0) } ?? []
            if online {
                // IN and OUT models weigh equally, as if each reference held x with probability one half.
                switch (mean(ins), mean(outs)) {
                case (let i?, let o?): return (i + o) / 2
                case (let i?, nil): return i
                case (nil, let o?): return o
                case (nil, nil): return 0
                }
            }
            return ((1 + a) * (mean(outs) ?? mean(values) ?? 0) + (1 - a)) / 2
        }
        let ratioX = labels.indices.map { i in
            px[i] / max(prior(refX.map { $0[i] }, out: members.map { !$0[i] }), 1e-300)
        }
        let ratioZ = zLabels.indices.map { j in pz[j] / max(prior(refZ.map { $0[j] }, out: nil), 1e-300) }.sorted()
        // The share of z whose ratio, times gamma, stays below the record's: a binary search in the sorted ratios.
        let step = 1 / Double(max(ratioZ.count, 1))
        return ratioX.map { r in
            let bound = r / gamma
            var lo = 0
            var hi = ratioZ.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if ratioZ[mid] < bound { lo = mid + 1 } else { hi = mid }
            }
            let tieBreak = 0.49 * step * (atan(log(max(r, 1e-300))) / Double.pi + 0.5)
            return Double(lo) * step + tieBreak
        }
    }
}
