// Shokri2017Membership: every standard membership-inference attack, side by side, on four datasets.
//
// Reproduces, on the same target models, R. Shokri, M. Stronati, C. Song, V. Shmatikov, "Membership Inference
// Attacks Against Machine Learning Models", IEEE S&P 2017 (arXiv 1610.05820), and the attacks that followed it:
// ML-Leaks (Salem et al., NDSS 2019), the metric attacks of Yeom et al. (CSF 2018) and Song and Mittal (USENIX
// Security 2021), LiRA (Carlini et al., S&P 2022), RMIA (Zarifzadeh et al., ICML 2024) and label-only attacks
// (Choquette-Choo et al., ICML 2021). Scored as the field now scores them: TPR at low FPR, log-log ROC curves.
//
// Run: swift run -c release Shokri2017Membership [--datasets location adult mnist faces] [--quick] [--seed N]
// Then the defences: output policies (top-k, rounding, temperature, labels only), L2, early stopping, dropout and
// DP-SGD with an RDP accountant, each against every attack, with DP models audited against their bound.
// Results: out/Shokri2017Membership/ (attacks.csv, defences.csv, dp_audit.csv, scores.csv, figures, report.md),
// written all at once. Trained models are kept in out/.models/ (--model-cache), so a second run with other attack
// settings does not retrain; --shard k/n trains one part of them (other machines sharing the cache train the rest).

import ArgumentParser
import Datasets
import ExperimentKit
import Foundation
import Learning
import MLCore
import Privacy
import Reporting

struct Shokri2017Membership: ParsableCommand, ExperimentDescription {
    static let name = "Shokri2017Membership"
    static let defaultSeed: UInt64 = 2017
    static let configuration = CommandConfiguration(
        commandName: name,
        abstract: "Membership inference from Shokri et al. (S&P 2017) to LiRA and RMIA, side by side on four datasets.",
        discussion: "Options left out take the defaults; --quick shrinks those marked '--quick:' unless they are given.")

    @OptionGroup var common: CommonOptions<Shokri2017Membership>

    @Option(parsing: .upToNextOption, help: S.datasets.help, transform: S.datasets.parse) var datasets: [AuditedDataset] = []
    @Option(help: S.models.help, transform: S.models.parse) var models: Int?
    @Option(help: S.targets.help, transform: S.targets.parse) var targets: Int?
    @Option(help: S.shadows.help, transform: S.shadows.parse) var shadows: Int?
    @Option(help: S.hidden.help, transform: S.hidden.parse) var hidden: Int?
    @Option(help: S.epochs.help, transform: S.epochs.parse) var epochs: Int?
    @Option(help: S.locationPool.help, transform: S.locationPool.parse) var locationPool: Int?
    @Option(help: S.adultPool.help, transform: S.adultPool.parse) var adultPool: Int?
    @Option(help: S.mnistPool.help, transform: S.mnistPool.parse) var mnistPool: Int?
    @Option(help: S.population.help, transform: S.population.parse) var population: Int?
    @Option(help: S.probes.help, transform: S.probes.parse) var probes: Int?
    @Option(help: S.attackEpochs.help, transform: S.attackEpochs.parse) var attackEpochs: Int?
    @Option(
        help: ArgumentHelp("Folder of trained models kept between runs (default: out/.models under the package root).", valueName: "dir"))
    var modelCache: String?
    @Option(help: S.threads.help, transform: S.threads.parse) var threads: Int?

    @Option(parsing: .upToNextOption, help: S.defences.help, transform: S.defences.parse) var defences: [DefenceFamily] = []
    @Option(parsing: .upToNextOption, help: S.policies.help, transform: S.policies.parse) var policies: [PolicyOption] = []
    @Option(parsing: .upToNextOption, help: S.l2.help, transform: S.l2.parse) var l2: [Float] = []
    @Option(help: S.dropout.help, transform: S.dropout.parse) var dropout: Float?
    @Option(help: S.patience.help, transform: S.patience.parse) var patience: Int?
    @Option(parsing: .upToNextOption, help: S.epsilons.help, transform: S.epsilons.parse) var epsilons: [Double] = []
    @Option(help: S.dpClip.help, transform: S.dpClip.parse) var dpClip: Float?
    @Option(help: S.dpDelta.help, transform: S.dpDelta.parse) var dpDelta: Double?
    @Option(help: S.defenceModels.help, transform: S.defenceModels.parse) var defenceModels: Int?
    @Option(help: S.defenceTargets.help, transform: S.defenceTargets.parse) var defenceTargets: Int?
    @Option(
        help: ArgumentHelp(
            "Train only shard k of n of the models into the model cache, then stop (results in out/\(name)-shard-k-of-n).",
            valueName: "k/n"))
    var shard: Shard?

