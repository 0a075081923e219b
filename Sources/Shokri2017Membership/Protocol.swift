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

/// A kind of defence, as tables name it: an output policy, or a training defence's family.
enum DefenceKind: String, CaseIterable, CustomStringConvertible {
    case outputPolicy = "output_policy"
    case none
    case l2
    case earlyStopping = "early_stopping"
    case dropout
    case dpSGD = "dp_sgd"

    /// The name in tables.
    var description: String { rawValue }
}

/// The training-side defence a world's models are trained with.
enum TrainingDefence: Hashable, CustomStringConvertible {
    /// The experiment's ordinary training (Adam, L2 1e-6).
    case none
    /// L2 weight decay of this strength instead of 1e-6.
    case l2(Float)
    /// Early stopping on 10 % of the model's training rows, with this patience (epochs).
    case earlyStopping(patience: Int)
    /// Dropout on the hidden layer with this probability.
    case dropout(Float)
    /// DP-SGD reaching this epsilon (at the run's delta and clip).
    case dpSGD(epsilon: Double)

    /// The family: none, l2, early_stopping, dropout, dp_sgd.
    var family: DefenceKind {
        switch self {
        case .none: return .none
        case .l2: return .l2
        case .earlyStopping: return .earlyStopping
        case .dropout: return .dropout
        case .dpSGD: return .dpSGD
        }
    }

    /// The setting in tables: the L2 strength, the patience, the dropout rate, the target epsilon.
    var setting: String {
        switch self {
        case .none: return ""
        case .l2(let l): return String(format: "%g", l)
        case .earlyStopping(let p): return "patience \(p)"
        case .dropout(let r): return String(format: "%g", r)
        case .dpSGD(let e): return "eps \(String(format: "%g", e))"
        }
    }

    var description: String { setting.isEmpty ? family.rawValue : "\(family) \(setting)" }
}

/// What DP-SGD spent on a world's models: the noise multiplier the accountant chose for the target epsilon, and the
/// epsilon it certifies for every model (at the largest sampling rate and step count among them).
struct PrivacySpend {
    let targetEpsilon: Double
    let epsilon: Double
    let delta: Double
    let noiseMultiplier: Double
    let clip: Float
    let samplingRate: Double
    let steps: Int
}

/// A world before its models exist: the pool, the population, each model's half, seed and trainer, and the cache
/// that holds (or will hold) the models.
struct WorldSetup {
    let plan: DatasetPlan
    let defence: TrainingDefence
    let pool: LabeledData
    let population: LabeledData
    let keep: [[Bool]]
    let seeds: [SeededGenerator]
    let trainer: ShallowTrainer
    let privacy: PrivacySpend?
    let cache: ModelCache

    /// The world's name in progress lines and timings: the dataset, and the defence if any.
    var label: String { defence == .none ? plan.dataset.rawValue : "\(plan.dataset) \(defence)" }

    /// Draws the pool, population and halves from `rng` (the same draws for every defence of a dataset, so their
    /// models train on the same halves), and resolves the trainer, DP-SGD's noise and the cache folder.
    static func make(
        _ plan: DatasetPlan, defence: TrainingDefence, data: LabeledData, catalogDigest: String, run: ExperimentRun, cacheRoot: String,
        dp: (clip: Float, delta: Double), using rng: inout SeededGenerator
    ) throws -> WorldSetup {
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
        let keep = MembershipWorld.halves(models: plan.models, records: pool.count, using: &rng)
        let seeds = (0..<plan.models).map { rng.derived(UInt64(1000 + $0)) }

        var training = plan.training
        if case .l2(let l) = defence { training.l2 = l }
        var trainer = ShallowTrainer(hidden: plan.hidden, activation: .tanh, settings: training)
        var privacy: PrivacySpend?
        switch defence {
        case .none, .l2: break
        case .earlyStopping(let p): trainer.earlyStopping = EarlyStopping(validationShare: 0.1, patience: p)
        case .dropout(let r): trainer.dropout = r
        case .dpSGD(let target):
            // Every model samples each of its rows with q = batch / its rows, for epochs x round(rows / batch) steps:
            // the accountant runs at the largest q and step count, so its epsilon holds for every model.
            let rows = keep.map { $0.filter { $0 }.count }
            let batch = training.batchSize
            let q = min(1, Double(batch) / Double(max(rows.min() ?? 1, 1)))
            let steps = training.epochs * max(1, ((rows.max() ?? 1) + batch / 2) / batch)
            let sigma = try RDPAccountant.noiseMultiplier(forEpsilon: target, q: q, steps: steps, delta: dp.delta)
            let spent = RDPAccountant.epsilon(q: q, noise: sigma, steps: steps, delta: dp.delta).epsilon
            trainer.privacy = PrivateTraining(clip: dp.clip, noiseMultiplier: Float(sigma))
            privacy = PrivacySpend(
                targetEpsilon: target, epsilon: spent, delta: dp.delta, noiseMultiplier: sigma, clip: dp.clip, samplingRate: q, steps: steps
            )
        }

        var settings: [(key: String, value: String)] = [
            ("dataset", d.rawValue), ("catalog", catalogDigest), ("pool", String(pool.count)), ("models", String(plan.models)),
            ("seed", String(run.seed)), ("hidden", String(plan.hidden)), ("activation", "tanh"), ("epochs", String(training.epochs)),
            ("batch", String(training.batchSize)), ("learning_rate", String(training.learningRate)),
            ("l2", String(training.l2)), ("optimizer", "adam"), ("trainer", "ShallowTrainer 2"),
        ]
        switch defence {
        case .none, .l2: break
        case .earlyStopping(let p): settings.append(("early_stopping", "share 0.1 patience \(p)"))
        case .dropout(let r): settings.append(("dropout", String(r)))
        case .dpSGD:
            if let p = privacy { settings.append(("dp_sgd", "clip \(p.clip) noise \(trainer.privacy!.noiseMultiplier) poisson")) }
        }
        let name = d.rawValue + (defence == .none ? "" : "-" + defence.family.rawValue)
        let cache = try ModelCache(root: cacheRoot, name: name, settings: settings)
        cache.sweep()
        return WorldSetup(
            plan: plan, defence: defence, pool: pool, population: population, keep: keep, seeds: seeds, trainer: trainer, privacy: privacy,
            cache: cache)
    }

