import MLCore

/// The standard set of membership-inference attacks, in the order reports list them: shadow-model attacks, metric
/// thresholds, LiRA, RMIA, label-only.
public enum MembershipAttacks {
    /// Every attack, the shadow-trained ones trained on `audit`'s shadows (for `shadowEpochs` epochs, the authors'
    /// 50 by default) and the label-only robustness attack's threshold set on them; LiRA's mirrored variants when
    /// `mirrored`.
    public static func standard(
        _ audit: MembershipAudit, perturbation: InputPerturbation, probes: Int, mirrored: Bool, shadowEpochs: Int = 50,
        using rng: inout SeededGenerator
    ) throws -> [any MembershipAttack] {
        var shokri = ShokriAttack()
        var leaks = MLLeaksAttack()
        (shokri.epochs, leaks.epochs) = (shadowEpochs, shadowEpochs)
        var list: [any MembershipAttack] = [
            try shokri.train(audit, using: &rng), try leaks.train(audit, using: &rng), MLLeaksMaxAttack(),
            MetricAttack(.loss), MetricAttack(.confidence), MetricAttack(.confidence, perClass: true), MetricAttack(.entropy),
            MetricAttack(.entropy, perClass: true), MetricAttack(.mentr), MetricAttack(.mentr, perClass: true),
            LiRA(online: true), LiRA(online: false), LiRA(online: true, fixedVariance: true), LiRA(online: false, fixedVariance: true),
        ]
        if mirrored {
            list += [LiRA(online: true, mirrored: true), LiRA(online: false, mirrored: true)]
        }
        list += [
            RMIA(online: true), RMIA(online: false), LabelGapAttack(),
            try LabelRobustnessAttack(perturbation: perturbation, probes: probes).calibrated(on: audit, using: &rng),
        ]
        return list
    }
}