    func validate() throws {
        try S.datasets.check(datasets)
        try S.defences.check(defences)
        try S.policies.check(policies)
        try S.l2.check(l2)
        try S.epsilons.check(epsilons)
        if let models, let targets, let shadows, targets + shadows > models {
            throw ValidationError("--targets \(targets) and --shadows \(shadows) need more than --models \(models) models")
        }
        if defences.contains(.none) && defences.count > 1 { throw ValidationError("--defences none cannot be combined with others") }
    }

    func run() throws {
        let folder = shard.map { "\(Self.name)-shard-\($0.index)-of-\($0.count)" }
        let title = shard.map { "train shard \($0.index) of \($0.count) of the membership-inference models" }
        try ExperimentRun.perform(common, title: title ?? "membership inference, every attack and defence on four datasets", folder: folder)
        {
            try body($0)
        }
    }

    func body(_ run: ExperimentRun) throws {
        let plans = Plans(self, run)
        let datasets = plans.order
        let cacheRoot = modelCache.map(FileSystem.absolute) ?? PackageRoot.path("out/.models")
        run.record("model_cache", "out/.models (or --model-cache)")
        let threads = run.value(S.threads, given: threads)
        let rng = SeededGenerator(seed: run.seed)

        // == 1. Data ==
        run.section(1, "Data: \(datasets.map(\.rawValue).joined(separator: ", "))")
        var data: [AuditedDataset: LabeledData] = [:]
        for d in datasets {
            data[d] = try run.load { try d.load(from: $0) }
        }
        let digests = Dictionary(uniqueKeysWithValues: run.store.locations.map { ($0.name, $0.catalogDigest) })

        // == 2. Models: M per dataset, each on a seeded random half of the pool; each defence's world likewise ==
        run.section(
            2,
            shard.map { "Train shard \($0.index) of \($0.count) of the models into \(cacheRoot)" }
                ?? "Train the models (or find them in \(cacheRoot))")
        let defence = DefencePlan(self, run)
        var setups: [WorldSetup] = []
        var defenceSetups: [AuditedDataset: [WorldSetup]] = [:]
        for d in datasets {
            guard let records = data[d], let plan = plans.plan[d] else { continue }
            let digest = digests[d == .adult ? "uci_adult" : d == .faces ? "att_faces" : d.rawValue] ?? ""
            let dp = (clip: defence.clip, delta: defence.delta ?? RDPAccountant.delta(forRecords: min(plan.pool, records.count)))
            var worldRNG = rng.derived(UInt64(d.hashSeed))
            setups.append(
                try WorldSetup.make(
                    plan, defence: .none, data: records, catalogDigest: digest, run: run, cacheRoot: cacheRoot, dp: dp, using: &worldRNG))
            if !defence.training.isEmpty { run.record("\(d)_dp_delta", dp.delta, source: defence.delta == nil ? "default" : "option") }
            for t in defence.training {
                var r = rng.derived(UInt64(d.hashSeed))
                defenceSetups[d, default: []].append(
                    try WorldSetup.make(
                        defence.plan(plan), defence: t, data: records, catalogDigest: digest, run: run, cacheRoot: cacheRoot, dp: dp,
                        using: &r))
            }
        }
        if let shard {
            try trainShard(shard, setups: setups + datasets.flatMap { defenceSetups[$0] ?? [] }, run: run, threads: threads)
            return
        }
        var worlds: [AuditWorld] = []
        for setup in setups {
            let world = try setup.build(run: run, threads: threads)
            let acc = (0..<world.plan.targets).map { world.accuracy($0) }
            Console.line(
                "  \(world.plan.dataset): pool \(world.pool.count), \(world.plan.models) models (\(world.cached) from the cache), population \(world.population.count); "
                    + "targets' train accuracy \(Format.pct(Statistics.meanAndSpread(acc.map(\.train)).mean)), "
                    + "test \(Format.pct(Statistics.meanAndSpread(acc.map(\.test)).mean))")
            worlds.append(world)
        }

        // == 3. Every attack against every target ==
        run.section(3, "Attacks: shadow models, metric thresholds, LiRA, RMIA, label-only (through the oracle)")
        var results: [AttackResult] = []
        for world in worlds {
            var attackRNG = rng.derived(UInt64(world.plan.dataset.hashSeed + 10))
            let list = try run.time("shadow_attack_models_\(world.plan.dataset)") {
                try attacks(for: world, using: &attackRNG)
            }
            let found = try run.time("attacks_\(world.plan.dataset)") { try runAttacks(list, on: world, using: &attackRNG) }
            results += found
            Console.line("  \(world.plan.dataset):")
            Tables.attacks.print(found.sorted { $0.metric(.tprAt01).mean > $1.metric(.tprAt01).mean })
        }

        // == 4. How many reference models LiRA and RMIA need ==
        run.section(4, "LiRA and RMIA against the number of reference models")
        var sweep: ReferenceSweep?
        if let world = worlds.first(where: { $0.plan.dataset == .location }) ?? worlds.first {
            var sweepRNG = rng.derived(77)
            sweep = try run.time("reference_sweep_\(world.plan.dataset)") { try ReferenceSweep.run(world, using: &sweepRNG) }
            if let s = sweep {
                Tables.sweep(s).print(s.tpr.keys.sorted())
            }
        }

        // == 5. Defences ==
        var defended: [DefenceResult] = []
        if !defence.training.isEmpty {
            run.section(
                5,
                "Defences: output policies, L2, early stopping, dropout, DP-SGD (\(defence.models) models per world, \(defence.targets) targets)"
            )
        }
        for d in datasets {
            guard let list = defenceSetups[d], !list.isEmpty else { continue }
            defended += try Defences.run(defence, setups: list, run: run, threads: threads, using: rng.derived(UInt64(d.hashSeed + 500)))
        }

        // == 6. Outputs ==
        run.section(6, "Write the results")
        let outcome = Results(plans: plans, worlds: worlds, attacks: results, sweep: sweep, defences: defended)
        run.claims = Report.claims(outcome)
        run.headline = Report.headline(outcome)
        try Outputs.write(outcome, to: run)
        Console.claims(run.claims)
    }

