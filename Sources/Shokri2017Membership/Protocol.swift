// The field's protocol, per dataset: a population pool, M models each trained on a seeded random half of it
// (every record in about half of the models), and each of T targets audited with the other M - 1 models as
// the attacker's references (the first `shadows` non-target models double as shadow models).

import Datasets
import ExperimentKit
import Foundation
import Learning
import MLCore
import Privacy
import Reporting

/// One dataset's pool, its models and the attacker's view of them.
struct AuditWorld {
    let plan: DatasetPlan
    /// The audited records.
    let pool: LabeledData
    /// RMIA's population samples: records outside the pool where the dataset has them, else the pool itself.
    let population: LabeledData
    /// `keep[m][i]`: record i is in model m's training set.
    let keep: [[Bool]]
    /// The M models.
    let models: [Network]
    /// Every model's answers on the pool (and mirrors, population), as the attacker computes them for its own models.
    let references: [ReferenceModel]
    /// The pool mirrored left to right (faces), else nil.
    let mirroredPool: Matrix?
    /// How many of the models came from the cache.
    let cached: Int

    /// Draws the pool and population, trains (or loads) the models and computes their answers.
    static func build(
        _ plan: DatasetPlan, data: LabeledData, catalogDigest: String, run: ExperimentRun, cacheRoot: String, threads: Int,
        using rng: inout SeededGenerator
    ) throws -> AuditWorld {
        let d = plan.dataset
        // The pool: every record, or a seeded sample; the population: records outside the pool, or the pool itself.
        var order = rng.permutation(data.count)
        let poolSize = min(plan.pool, data.count)
        let poolIndices = Array(order.prefix(poolSize)).sorted()
        order = Array(order.dropFirst(poolSize))
        let pool = data.subset(poolIndices)
        let population: LabeledData
        if d.hasOutsideData && !order.isEmpty {
            population = data.subset(Array(order.prefix(plan.population)).sorted())
        } else {
            population = pool.subset(rng.sample(Array(0..<pool.count), count: min(plan.population, pool.count)).sorted())
        }
        let keep = AuditWorld.halves(models: plan.models, records: pool.count, using: &rng)

        // The models: from the cache where an identical run left them, else trained, several at once.
        let settings: [(key: String, value: String)] = [
            ("dataset", d.rawValue), ("catalog", catalogDigest), ("pool", String(pool.count)), ("models", String(plan.models)),
            ("seed", String(run.seed)), ("hidden", String(plan.hidden)), ("activation", "tanh"), ("epochs", String(plan.training.epochs)),
            ("batch", String(plan.training.batchSize)), ("learning_rate", String(plan.training.learningRate)),
            ("l2", String(plan.training.l2)), ("optimizer", "adam"), ("trainer", "ShallowTrainer 1"),
        ]
        let cache = try ModelCache(root: cacheRoot, name: d.rawValue, settings: settings)
        cache.sweep()
        let trainer = ShallowTrainer(hidden: plan.hidden, activation: .tanh, settings: plan.training)
        let inputs = ShallowInputs(pool.features)
        let seeds = (0..<plan.models).map { rng.derived(UInt64(1000 + $0)) }
        var models = [Network?](repeating: nil, count: plan.models)
        for m in 0..<plan.models { models[m] = try cache.load(m) }
        let missing = (0..<plan.models).filter { models[$0] == nil }
        if !missing.isEmpty {
            let bar = Progress("train \(d) models", total: missing.count, unit: "models")
            let lock = NSLock()
            try run.time("train_\(d)_\(missing.count)_models") {
                try Parallel.run(missing.count, threads: threads, finished: { bar.update($0) }) { j in
                    let m = missing[j]
                    var r = seeds[m]
                    let rows = keep[m].indices.filter { keep[m][$0] }
                    let net = try trainer.fit(inputs, labels: pool.labels, subset: rows, classCount: pool.classCount, using: &r)
                    try cache.save(net, index: m)
                    lock.lock()
                    models[m] = net
                    lock.unlock()
                }
            }
            bar.finish()
        }
        let trained = models.compactMap { $0 }

        // The attacker's view of every model: answers on the pool, its mirrors and the population.
        let mirrored =
            d.mirrored ? pool.imageSize.map { InputPerturbation.mirrored(pool.features, width: $0.width, height: $0.height) } : nil
        var references = [ReferenceModel?](repeating: nil, count: trained.count)
        let lock = NSLock()
        try run.time("answers_\(d)") {
            try Parallel.run(trained.count, threads: threads) { m in
                let ref = ReferenceModel(
                    model: trained[m], members: keep[m], records: pool.features, mirrored: mirrored, population: population.features)
                lock.lock()
                references[m] = ref
                lock.unlock()
            }
        }
        return AuditWorld(
            plan: plan, pool: pool, population: population, keep: keep, models: trained, references: references.compactMap { $0 },
            mirroredPool: mirrored, cached: plan.models - missing.count)
    }

    /// Each model's training set: a seeded random half of the pool, drawn independently for every model, so every
    /// record is in about half of the models and one model's membership says nothing about another's. (Carlini et
    /// al.'s code splits so that every record is in exactly half; then a target's members are in one fewer of the
    /// other models than its non-members, which an attack model trained on shadows can learn record by record.)
    static func halves(models: Int, records: Int, using rng: inout SeededGenerator) -> [[Bool]] {
        (0..<models).map { _ in
            var keep = [Bool](repeating: false, count: records)
            for i in rng.half(of: records) { keep[i] = true }
            return keep
        }
    }

    /// The attacker's knowledge when model `target` is the target: every other model as a reference, the first
    /// `shadows` models that are never targets as shadows.
    func audit(target: Int) -> MembershipAudit {
        let others = references.indices.filter { $0 != target }.map { references[$0] }
        let shadowModels = Array(references[plan.targets..<min(plan.targets + plan.shadows, references.count)])
        return MembershipAudit(
            records: pool, references: others, shadows: shadowModels, population: population, mirroredRecords: mirroredPool)
    }

    /// Accuracy of model `m` on its members and on the other pool records.
    func accuracy(_ m: Int) -> (train: Double, test: Double) {
        let predicted = references[m].probabilities
        var right = (member: 0, other: 0)
        var count = (member: 0, other: 0)
        for i in 0..<pool.count {
            let correct = Statistics.argmax(predicted.data[(i * predicted.cols)..<((i + 1) * predicted.cols)]) == pool.labels[i]
            if keep[m][i] {
                count.member += 1
                if correct { right.member += 1 }
            } else {
                count.other += 1
                if correct { right.other += 1 }
            }
        }
        return (Double(right.member) / Double(max(count.member, 1)), Double(right.other) / Double(max(count.other, 1)))
    }
}
