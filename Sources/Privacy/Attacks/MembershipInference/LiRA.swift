import Foundation
import Learning
import MLCore

/// The likelihood-ratio attack: for each record, Gaussians fitted to the logit-scaled confidence of the reference
/// models that trained on it (IN) and that did not (OUT); the target's confidence is scored by how much likelier
/// it is under IN than under OUT (online), or by how far above OUT it lies (offline, no IN models needed).
///
/// Reference: N. Carlini, S. Chien, M. Nasr, S. Song, A. Terzis, F. Tramer, Membership Inference Attacks From First
/// Principles, IEEE S&P 2022 (arXiv 2112.03570), sections 4 and 5.
///
/// Deviations:
/// - The Gaussians' centres are medians and their spreads population standard deviations, as in the authors' code;
///   a spread is never taken below `minimumSpread` (with few models two scores can coincide).
/// - Offline, the score is the paper's one-sided test, log P[Z < phi] for Z ~ N(mu_out, sigma_out), not the two-sided
///   log-density of the authors' plotting code.
/// - Fixed variance pools the per-record variances (the square root of their mean) instead of the spread of all
///   scores together, which would also count the differences between records' means.
/// - A record without IN (or OUT) reference models, which happens with few of them, takes that side's mean as the
///   other side's plus the average IN-OUT difference over the records that have both, and the fixed spread.
/// - Decision rule: online, a likelihood ratio above 1; offline, the threshold with the best balanced accuracy when
///   the attack rehearses on one of its own reference models (with a single reference model, above the OUT median).
public struct LiRA: MembershipAttack {
    /// Online (IN and OUT models) or offline (OUT models only).
    public let online: Bool
    /// One spread for all records instead of one per record (Carlini et al.'s advice for few reference models).
    public let fixedVariance: Bool
    /// Whether to query the mirrored record too and average the two scores (image data).
    public let mirrored: Bool
    /// The smallest spread a Gaussian may have.
    public var minimumSpread = 1e-4

    /// LiRA in the chosen setting.
    public init(online: Bool, fixedVariance: Bool = false, mirrored: Bool = false) {
        self.online = online
        self.fixedVariance = fixedVariance
        self.mirrored = mirrored
    }

    /// `lira_online`, `lira_offline_fixed`, `lira_online_mirror`, ...
    public var id: MembershipAttackID { .lira(online: online, fixedVariance: fixedVariance, mirrored: mirrored) }
    /// Confidences.
    public var needs: OutputNeed { .confidences }

    /// Scores every record (averaged over the plain and the mirrored query when `mirrored`).
    public func run(target: any ClassOracle, audit: MembershipAudit, using rng: inout SeededGenerator) throws -> MembershipScores {
        let (scores, queries) = try counting(target) { try score(target: target, audit: audit) }
        if online { return MembershipScores(scores: scores, threshold: 0, queries: queries) }
        guard audit.references.count >= 2 else {
            // No rehearsal with a single reference model: a member is a record above the OUT median.
            return MembershipScores(scores: scores, threshold: Foundation.log(0.5), queries: queries)
        }
        let rehearsal = try audit.rehearsal()
        let rehearsed = try score(target: rehearsal.target, audit: rehearsal.audit)
        return MembershipScores(scores: scores, threshold: Thresholds.best(scores: rehearsed, truth: rehearsal.members), queries: queries)
    }

    /// The scores alone.
    func score(target: any ClassOracle, audit: MembershipAudit) throws -> [Double] {
        guard !audit.references.isEmpty else { throw AttackError(description: "\(name) needs reference models") }
        let labels = audit.records.labels
        var views = [(target: try target.query(audit.records.features), references: audit.references.map(\.probabilities))]
        if mirrored {
            guard let flipped = audit.mirroredRecords, audit.references.allSatisfy({ $0.mirroredProbabilities != nil }) else {
                throw AttackError(description: "\(name) needs image records and the reference models' answers on their mirrors")
            }
            views.append((try target.query(flipped), audit.references.compactMap(\.mirroredProbabilities)))
        }
        var total = [Double](repeating: 0, count: labels.count)
        for view in views {
            let phi = PerExample.logitScaledConfidence(view.target, labels: labels)
            let fit = LiRA.fit(
                view.references.map { PerExample.logitScaledConfidence($0, labels: labels) }, members: audit.references.map(\.members),
                fixedVariance: fixedVariance, minimumSpread: minimumSpread)
            for i in total.indices {
                total[i] += online ? fit.logLikelihoodRatio(phi[i], record: i) : fit.logOutTail(phi[i], record: i)
            }
        }
        return total.map { $0 / Double(views.count) }
    }