    /// Trains the models of shard k of n (model index m of every world when m mod n = k - 1) into the cache and
    /// lists them in shard.csv; the models of other shards are left to other processes.
    func trainShard(_ shard: Shard, setups: [WorldSetup], run: ExperimentRun, threads: Int) throws {
        var table = CSVTable(header: ["world", "model", "status", "cache"])
        var trained = 0
        var found = 0
        for setup in setups {
            let mine = (0..<setup.plan.models).filter { $0 % shard.count == shard.index - 1 }
            let before = Set(mine.filter { setup.cache.contains($0) })
            trained += try setup.trainMissing(mine, run: run, threads: threads)
            found += before.count
            for m in mine {
                table.append([
                    .text(setup.label), .int(m), .text(before.contains(m) ? "in the cache" : "trained"),
                    .text((setup.cache.folder as NSString).lastPathComponent),
                ])
            }
        }
        try run.write(table, to: "shard.csv")
        run.headline = "Shard \(shard.index) of \(shard.count): trained \(trained) models, \(found) already in the cache."
        Console.line("  " + run.headline + " Run again without --shard (same options) to score once every shard is done.")
    }
}

/// Every setting of the experiment, declared once: key, help, default, --quick's value and rule. Those with one
/// value per dataset (models, epochs, pools) are declared for their option and rule; the plan gives each dataset's.
enum S {
    static let datasets = ListSetting(
        "datasets", "Datasets to audit", default: AuditedDataset.allCases, example: "location adult mnist faces")
    static let models = Setting(
        "models", "Models per dataset, every record in half of them", default: 64, must: .atLeast(4),
        hint: "a target, two references to rehearse, a shadow", defaultText: "64 for location and faces, 32 for adult and mnist; --quick: 8"
    )
    static let targets = Setting(
        "targets", "Models audited as targets; the others are the attacker's references", default: 8, quick: 2, must: .atLeast(1))
    static let shadows = Setting(
        "shadows", "Shadow models among the references, for Shokri et al.'s attack and thresholds", default: 10, quick: 4, must: .atLeast(1)
    )
    static let hidden = Setting("hidden", "Hidden tanh units of every model", default: 128, must: .atLeast(1))
    static let epochs = Setting(
        "epochs", "Training epochs of every model", default: 50, must: .atLeast(1),
        defaultText: "per dataset: location 50, adult 20, mnist 20, faces 40; --quick: 20, 5, 5, 15")
    static let locationPool = Setting(
        "location_pool", "Records of the location pool", default: 5010, must: .atLeast(40), defaultText: "all 5010; --quick: 1000")
    static let adultPool = Setting(
        "adult_pool", "Records of the adult pool, drawn from adult.data and adult.test", default: 10000, quick: 2000, must: .atLeast(40))
    static let mnistPool = Setting(
        "mnist_pool", "Records of the mnist pool, drawn from the 70,000 images", default: 20000, quick: 2000, must: .atLeast(40))
    static let population = Setting("population", "Population samples for RMIA", default: 2000, quick: 500, must: .atLeast(10))
    static let probes = Setting(
        "probes", "Perturbed queries per record of the label-only robustness attack", default: 10, quick: 4, must: .atLeast(1))
    static let attackEpochs = Setting(
        "attack_epochs", "Epochs of the shadow-trained attack models, shokri and ml_leaks (the authors' 50)", default: 50, quick: 10,
        must: .atLeast(1))
    static let threads = Setting("threads", "Models trained at once", default: Parallel.cores, must: .atLeast(1), defaultText: "the cores")
    static let defences = ListSetting(
        "defences", "Defences to evaluate: policies, regularisation (L2, early stopping, dropout), dp; or none",
        default: [DefenceFamily.policies, .regularisation, .dp], example: "policies dp")
    static let policies = ListSetting(
        "policies", "Output policies: top-K, round-STEP, temp-T, label, full",
        default: [OutputPolicy.topK(1), .topK(3), .rounded(0.1), .rounded(0.001), .temperature(5), .temperature(20), .labelOnly].map(
            PolicyOption.init), example: "top-1 round-0.1 label")
    static let l2 = ListSetting(
        "defence_l2", option: "--l2", "L2 strengths of the weight-decay defence", default: [Float(1e-4), 1e-3, 1e-2, 1e-1],
        must: .nonNegative, example: "1e-3 1e-2", format: { String(format: "%g", $0) })
    static let dropout = Setting(
        "defence_dropout", "Dropout probability of the dropout defence", default: Float(0.5), must: .halfOpen(0, 1))
    static let patience = Setting(
        "defence_patience", "Patience in epochs of the early-stopping defence, on 10 % of each model's rows", default: 5, must: .atLeast(1))
    static let epsilons = ListSetting(
        "dp_epsilons", option: "--epsilons", "DP-SGD target epsilons", default: [1.0, 4, 8, 16], must: .positive, example: "1 8",
        format: { String(format: "%g", $0) })
    static let dpClip = Setting("dp_clip", "DP-SGD per-example gradient norm bound", default: Float(1), must: .positive)
    static let dpDelta = Setting(
        "dp_delta", "DP-SGD delta", default: 1e-5, must: .open(0, 1),
        defaultText: "1 / pool size, rounded down to a power of ten, per dataset")
    static let defenceModels = Setting(
        "defence_models", "Models of each defence's world, every record in half of them", default: 16, quick: 6, must: .atLeast(4),
        hint: "a target, two references to rehearse, a shadow")
    static let defenceTargets = Setting(
        "defence_targets", "Targets audited in each defence's world", default: 4, quick: 2, must: .atLeast(1))
}

