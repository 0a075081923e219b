// Shokri2017Membership: every standard membership-inference attack, side by side, on four datasets.
//
// Reproduces, on the same target models, R. Shokri, M. Stronati, C. Song, V. Shmatikov, "Membership Inference
// Attacks Against Machine Learning Models", IEEE S&P 2017 (arXiv 1610.05820), and the attacks that followed it:
// ML-Leaks (Salem et al., NDSS 2019), the metric attacks of Yeom et al. (CSF 2018) and Song and Mittal (USENIX
// Security 2021), LiRA (Carlini et al., S&P 2022), RMIA (Zarifzadeh et al., ICML 2024) and label-only attacks
// (Choquette-Choo et al., ICML 2021). Scored as the field now scores them: TPR at low FPR, log-log ROC curves.
//
// Run: swift run -c release Shokri2017Membership [--datasets location adult mnist faces] [--quick] [--seed N]
// Results: out/Shokri2017Membership/ (attacks.csv, scores.csv, ROC curves, report.md), written all at once.
// Trained models are kept in out/.models/ (--model-cache), so a second run with other attack settings does not retrain.

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

    @Option(parsing: .upToNextOption, help: "Datasets to audit (default: all four).") var datasets: [AuditedDataset] = AuditedDataset
        .allCases
    @Option(
        help: "Models per dataset, every record in half of them (default 64 for location and faces, 32 for adult and mnist; --quick: 8).")
    var models: Int?
    @Option(help: "Models audited as targets; the others are the attacker's references (default 8; --quick: 2).") var targets: Int?
    @Option(help: "Shadow models among the references, for Shokri et al.'s attack and thresholds (default 10; --quick: 4).")
    var shadows: Int?
    @Option(help: "Hidden tanh units of every model (default 128).") var hidden: Int?
    @Option(help: "Training epochs of every model (default per dataset: location 50, adult 20, mnist 20, faces 40; --quick: 20, 5, 5, 15).")
    var epochs: Int?
    @Option(help: "Records of the location pool (default all 5010; --quick: 1000).") var locationPool: Int?
    @Option(help: "Records of the adult pool, drawn from adult.data and adult.test (default 10000; --quick: 2000).") var adultPool: Int?
    @Option(help: "Records of the mnist pool, drawn from the 70,000 images (default 20000; --quick: 2000).") var mnistPool: Int?
    @Option(help: "Population samples for RMIA (default 2000; --quick: 500).") var population: Int?
    @Option(help: "Perturbed queries per record of the label-only robustness attack (default 10; --quick: 4).") var probes: Int?
    @Option(
        help: ArgumentHelp("Folder of trained models kept between runs (default: out/.models under the package root).", valueName: "dir"))
    var modelCache: String?
    @Option(help: "Models trained at once (default: the cores).") var threads: Int?

    func validate() throws {
        guard !datasets.isEmpty else { throw ValidationError("--datasets needs at least one of location, adult, mnist, faces") }
        guard Set(datasets).count == datasets.count else { throw ValidationError("--datasets lists a dataset twice") }
        if let models, models < 4 { throw ValidationError("--models must be at least 4 (a target, two references to rehearse, a shadow)") }
        if let targets, targets < 1 { throw ValidationError("--targets must be at least 1") }
        if let shadows, shadows < 1 { throw ValidationError("--shadows must be at least 1") }
        if let models, let targets, let shadows, targets + shadows > models {
            throw ValidationError("--targets \(targets) and --shadows \(shadows) need more than --models \(models) models")
        }
        for (name, value) in [("--hidden", hidden), ("--epochs", epochs), ("--probes", probes), ("--threads", threads)] {
            if let value, value < 1 { throw ValidationError("\(name) must be at least 1 (got \(value))") }
        }
        for (name, value) in [("--location-pool", locationPool), ("--adult-pool", adultPool), ("--mnist-pool", mnistPool)] {
            if let value, value < 40 { throw ValidationError("\(name) must be at least 40 records (got \(value))") }
        }
        if let population, population < 10 { throw ValidationError("--population must be at least 10 samples") }
    }

    func run() throws {
        try ExperimentRun.perform(common, title: "membership inference, every attack on four datasets") { try body($0) }
    }

    func body(_ run: ExperimentRun) throws {
        let plans = Plans(self, run)
        let cacheRoot = modelCache.map(FileSystem.absolute) ?? PackageRoot.path("out/.models")
        run.record("model_cache", "out/.models (or --model-cache)")
        let threads = run.setting("threads", given: self.threads, default: Parallel.cores)
        let rng = SeededGenerator(seed: run.seed)

        // == 1. Data ==
        run.section(1, "Data: \(datasets.map(\.rawValue).joined(separator: ", "))")
        var data: [AuditedDataset: LabeledData] = [:]
        for d in datasets {
            data[d] = try run.load { try d.load(from: $0) }
        }
        let digests = Dictionary(uniqueKeysWithValues: run.store.locations.map { ($0.name, $0.catalogDigest) })

        // == 2. Models: M per dataset, each on a seeded random half of the pool ==
        run.section(2, "Train the models (or find them in \(cacheRoot))")
        var worlds: [AuditWorld] = []
        for d in datasets {
            guard let records = data[d], let plan = plans.plan[d] else { continue }
            var worldRNG = rng.derived(UInt64(d.hashSeed))
            let digest = digests[d == .adult ? "uci_adult" : d == .faces ? "att_faces" : d.rawValue] ?? ""
            let world = try AuditWorld.build(
                plan, data: records, catalogDigest: digest, run: run, cacheRoot: cacheRoot, threads: threads, using: &worldRNG)
            let acc = (0..<plan.targets).map { world.accuracy($0) }
            Console.line(
                "  \(d): pool \(world.pool.count), \(plan.models) models (\(world.cached) from the cache), population \(world.population.count); "
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
                try attacks(for: world, probes: world.plan.probes, using: &attackRNG)
            }
            let found = try run.time("attacks_\(world.plan.dataset)") { try runAttacks(list, on: world, using: &attackRNG) }
            results += found
            Console.table(
                ["\(world.plan.dataset): attack", "AUC", "TPR @ 0.1% FPR", "TPR @ 1% FPR", "advantage", "queries/record"],
                found.sorted { $0.metric(.tprAt01).mean > $1.metric(.tprAt01).mean }.map { r in
                    [
                        r.attack, Format.f3(r.metric(.auc).mean), Format.pct(r.metric(.tprAt01).mean), Format.pct(r.metric(.tprAt1).mean),
                        Format.f3(r.metric(.advantage).mean), Format.f1(r.queriesPerRecord),
                    ]
                })
        }

        // == 4. How many reference models LiRA and RMIA need ==
        run.section(4, "LiRA and RMIA against the number of reference models")
        var sweep: ReferenceSweep?
        if let world = worlds.first(where: { $0.plan.dataset == .location }) ?? worlds.first {
            var sweepRNG = rng.derived(77)
            sweep = try run.time("reference_sweep_\(world.plan.dataset)") { try ReferenceSweep.run(world, using: &sweepRNG) }
            if let s = sweep {
                Console.table(
                    ["references"] + s.counts.map(String.init),
                    s.tpr.keys.sorted().map { k in [k + " TPR@0.1%"] + (s.tpr[k] ?? []).map { Format.pct($0) } })
            }
        }

        // == 5. Outputs ==
        run.section(5, "Write the results")
        let outcome = Results(plans: plans, worlds: worlds, attacks: results, sweep: sweep)
        run.claims = Report.claims(outcome)
        run.headline = Report.headline(outcome)
        try Outputs.write(outcome, to: run)
        Console.table(["claim", "measured", "verdict"], run.claims.map { [$0.claim, $0.measured, $0.verdict] })
    }
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
        run.record("datasets", o.datasets.map(\.rawValue).joined(separator: " "))
        let targets = run.setting("targets", given: o.targets, default: 8, quick: 2)
        let shadows = run.setting("shadows", given: o.shadows, default: 10, quick: 4)
        let hidden = run.setting("hidden", given: o.hidden, default: 128)
        let population = run.setting("population", given: o.population, default: 2000, quick: 500)
        let probes = run.setting("probes", given: o.probes, default: 10, quick: 4)
        for d in o.datasets {
            let pools: [AuditedDataset: Int?] = [.location: o.locationPool, .adult: o.adultPool, .mnist: o.mnistPool, .faces: nil]
            let pool = run.setting("\(d)_pool", given: pools[d] ?? nil, default: d.pool.full, quick: d.pool.quick)
            let models = run.setting("\(d)_models", given: o.models, default: d.models.full, quick: d.models.quick)
            let epochs = run.setting("\(d)_epochs", given: o.epochs, default: d.training.epochs, quick: d.training.quickEpochs)
            run.record("\(d)_batch", d.training.batch)
            run.record("\(d)_learning_rate", d.training.learningRate)
            plan[d] = DatasetPlan(
                dataset: d, pool: pool, models: models, targets: min(targets, models - 3),
                shadows: max(1, min(shadows, models - min(targets, models - 3) - 1)), hidden: hidden,
                training: TrainingSettings(epochs: epochs, batchSize: d.training.batch, learningRate: d.training.learningRate, l2: 1e-6),
                population: population, probes: probes)
        }
        run.record("model", "one hidden layer of tanh units, softmax output, Adam, L2 1e-6")
        self.plan = plan
        order = o.datasets
    }
}

Shokri2017Membership.main()
