// Every attack against every target of one dataset, through an Oracle that shows what the attack needs
// (full confidences, or labels only), scored on the target's whole pool.

import Foundation
import Learning
import MLCore
import Privacy
import Reporting

/// One attack's results on one dataset: per target, and averaged.
struct AttackResult {
    let dataset: AuditedDataset
    let attack: MembershipAttackID
    let needs: OutputNeed
    /// One evaluation per target.
    let evaluations: [MembershipEvaluation]
    /// The scores of every record, per target.
    let scores: [[Double]]

    /// The scores on the first target, for scores.csv and the exposure figure.
    var firstScores: [Double] { scores.first ?? [] }

    /// The mean and sample standard deviation of a metric over targets.
    func metric(_ m: MembershipEvaluation.Metric) -> (mean: Double, sd: Double) {
        Statistics.meanAndSpread(evaluations.map { $0.metrics[m] ?? .nan })
    }

    /// TPR averaged over targets at each false-positive rate of `grid` (vertical averaging).
    func meanROC(_ grid: [Double]) -> [Double] {
        let curves = evaluations.map { $0.tpr(at: grid) }
        return grid.indices.map { k in curves.map { $0[k] }.reduce(0, +) / Double(curves.count) }
    }

    var queriesPerRecord: Double { evaluations.first?.queriesPerRecord ?? 0 }
}

/// The attacks of the experiment, in report order, for targets served through `policy`; the shadow-trained ones are
/// trained once per dataset and policy on the shadows' answers shown through it (the shadows are never targets, so
/// every target faces the same attack models).
func attacks(for world: AuditWorld, policy: OutputPolicy = .full, using rng: inout SeededGenerator) throws
    -> [any MembershipAttack]
{
    try MembershipAttacks.standard(
        world.seen(through: policy).audit(target: 0), perturbation: world.plan.dataset.perturbation(world.pool),
        probes: world.plan.probes, mirrored: world.plan.dataset.mirrored, shadowEpochs: world.plan.attackEpochs, using: &rng
    ).filter { $0.runs(under: policy) }
}

/// Runs every attack against each of the first `targets` targets served through `policy`, with a progress bar over
/// (target, attack) pairs. Each attack's random choices come from its name and the target, so an attack the
/// policy does not touch (the label attacks) gives the same scores under every policy.
func runAttacks(
    _ list: [any MembershipAttack], on world: AuditWorld, policy: OutputPolicy = .full, targets: Int? = nil, label: String? = nil,
    using rng: inout SeededGenerator
) throws -> [AttackResult] {
    let targets = min(targets ?? world.plan.targets, world.plan.targets)
    let bar = Progress("attack \(label ?? world.plan.dataset.rawValue) targets", total: targets * list.count, unit: "attacks")
    var evaluations = [[MembershipEvaluation]](repeating: [], count: list.count)
    var scores = [[[Double]]](repeating: [], count: list.count)
    let view = world.seen(through: policy)
    for t in 0..<targets {
        let audit = view.audit(target: t)
        for (k, attack) in list.enumerated() {
            var attackRNG = rng.derived(UInt64(t * 1000) &+ StableHash.of(attack.name))
            let found = try attack.run(target: try attack.oracle(for: world.models[t], policy: policy), audit: audit, using: &attackRNG)
            evaluations[k].append(MembershipEvaluation(found, members: world.keep[t]))
            scores[k].append(found.scores)
            bar.update(t * list.count + k + 1)
        }
    }
    bar.finish()
    return list.indices.map { k in
        AttackResult(
            dataset: world.plan.dataset, attack: list[k].id, needs: list[k].needs, evaluations: evaluations[k], scores: scores[k])
    }
}

/// TPR at 0.1 % FPR of the online and offline LiRA (fixed variance, as Carlini et al. advise for few models) and
/// of RMIA, online and offline, with only the first k reference models, averaged over the targets.
struct ReferenceSweep {
    let counts: [Int]
    /// Attack name -> TPR at 0.1 % FPR (mean over targets) per count; NaN where the attack cannot run.
    let tpr: [MembershipAttackID: [Double]]
    /// Attack name -> AUC per count.
    let auc: [MembershipAttackID: [Double]]

    static func run(_ world: AuditWorld, using rng: inout SeededGenerator) throws -> ReferenceSweep {
        let most = world.models.count - 1
        var counts = [1]
        while counts.last! * 2 < most { counts.append(counts.last! * 2) }
        counts.append(most)
        let attacks: [any MembershipAttack] = [
            LiRA(online: true, fixedVariance: true), LiRA(online: false, fixedVariance: true), RMIA(online: true), RMIA(online: false),
        ]
        var tpr: [MembershipAttackID: [Double]] = [:]
        var auc: [MembershipAttackID: [Double]] = [:]
        let bar = Progress("reference sweep \(world.plan.dataset)", total: counts.count * attacks.count, unit: "settings")
        for (c, count) in counts.enumerated() {
            for (k, attack) in attacks.enumerated() {
                var values: [(Double, Double)] = []
                for t in 0..<world.plan.targets {
                    let audit = world.audit(target: t).withReferences(count)
                    var r = rng.derived(UInt64(c * 100 + k * 10 + t))
                    let scores = try attack.run(target: try BlackBoxOracle(world.models[t]), audit: audit, using: &r)
                    guard scores.scores.allSatisfy({ $0.isFinite }) else { continue }
                    let e = MembershipEvaluation(scores, members: world.keep[t])
                    values.append((e.roc.tpr(atFPR: 0.001), e.roc.auc))
                }
                tpr[attack.id, default: []].append(values.isEmpty ? .nan : values.map(\.0).reduce(0, +) / Double(values.count))
                auc[attack.id, default: []].append(values.isEmpty ? .nan : values.map(\.1).reduce(0, +) / Double(values.count))
                bar.update(c * attacks.count + k + 1)
            }
        }
        bar.finish()
        return ReferenceSweep(counts: counts, tpr: tpr, auc: auc)
    }
}
