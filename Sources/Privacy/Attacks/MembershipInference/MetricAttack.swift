import Learning
import MLCore

/// A per-example signal a metric attack thresholds; higher always means "more likely a member".
public enum MembershipMetric: String, Sendable, CaseIterable {
    /// Minus the cross-entropy loss (Yeom et al.): members have lower loss.
    case loss
    /// The probability of the true label (Song and Mittal; Salem et al.'s max-posterior relative).
    case confidence
    /// Minus the entropy of the prediction.
    case entropy
    /// Minus Song and Mittal's modified entropy (it uses the label, unlike the entropy).
    case mentr

    /// The signal for each row of probabilities.
    public func signal(_ p: Matrix, labels: [Int]) -> [Double] {
        switch self {
        case .loss: return PerExample.loss(p, labels: labels).map { -$0 }
        case .confidence: return PerExample.confidence(p, labels: labels)
        case .entropy: return PerExample.entropy(p).map { -$0 }
        case .mentr: return PerExample.modifiedEntropy(p, labels: labels).map { -$0 }
        }
    }
}

/// A metric threshold attack: the target's signal for each record, called a member above a threshold set on the
/// attacker's shadow models (one global threshold, or one per class).
///
/// Reference: S. Yeom, I. Giacomelli, M. Fredrikson, S. Jha, Privacy Risk in Machine Learning: Analyzing the Connection
/// to Overfitting, CSF 2018 (the loss attack); L. Song and P. Mittal, Systematic Evaluation of Privacy Risks of Machine
/// Learning Models, USENIX Security 2021 (confidence, entropy, modified entropy; class-dependent thresholds).
///
/// Deviations:
/// - Yeom et al.'s threshold is the target's average training loss, which their attacker is assumed to know; here it
///   is the shadow models' average training loss (what an attacker without that knowledge can estimate).
/// - Song and Mittal's thresholds maximise accuracy on the shadows' members and non-members; here they maximise
///   balanced accuracy (the same when the two sets are equal in size, as with random halves).
public struct MetricAttack: MembershipAttack {
    /// The signal.
    public let metric: MembershipMetric
    /// One threshold per class (true) or one for all (false).
    public let perClass: Bool

    /// The attack on `metric`, with class-dependent thresholds when `perClass`.
    public init(_ metric: MembershipMetric, perClass: Bool = false) {
        self.metric = metric
        self.perClass = perClass
    }

    /// `loss`, `confidence`, `confidence_class`, ...
    public var id: MembershipAttackID { .metric(metric, perClass: perClass) }
    /// Confidences.
    public var needs: OutputNeed { .confidences }

    /// Scores the target's answers; the score of a class-threshold attack is the signal minus its class's threshold.
    public func run(target: any ClassOracle, audit: MembershipAudit, using rng: inout SeededGenerator) throws -> MembershipScores {
        guard !audit.shadows.isEmpty else { throw AttackError(description: "\(name) needs at least one shadow model") }
        let labels = audit.records.labels
        let (answers, queries) = try counting(target) { try target.query(audit.records.features) }
        let signal = metric.signal(answers, labels: labels)
        // The shadows' signals with the truth the attacker knows about its own models.
        var shadowSignal: [Double] = []
        var shadowTruth: [Bool] = []
        var shadowClasses: [Int] = []
        for s in audit.shadows {
            shadowSignal += metric.signal(s.probabilities, labels: labels)
            shadowTruth += s.members
            shadowClasses += labels
        }
        if metric == .loss && !perClass {
            // Yeom et al.: a member is a record whose loss is below the average training loss.
            let memberLosses = zip(shadowSignal, shadowTruth).filter { $0.1 }.map { -$0.0 }
            let average = memberLosses.reduce(0, +) / Double(max(memberLosses.count, 1))
            return MembershipScores(scores: signal, threshold: -average, queries: queries)
        }
        if perClass {
            let thresholds = Thresholds.perClass(
                scores: shadowSignal, truth: shadowTruth, classes: shadowClasses, classCount: audit.records.classCount)
            let shifted = signal.indices.map { signal[$0] - finite(thresholds[labels[$0]]) }
            return MembershipScores(scores: shifted, threshold: 0, queries: queries)
        }
        let threshold = Thresholds.best(scores: shadowSignal, truth: shadowTruth)
        return MembershipScores(scores: signal, threshold: finite(threshold), queries: queries)
    }

    /// An infinite threshold (every shadow record called a non-member was best) as the largest finite double.
    private func finite(_ t: Double) -> Double { t.isFinite ? t : .greatestFiniteMagnitude }
}