    /// The per-record Gaussians of the IN and OUT scores.
    public struct Fit: Sendable {
        /// Centre and spread of the IN scores of each record.
        public let inMean: [Double]
        /// Spread of the IN scores.
        public let inSpread: [Double]
        /// Centre of the OUT scores.
        public let outMean: [Double]
        /// Spread of the OUT scores.
        public let outSpread: [Double]

        /// log N(phi; in) - log N(phi; out) for record i.
        public func logLikelihoodRatio(_ phi: Double, record i: Int) -> Double {
            LiRA.logNormal(phi, inMean[i], inSpread[i]) - LiRA.logNormal(phi, outMean[i], outSpread[i])
        }

        /// log P[Z < phi] for Z ~ N(out) of record i: how far above the OUT scores phi lies.
        public func logOutTail(_ phi: Double, record i: Int) -> Double {
            let z = (phi - outMean[i]) / outSpread[i]
            return Foundation.log(max(0.5 * erfc(-z / 2.0.squareRoot()), 1e-300))
        }
    }

    /// Fits the Gaussians from reference scores (`scores[k][i]`: model k on record i) and memberships.
    public static func fit(_ scores: [[Double]], members: [[Bool]], fixedVariance: Bool, minimumSpread: Double) -> Fit {
        let n = scores.first?.count ?? 0
        var inMean = [Double](repeating: .nan, count: n)
        var outMean = inMean
        var inVar = inMean
        var outVar = inMean
        for i in 0..<n {
            var ins: [Double] = []
            var outs: [Double] = []
            for k in scores.indices {
                if members[k][i] { ins.append(scores[k][i]) } else { outs.append(scores[k][i]) }
            }
            if !ins.isEmpty { (inMean[i], inVar[i]) = (median(ins), variance(ins)) }
            if !outs.isEmpty { (outMean[i], outVar[i]) = (median(outs), variance(outs)) }
        }
        func pooled(_ v: [Double]) -> Double {
            let present = v.filter { !$0.isNaN }
            return present.isEmpty ? minimumSpread : max((present.reduce(0, +) / Double(present.count)).squareRoot(), minimumSpread)
        }
        let inFixed = pooled(inVar)
        let outFixed = pooled(outVar)
        let both = (0..<n).filter { !inMean[$0].isNaN && !outMean[$0].isNaN }
        let shift = both.isEmpty ? 0 : both.reduce(0.0) { $0 + inMean[$1] - outMean[$1] } / Double(both.count)
        for i in 0..<n {
            if inMean[i].isNaN { (inMean[i], inVar[i]) = (outMean[i] + shift, inFixed * inFixed) }
            if outMean[i].isNaN { (outMean[i], outVar[i]) = (inMean[i] - shift, outFixed * outFixed) }
        }
        return Fit(
            inMean: inMean, inSpread: inVar.map { fixedVariance ? inFixed : max($0.squareRoot(), minimumSpread) },
            outMean: outMean, outSpread: outVar.map { fixedVariance ? outFixed : max($0.squareRoot(), minimumSpread) })
    }

    /// The log-density of N(mean, sd) at x.
    public static func logNormal(_ x: Double, _ mean: Double, _ sd: Double) -> Double {
        let z = (x - mean) / sd
        return -0.5 * z * z - Foundation.log(sd) - 0.5 * Foundation.log(2 * Double.pi)
    }

    /// The median (the mean of the two middle values for an even count).
    static func median(_ x: [Double]) -> Double {
        let s = x.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// The population variance (0 for one value).
    static func variance(_ x: [Double]) -> Double {
        let m = x.reduce(0, +) / Double(x.count)
        return x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count)
    }
}
