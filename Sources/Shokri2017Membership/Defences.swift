// The defences: output policies on the undefended models (top-k, rounding, temperature, labels only), and
// training defences that retrain every model of a smaller world (L2, early stopping, dropout, DP-SGD), each
// audited by every attack the policy lets run; DP-trained models are checked against their (epsilon, delta) bound.

import ArgumentParser
import ExperimentKit
import Foundation
import Learning
import MLCore
import Privacy
import Reporting

/// An output policy as the command line names it: `full`, `top-K`, `round-STEP`, `temp-T`, `label`.
struct PolicyOption: ExpressibleByArgument, CustomStringConvertible, Equatable {
    let policy: OutputPolicy

    init(_ policy: OutputPolicy) {
        self.policy = policy
    }

    init?(argument: String) {
        let parts = argument.split(separator: "-", maxSplits: 1).map(String.init)
        switch (parts.first, parts.count == 2 ? parts[1] : nil) {
        case ("full", nil): policy = .full
        case ("label", nil): policy = .labelOnly
        case ("top", let k?):
            guard let k = Int(k), k >= 1 else { return nil }
            policy = .topK(k)
        case ("round", let r?):
            guard let r = Float(r), r > 0, r.isFinite else { return nil }
            policy = .rounded(r)
        case ("temp", let t?):
            guard let t = Float(t), t > 0, t.isFinite else { return nil }
            policy = .temperature(t)
        default: return nil
        }
    }

    static var defaultCompletionKind: CompletionKind {
        .list(["top-1", "top-3", "round-0.1", "round-0.001", "temp-5", "temp-20", "label"])
    }

    var description: String { policy.description }
}

/// Which defence families a run evaluates.
enum DefenceFamily: String, CaseIterable, ExpressibleByArgument {
    /// Output policies on the undefended models.
    case policies
    /// L2, early stopping and dropout (retrained models).
    case regularisation
    /// DP-SGD at each epsilon (retrained models).
    case dp
    /// No defences at all.
    case none
}

/// Every defence setting of the run, resolved.
struct DefencePlan {
    let families: Set<DefenceFamily>
    let policies: [OutputPolicy]
    let l2: [Float]
    let patience: Int
    let dropout: Float
    let epsilons: [Double]
    let clip: Float
    let delta: Double?
    let models: Int
    let targets: Int

    /// The training defences, the undefended baseline first.
    var training: [TrainingDefence] {
        var list: [TrainingDefence] = [.none]
        if families.contains(.regularisation) {
            list += l2.map { .l2($0) } + [.earlyStopping(patience: patience), .dropout(dropout)]
        }
        if families.contains(.dp) { list += epsilons.map { .dpSGD(epsilon: $0) } }
        return families.isEmpty ? [] : list
    }

    /// The plan of a defence world: fewer models and targets than the attack comparison.
    func plan(_ p: DatasetPlan) -> DatasetPlan {
        let targets = min(self.targets, models - 3)
        return DatasetPlan(
            dataset: p.dataset, pool: p.pool, models: models, targets: targets, shadows: max(1, min(p.shadows, models - targets - 1)),
            hidden: p.hidden, training: p.training, population: p.population, probes: p.probes,
            attackEpochs: p.attackEpochs)
    }
}

/// One defence setting on one dataset: what the models cost in accuracy and what every attack still finds.
struct DefenceResult {
    let dataset: AuditedDataset
    /// `output_policy`, or the training family (none, l2, early_stopping, dropout, dp_sgd).
    let family: DefenceKind
    /// The policy's name or the training setting.
    let setting: String
    let policy: OutputPolicy
    let training: TrainingDefence
    let privacy: PrivacySpend?
    /// The world's plan (models, targets, training).
    let plan: DatasetPlan
    /// Mean over the audited targets.
    let trainAccuracy: Double
    let testAccuracy: Double
    let attacks: [AttackResult]
    /// DP-trained worlds: every attack's ROC, pooled over the targets, against the DP bound.
    let audits: [(attack: MembershipAttackID, audit: DPAudit)]