    /// Trains those of the models `indices` the cache lacks, several at once, and stores each as it finishes.
    /// Returns how many it trained.
    @discardableResult
    func trainMissing(_ indices: [Int], run: ExperimentRun, threads: Int) throws -> Int {
        let missing = indices.filter { !cache.contains($0) }
        guard !missing.isEmpty else { return 0 }
        let inputs = ShallowInputs(pool.features)
        let bar = Progress("train \(label) models", total: missing.count, unit: "models")
        try run.time("train_\(label.replacingOccurrences(of: " ", with: "_"))_\(missing.count)_models") {
            try Parallel.run(missing.count, threads: threads, finished: { bar.update($0) }) { j in
                let m = missing[j]
                var r = seeds[m]
                let rows = keep[m].indices.filter { keep[m][$0] }
                let net = try trainer.fit(inputs, labels: pool.labels, subset: rows, classCount: pool.classCount, using: &r)
                try cache.save(net.network, index: m)
            }
        }
        bar.finish()
        return missing.count
    }

    /// Loads (or trains) every model and computes the attacker's view of each.
    func build(run: ExperimentRun, threads: Int) throws -> AuditWorld {
        let trainedNow = try trainMissing(Array(0..<plan.models), run: run, threads: threads)
        let trained = try (0..<plan.models).map { m -> NeuralClassifier in
            guard let net = try cache.load(m) else {
                throw RunError("model \(m) of \(label) is missing from \(cache.folder) after training")
            }
            return NeuralClassifier(net)
        }
        let d = plan.dataset
        let mirrored =
            d.mirrored ? pool.imageSize.map { InputPerturbation.mirrored(pool.features, width: $0.width, height: $0.height) } : nil
        var references = [ReferenceModel?](repeating: nil, count: trained.count)
        let lock = NSLock()
        try run.time("answers_\(label.replacingOccurrences(of: " ", with: "_"))") {
            try Parallel.run(trained.count, threads: threads) { m in
                let ref = ReferenceModel(
                    model: trained[m], members: keep[m], records: pool.features, mirrored: mirrored, population: population.features)
                lock.lock()
                references[m] = ref
                lock.unlock()
            }
        }
        let world = try MembershipWorld(
            pool: pool, population: population, keep: keep, models: trained, references: references.compactMap { $0 },
            mirroredPool: mirrored, targets: plan.targets, shadows: plan.shadows)
        return AuditWorld(plan: plan, defence: defence, privacy: privacy, world: world, cached: plan.models - trainedNow)
    }
}

/// One dataset's world (Privacy's `MembershipWorld`: pool, models, the attacker's view), with how it was made.
struct AuditWorld {
    let plan: DatasetPlan
    /// How the models were trained.
    let defence: TrainingDefence
    /// What DP-SGD spent, for DP-trained worlds.
    let privacy: PrivacySpend?
    /// The pool, the models and every model's answers.
    let world: MembershipWorld
    /// How many of the models came from the cache.
    let cached: Int

    var pool: LabeledData { world.pool }
    var population: LabeledData { world.population }
    var keep: [[Bool]] { world.keep }
    var models: [NeuralClassifier] { world.models }
    var references: [ReferenceModel] { world.references }

    /// The world as an attacker sees it through `policy`.
    func seen(through policy: OutputPolicy) -> AuditWorld {
        AuditWorld(plan: plan, defence: defence, privacy: privacy, world: world.seen(through: policy), cached: cached)
    }

    /// The attacker's knowledge when model `target` is the target.
    func audit(target: Int) -> MembershipAudit { world.audit(target: target) }

    /// Accuracy of model `m` on its members and on the other pool records.
    func accuracy(_ m: Int) -> (train: Double, test: Double) { world.accuracy(m) }
}
