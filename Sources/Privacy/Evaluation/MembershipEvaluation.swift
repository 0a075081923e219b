import MLCore

/// How well one membership attack did against one target: the field's current metrics (TPR at low FPR first,
/// then AUC, advantage and the attack's own decisions).
public struct MembershipEvaluation: Sendable {
    /// The ROC of the attack's scores against the truth.
    public let roc: ROCCurve
    /// How the attack's own decision rule did.
    public let decisions: DecisionScore
    /// Queries per audited record.
    public let queriesPerRecord: Double

    /// Scores `scores` against `members` (the truth only the experiment holds).
    public init(_ scores: MembershipScores, members: [Bool]) {
        roc = ROCCurve(scores: scores.scores, positives: members)
        decisions = DecisionScore(decisions: scores.decisions, truth: members)
        queriesPerRecord = scores.queriesPerRecord
    }

    /// The metrics in the order of attacks.csv.
    public var metrics: [Metric: Double] {
        [
            .auc: roc.auc, .balancedAccuracy: decisions.balancedAccuracy, .advantage: roc.advantage, .precision: decisions.precision,
            .recall: decisions.recall, .tprAt01: roc.tpr(atFPR: 0.001), .tprAt1: roc.tpr(atFPR: 0.01), .tprAt0: roc.tpr(atFPR: 0),
        ]
    }

    /// The metrics a run reports for every attack, with their column names.
    public enum Metric: String, CaseIterable, Sendable {
        /// Area under the ROC.
        case auc
        /// Balanced accuracy of the attack's decisions.
        case balancedAccuracy = "balanced_accuracy"
        /// max(TPR - FPR) over all thresholds.
        case advantage
        /// Precision of the attack's decisions.
        case precision
        /// Recall of the attack's decisions.
        case recall
        /// TPR at 0.1 % FPR.
        case tprAt01 = "tpr_at_0.1pct_fpr"
        /// TPR at 1 % FPR.
        case tprAt1 = "tpr_at_1pct_fpr"
        /// TPR before the first false positive.
        case tprAt0 = "tpr_at_0pct_fpr"
    }

    /// The TPR at each FPR of `grid` (vertical averaging of ROCs over targets uses a common grid).
    public func tpr(at grid: [Double]) -> [Double] { grid.map { roc.tpr(atFPR: $0) } }
}