    /// The attack with the highest mean TPR at 1 % FPR (AUC breaks ties).
    var strongest: AttackResult? {
        attacks.max { a, b in
            let (ta, tb) = (a.metric(.tprAt1).mean, b.metric(.tprAt1).mean)
            return ta != tb ? ta < tb : a.metric(.auc).mean < b.metric(.auc).mean
        }
    }

    /// A short name for figures: the policy, the L2 strength, "eps 4", "none".
    var shortName: String {
        if family == .outputPolicy { return setting }
        if family == .none { return "none" }
        return training.description.replacingOccurrences(of: "_", with: " ")
    }

    func attack(_ id: MembershipAttackID) -> AttackResult? { attacks.first { $0.attack == id } }
}

enum Defences {
    /// Every defence of the plan on one dataset: the baseline world under each output policy, and every training
    /// defence's world under full outputs.
    static func run(
        _ defence: DefencePlan, setups: [WorldSetup], run: ExperimentRun, threads: Int, using rng: SeededGenerator
    ) throws -> [DefenceResult] {
        var results: [DefenceResult] = []
        for setup in setups {
            let world = try setup.build(run: run, threads: threads)
            let d = world.plan.dataset
            let policies = setup.defence == .none && defence.families.contains(.policies) ? [.full] + defence.policies : [.full]
            for policy in policies {
                do {
                    try policy.validate(classCount: world.pool.classCount)
                } catch {
                    Console.line("  \(d): \(policy) left out (\(error))")
                    continue
                }
                let name = policy == .full ? setup.label : "\(d) \(policy)"
                // The same streams under every policy: attacks a policy does not touch score identically.
                var trainRNG = rng.derived(UInt64(d.hashSeed + 10))
                var scoreRNG = rng.derived(UInt64(d.hashSeed + 20))
                let key = name.replacingOccurrences(of: " ", with: "_")
                let list = try run.time("defence_\(key)_attack_models") { try attacks(for: world, policy: policy, using: &trainRNG) }
                let found = try run.time("defence_\(key)") {
                    try runAttacks(list, on: world, policy: policy, label: name, using: &scoreRNG)
                }
                let accuracy = (0..<world.plan.targets).map { world.accuracy($0) }
                var audits: [(attack: MembershipAttackID, audit: DPAudit)] = []
                if let p = world.privacy {
                    for a in found {
                        let scores = a.scores.flatMap { $0 }
                        let members = (0..<a.scores.count).flatMap { world.keep[$0] }
                        audits.append((a.attack, DPAudit(scores: scores, members: members, epsilon: p.epsilon, delta: p.delta)))
                    }
                    for (attack, audit) in audits where audit.violated {
                        Console.line(
                            "  WARNING: \(attack) beats the (\(Format.f2(p.epsilon)), \(p.delta))-DP bound on \(setup.label) beyond its "
                                + "sampling error (empirical epsilon \(Format.f2(audit.empiricalEpsilon))): the training or the accountant is wrong"
                        )
                    }
                }
                let result = DefenceResult(
                    dataset: d, family: policy == .full ? setup.defence.family : .outputPolicy,
                    setting: policy == .full ? setup.defence.setting : policy.description, policy: policy, training: setup.defence,
                    privacy: world.privacy, plan: world.plan, trainAccuracy: Statistics.meanAndSpread(accuracy.map(\.train)).mean,
                    testAccuracy: Statistics.meanAndSpread(accuracy.map(\.test)).mean, attacks: found, audits: audits)
                let strongest = result.strongest
                Console.line(
                    "  \(name) (\(world.cached) of \(world.plan.models) models from the cache): train \(Format.pct(result.trainAccuracy)), test \(Format.pct(result.testAccuracy))"
                        + (world.privacy.map { ", epsilon \(Format.f2($0.epsilon)) (sigma \(Format.f2($0.noiseMultiplier)))" } ?? "")
                        + "; strongest attack \(strongest?.attack.description ?? "none") TPR \(Format.pct(strongest?.metric(.tprAt1).mean ?? 0)) at 1 % FPR"
                )
                results.append(result)
            }
        }
        return results
    }
}