extension DefenceFamily: CustomStringConvertible {
    var description: String { rawValue }
}

/// `--shard k/n`: this process trains shard k (1-based) of n.
struct Shard: ExpressibleByArgument, CustomStringConvertible, Equatable {
    let index: Int
    let count: Int

    init?(argument: String) {
        let parts = argument.split(separator: "/").map { Int($0) }
        guard parts.count == 2, let k = parts[0], let n = parts[1], n >= 1, k >= 1, k <= n else { return nil }
        (index, count) = (k, n)
    }

    var description: String { "\(index)/\(count)" }
}

extension AuditedDataset {
    /// A stream number for the dataset's random choices (independent of the order datasets are listed in).
    var hashSeed: Int { (AuditedDataset.allCases.firstIndex(of: self) ?? 0) * 100 + 11 }
}

/// Every dataset's resolved plan.
struct Plans {
    let plan: [AuditedDataset: DatasetPlan]
    let order: [AuditedDataset]

    init(_ o: Shokri2017Membership, _ run: ExperimentRun) {
        var plan: [AuditedDataset: DatasetPlan] = [:]
        let datasets = run.values(S.datasets, given: o.datasets)
        let targets = run.value(S.targets, given: o.targets)
        let shadows = run.value(S.shadows, given: o.shadows)
        let hidden = run.value(S.hidden, given: o.hidden)
        let population = run.value(S.population, given: o.population)
        let probes = run.value(S.probes, given: o.probes)
        let attackEpochs = run.value(S.attackEpochs, given: o.attackEpochs)
        for d in datasets {
            let pools: [AuditedDataset: (Setting<Int>, Int?)] = [
                .location: (S.locationPool, o.locationPool), .adult: (S.adultPool, o.adultPool), .mnist: (S.mnistPool, o.mnistPool),
            ]
            let pool =
                pools[d].map { run.value($0.0, key: "\(d)_pool", given: $0.1, default: d.pool.full, quick: d.pool.quick) }
                ?? run.setting("\(d)_pool", given: nil, default: d.pool.full, quick: d.pool.quick)
            let models = run.value(S.models, key: "\(d)_models", given: o.models, default: d.models.full, quick: d.models.quick)
            let epochs = run.value(
                S.epochs, key: "\(d)_epochs", given: o.epochs, default: d.training.epochs, quick: d.training.quickEpochs)
            run.record("\(d)_batch", d.training.batch)
            run.record("\(d)_learning_rate", d.training.learningRate)
            plan[d] = DatasetPlan(
                dataset: d, pool: pool, models: models, targets: min(targets, models - 3),
                shadows: max(1, min(shadows, models - min(targets, models - 3) - 1)), hidden: hidden,
                training: TrainingSettings(epochs: epochs, batchSize: d.training.batch, learningRate: d.training.learningRate, l2: 1e-6),
                population: population, probes: probes, attackEpochs: attackEpochs)
        }
        run.record("model", "one hidden layer of tanh units, softmax output, Adam, L2 1e-6")
        self.plan = plan
        order = datasets
    }
}

extension DefencePlan {
    /// The defence settings of a run, each resolved and recorded.
    init(_ o: Shokri2017Membership, _ run: ExperimentRun) {
        families = Set(run.values(S.defences, given: o.defences).filter { $0 != .none })
        policies = run.values(S.policies, given: o.policies).map(\.policy)
        l2 = run.values(S.l2, given: o.l2)
        dropout = run.value(S.dropout, given: o.dropout)
        patience = run.value(S.patience, given: o.patience)
        epsilons = run.values(S.epsilons, given: o.epsilons)
        clip = run.value(S.dpClip, given: o.dpClip)
        delta = o.dpDelta
        models = run.value(S.defenceModels, given: o.defenceModels)
        targets = run.value(S.defenceTargets, given: o.defenceTargets)
        run.record("dp_sampling", "Poisson, q = batch / the model's training rows; RDP accountant, improved conversion")
    }
}

Shokri2017Membership.main()
