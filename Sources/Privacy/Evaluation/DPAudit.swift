import Foundation
import MLCore

/// A membership attack's ROC against what (epsilon, delta)-differential privacy allows. For every threshold,
/// TPR <= e^epsilon FPR + delta and, mirrored, TNR <= e^epsilon FNR + delta (Kairouz, Oh, Viswanath, ICML 2015):
/// an attack that beats the bound, beyond its sampling error, means the training or the accountant is wrong.
///
/// The sampling error: one-sided Clopper-Pearson bounds at 95 %, Bonferroni-corrected over the thresholds checked
/// (up to `thresholds` ROC points, evenly spread, and the one at 1 % FPR), so the chance that a correct DP model is
/// reported as violating its bound is at most 5 %. The empirical epsilon is the largest
/// log((TPR_low - delta) / FPR_high) or log((TNR_low - delta) / FNR_high) over those thresholds (Jagielski et al.,
/// NeurIPS 2020): a lower bound on the true epsilon that holds with 95 % confidence; the audit is violated exactly
/// when it exceeds the claimed epsilon.
public struct DPAudit: Sendable {
    /// The claimed guarantee.
    public let epsilon: Double
    /// The claimed delta.
    public let delta: Double
    /// TPR at 1 % FPR (the ROC's convention: the best threshold whose FPR is at most 1 %).
    public let tprAt1: Double
    /// What DP allows there: e^epsilon * 0.01 + delta, or 1 where that exceeds 1 (no limit).
    public let boundAt1: Double
    /// Two-sided 95 % Clopper-Pearson interval of that TPR.
    public let tprAt1Interval: (lower: Double, upper: Double)
    /// The largest point-estimate excess over the bound at any threshold, either inequality (negative: inside).
    public let largestExcess: Double
    /// The lower bound on epsilon the attack proves (0 when it proves nothing).
    public let empiricalEpsilon: Double
    /// Thresholds checked.
    public let thresholdsChecked: Int

    /// Whether the attack beat the bound beyond the sampling error.
    public var violated: Bool { empiricalEpsilon > epsilon }
    /// The margin at 1 % FPR: the bound minus the measured TPR (negative: the attack is above what DP allows).
    public var marginAt1: Double { boundAt1 - tprAt1 }

    /// Audits the scores of an attack (higher: member) against the truth.
    public init(scores: [Double], members: [Bool], epsilon: Double, delta: Double, thresholds: Int = 200) {
        self.epsilon = epsilon
        self.delta = delta
        let roc = ROCCurve(scores: scores, positives: members)
        let (p, n) = (roc.positives, roc.negatives)
        let e = Foundation.exp(epsilon)
        let at1 = roc.tpr(atFPR: 0.01)
        tprAt1 = at1
        boundAt1 = min(1, e * 0.01 + delta)
        tprAt1Interval = p > 0 ? Binomial.clopperPearson(successes: Int((at1 * Double(p)).rounded()), trials: p) : (0, 1)
        largestExcess = roc.points.map { max($0.tpr - (e * $0.fpr + delta), (1 - $0.fpr) - (e * (1 - $0.tpr) + delta)) }.max() ?? 0
        // The thresholds checked: evenly spread over the curve, plus the one quoted at 1 % FPR.
        var chosen = Set(stride(from: 0, to: roc.points.count, by: max(1, roc.points.count / max(thresholds, 1))))
        if let k = roc.points.lastIndex(where: { $0.fpr <= 0.01 + 1e-12 && $0.tpr == at1 }) { chosen.insert(k) }
        thresholdsChecked = chosen.count
        guard p > 0, n > 0 else {
            empiricalEpsilon = 0
            return
        }
        // One-sided 95 % over 2 inequalities x the thresholds: two-sided alpha of 2 x 0.05 / (2 K) per bound.
        let alpha = 0.1 / Double(2 * chosen.count)
        var best = 0.0
        for k in chosen.sorted() {
            let point = roc.points[k]
            let tp = Int((point.tpr * Double(p)).rounded())
            let fp = Int((point.fpr * Double(n)).rounded())
            let tpr = Binomial.clopperPearson(successes: tp, trials: p, alpha: alpha)
            let fpr = Binomial.clopperPearson(successes: fp, trials: n, alpha: alpha)
            // TPR_low - delta over FPR_high, and TNR_low - delta over FNR_high.
            if tpr.lower - delta > 0 { best = max(best, Foundation.log((tpr.lower - delta) / fpr.upper)) }
            if 1 - fpr.upper - delta > 0 { best = max(best, Foundation.log((1 - fpr.upper - delta) / (1 - tpr.lower))) }
        }
        empiricalEpsilon = best
    }
}
