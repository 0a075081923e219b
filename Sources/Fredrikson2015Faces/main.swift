// Fredrikson2015Faces: MI-Face model inversion against face recognisers on the AT&T faces.
//
// Reproduces section 5 of M. Fredrikson, S. Jha, T. Ristenpart, "Model Inversion Attacks that
// Exploit Confidence Information and Basic Countermeasures", CCS 2015 (doi:10.1145/2810103.2813677):
// white-box MI-Face (Algorithm 1) against softmax regression and a one-hidden-layer MLP, the faces of
// figure 6 and the identification rates of the user study (emulated here by automatic line-ups).
// Then the attacker with only the API: black-box MI-Face from finite differences of the answers, a model stolen
// from the answers (Tramer et al., USENIX Security 2016) and inverted white-box, both under the rounding
// countermeasure (figure 11), and a monitor of each client's queries.
//
// Run: swift run -c release Fredrikson2015Faces [--seed N] [--quick] [--out DIR] [--data DIR|URL]
// Results: out/Fredrikson2015Faces/ (CSV tables, PNG faces, report.md), written all at once.

import ArgumentParser
import Datasets
import ExperimentKit
import Foundation
import Learning
import MLCore
import Privacy
import Reporting

extension InversionCost: ExpressibleByArgument {}
extension GammaReading: ExpressibleByArgument {}

struct Fredrikson2015Faces: ParsableCommand, ExperimentDescription {
    static let name = "Fredrikson2015Faces"
    static let defaultSeed: UInt64 = 2015
    static let configuration = CommandConfiguration(
        commandName: name,
        abstract: "MI-Face model inversion against softmax and MLP face recognisers (Fredrikson et al., CCS 2015).",
        discussion: "Options left out take the paper's settings; --quick shrinks those marked '--quick:' unless they are given.")

    @OptionGroup var common: CommonOptions<Fredrikson2015Faces>

    @Option(help: S.alpha.help, transform: S.alpha.parse) var alpha: Int?
    @Option(help: S.beta.help, transform: S.beta.parse) var beta: Int?
    @Option(help: S.gamma.help, transform: S.gamma.parse) var gamma: Float?
    @Option(help: S.lambda.help, transform: S.lambda.parse) var lambda: Float?
    @Option(help: S.cost.help, transform: S.cost.parse) var cost: InversionCost?
    @Option(help: S.gammaReading.help, transform: S.gammaReading.parse) var gammaReading: GammaReading?

    @Option(help: S.mlpHidden.help, transform: S.mlpHidden.parse) var mlpHidden: Int?
    @Option(help: S.softmaxEpochs.help, transform: S.softmaxEpochs.parse) var softmaxEpochs: Int?
    @Option(help: S.mlpEpochs.help, transform: S.mlpEpochs.parse) var mlpEpochs: Int?
    @Option(help: S.mlpL2.help, transform: S.mlpL2.parse) var mlpL2: Float?
    @Option(help: S.lineups.help, transform: S.lineups.parse) var lineups: Int?

    @Option(parsing: .upToNextOption, help: S.estimators.help, transform: S.estimators.parse) var estimators: [String] = []
    @Option(help: S.probe.help, transform: S.probe.parse) var probe: Float?
    @Option(help: S.blackBoxAlpha.help, transform: S.blackBoxAlpha.parse) var blackBoxAlpha: Int?
    @Option(help: S.blackBoxMLPAlpha.help, transform: S.blackBoxMLPAlpha.parse) var blackBoxMlpAlpha: Int?
    @Option(help: S.sweepFaces.help, transform: S.sweepFaces.parse) var sweepFaces: Int?
    @Option(parsing: .upToNextOption, help: S.roundings.help, transform: S.roundings.parse) var roundings: [Float] = []
    @Option(help: S.surrogateBudget.help, transform: S.surrogateBudget.parse) var surrogateBudget: Int?
    @Option(help: S.benignClients.help, transform: S.benignClients.parse) var benignClients: Int?

    func validate() throws {
        try S.estimators.check(estimators)
        try S.roundings.check(roundings)
    }

    func run() throws {
        try ExperimentRun.perform(common, title: "MI-Face on the AT&T faces") { run in
            let s = Settings(self, run)
            var rng = SeededGenerator(seed: run.seed)

            // == 1. Data ==
            run.section(1, "Data: AT&T faces, 7 train / 3 test per subject")
            let faces = try run.load { try ATTFaces.load(from: $0) }
            let (train, test) = faces.splitPerClass(trainPerClass: 7, using: &rng)
            Console.line(
                "  \(faces.images.rows) images of \(faces.classCount) subjects, \(faces.width)x\(faces.height); "
                    + "train \(train.images.rows), test \(test.images.rows)")

            // == 2. Target models and the evaluation classifier ==
            run.section(2, "Train target models (softmax regression, MLP) and an independent evaluator")
            var modelRNG = rng.derived(2)
            let softmax = try TrainedModel.train(
                .softmax, network: NeuralClassifier.softmaxRegression(inputs: train.images.cols, classes: 40),
                settings: TrainingSettings(epochs: s.softmaxEpochs, batchSize: 40, learningRate: 0.01, optimizer: .sgd(momentum: 0.9)),
                train: train, test: test, run: run, using: &modelRNG)
            let mlp = try TrainedModel.train(
                .mlp, network: .mlp(inputs: train.images.cols, hidden: s.mlpHidden, classes: 40, using: &modelRNG),
                settings: TrainingSettings(
                    epochs: s.mlpEpochs, batchSize: 40, learningRate: 0.05, l2: s.mlpL2, optimizer: .sgd(momentum: 0.9)),
                train: train, test: test, run: run, using: &modelRNG)
            let targets = [softmax, mlp]
            // The evaluator never serves the attack: a ReLU MLP trained on standardised, shifted and mirrored faces.
            var evalRNG = rng.derived(3)
            let evalTrain = train.standardized().augmented(copies: 3, maxShift: 3, using: &evalRNG)
            let evaluator = try TrainedModel.train(
                .evaluator,
                network: .mlp(
                    inputs: train.images.cols, hidden: s.evaluatorHidden, classes: 40, activation: .relu, using: &evalRNG),
                settings: TrainingSettings(
                    epochs: s.evaluatorEpochs, batchSize: 40, learningRate: 0.01, l2: 1e-4, optimizer: .sgd(momentum: 0.9)),
                train: evalTrain, test: test.standardized(), run: run, using: &evalRNG)
            for m in targets + [evaluator] {
                try run.write(model: m.network.network, to: "models/\(m.name)")
            }
            Tables.models.print(targets + [evaluator])

            // == 3. MI-Face, white-box, every label as one batch ==
            run.section(3, "MI-Face (white-box): cost \(s.attack.cost.rawValue), gamma read as \(s.attack.gammaReading.rawValue)")
            let labels = Array(0..<40)
            var runs: [AttackRun] = []
            for m in targets {
                let attack = try AttackRun.run(s.attack, model: m, labels: labels)
                run.timings.record("mi_face_\(m.name)_40_faces", seconds: attack.seconds)
                run.timings.record(
                    "mi_face_\(m.name)_per_face", seconds: attack.seconds / Double(labels.count),
                    paper: Published.Fredrikson2015.whiteBoxSecondsPerFace[m.name])
                runs.append(attack)
            }

            // == 4. Score the reconstructions and the two references ==
            run.section(4, "Evaluate: nearest neighbour, line-ups of 5, evaluator top-1/top-5, SSIM (standardised images)")
            let scorer = InversionScorer(
                train: train.images, labels: train.labels, subjectCount: 40, evaluator: evaluator.network,
                width: faces.width, height: faces.height, lineups: s.lineups)
            var scoreRNG = rng.derived(4)
            for i in runs.indices { runs[i].scores = scorer.score(runs[i].images, subjects: labels, using: &scoreRNG) }
            let references = Reference.make(train: train, test: test, labels: labels)
            let referenceScores = references.map { ScoreSummary(scorer.score($0.images, subjects: labels, using: &scoreRNG)) }
            Tables.references.print(ScoredImages.all(runs, references, referenceScores))

            // == 5. The two costs and the two readings of gamma ==
            run.section(5, "Variants: cost (1 - p, -log p) x reading of gamma (confidence, cost)")
            var variants: [AttackRun] = []
            for m in targets {
                for c in InversionCost.allCases {
                    for g in GammaReading.allCases {
                        if c == s.attack.cost && g == s.attack.gammaReading, let same = runs.first(where: { $0.model.name == m.name }) {
                            variants.append(same)
                            continue
                        }
                        var v = s.attack
                        v.cost = c
                        v.gammaReading = g
                        var variant = try AttackRun.run(v, model: m, labels: labels, quiet: true)
                        variant.scores = scorer.score(variant.images, subjects: labels, using: &scoreRNG)
                        run.timings.record("variant_\(m.name)_\(c.rawValue)_\(g.rawValue)_40_faces", seconds: variant.seconds)
                        variants.append(variant)
                    }
                }
            }
            Tables.variants.print(variants)

            // == 6. Black-box MI-Face: the same descent, gradients from the oracle's answers only ==
            run.section(
                6, "Black-box MI-Face: finite differences of the answers (\(s.estimators.map(\.description).joined(separator: ", ")))")
            let sweepLabels = Array(labels.prefix(s.sweepFaces))
            var blackBox: [APIAttackRun] = []
            for m in targets {
                for e in s.estimators {
                    // Every face of softmax; the MLP (75 times the cost per query) and --quick on the sweep's subjects.
                    let faces = m.kind == .softmax && !run.quick ? labels : sweepLabels
                    var bb = try APIAttacks.blackBox(m, attack: s.blackBox(m), estimator: e, labels: faces, rounding: 0)
                    bb.scores = scorer.score(bb.images, subjects: bb.labels, using: &scoreRNG)
                    run.timings.record("black_box_\(m.name)_\(e)_\(bb.inversions.count)_faces", seconds: bb.seconds)
                    run.timings.record("black_box_\(m.name)_\(e)_per_face", seconds: bb.seconds / Double(bb.inversions.count))
                    blackBox.append(bb)
                }
            }
            Tables.blackBox.print(blackBox)

            // == 7. Surrogates: steal the model through the API, then invert the copy white-box ==
            run.section(7, "Surrogates: equation solving (softmax), retraining on public photos (MLP); MI-Face on the copy")
            var surrogateRNG = rng.derived(7)
            // The attacker's public inputs: held-out photos as a camera gives them again (never the training photos).
            let publicPhotos = APIAttacks.variedPhotos(test, count: s.surrogateBudget, using: &surrogateRNG)
            var surrogates: [APIAttackRun] = []
            for m in targets {
                for budget in m.kind == .softmax ? [0] : s.surrogateBudgets {
                    var sr = try APIAttacks.surrogate(
                        m, attack: s.attack, labels: labels, rounding: 0, publicInputs: publicPhotos.rows(Array(0..<max(budget, 1))),
                        surrogateHidden: S.surrogateHidden, surrogateEpochs: s.surrogateEpochs, test: test, using: &surrogateRNG)
                    sr.scores = scorer.score(sr.images, subjects: labels, using: &scoreRNG)
                    run.timings.record("surrogate_\(m.name)_\(sr.method)", seconds: sr.seconds)
                    surrogates.append(sr)
                }
            }
            let publicControl = ScoreSummary(
                scorer.score(
                    APIAttacks.publicMeans(mlp, inputs: publicPhotos, labels: labels), subjects: labels,
                    using: &scoreRNG))
            Tables.surrogates.print(
                SurrogateRow.all(surrogates, control: publicControl, photos: publicPhotos.rows))

            // == 8. The rounding countermeasure: every attack at every rounding of the answers ==
            run.section(
                8,
                "Rounding countermeasure: r in \(s.roundings.map(roundingName).joined(separator: ", ")); black-box (\(s.estimators[0])), "
                    + "surrogate and white-box on subjects \(sweepLabels.map { String($0 + 1) }.joined(separator: ", "))")
            var sweep: [APIAttackRun] = []
            let sweepBar = Progress("rounding sweep", total: s.roundings.count * targets.count, unit: "cells")
            for r in s.roundings {
                for m in targets {
                    var cell = [
                        try APIAttacks.blackBox(
                            m, attack: s.blackBox(m), estimator: s.estimators[0], labels: sweepLabels, rounding: r, quiet: true),
                        try APIAttacks.surrogate(
                            m, attack: s.attack, labels: sweepLabels, rounding: r, publicInputs: publicPhotos,
                            surrogateHidden: S.surrogateHidden, surrogateEpochs: s.surrogateEpochs, test: test, using: &surrogateRNG),
                        try APIAttacks.whiteBox(m, attack: s.attack, labels: sweepLabels, rounding: r),
                    ]
                    for i in cell.indices {
                        cell[i].scores = scorer.score(cell[i].images, subjects: sweepLabels, using: &scoreRNG)
                        run.timings.record("rounding_\(m.name)_\(cell[i].attack)_\(roundingName(r))", seconds: cell[i].seconds)
                    }
                    sweep += cell
                    sweepBar.update(sweep.count / 3)
                }
            }
            sweepBar.finish()
            Tables.rounding.print(sweep)

            // == 9. Query monitor: who looks like an attacker at the API ==
            run.section(9, "Query monitor: benign clients, the attacks above, and an attacker who knows the monitor")
            var monitorRNG = rng.derived(9)
            let study = MonitorStudy(
                natural: train.images, calibrationInput: { train.varied($0.nextInt(below: train.images.rows), using: &$0) },
                benignInput: { test.varied($0.nextInt(below: test.images.rows), using: &$0) }, linear: softmax.network, deep: mlp.network,
                labels: Array(sweepLabels.prefix(4)), estimator: s.estimators[0], attack: s.blackBoxMLPAttack,
                benignClients: s.benignClients, benignQueries: s.benignQueries, publicInputs: publicPhotos, scorer: scorer, components: 50,
                covers: [0, 4])
            let (monitorRows, monitor) = try study.run(using: &monitorRNG)
            Console.line(
                "  thresholds from 10 simulated benign clients: unnatural above RMS \(Format.f3(Double(monitor.settings.residualThreshold))) "
                    + "from the face basis, near-duplicate below RMS \(Format.f3(Double(monitor.settings.duplicateDistance)))")
            Tables.monitor.print(monitorRows)

            // == 10. Outputs ==
            run.section(10, "Write the results")
            let results = Results(
                settings: s, faces: faces, train: train, targets: targets, evaluator: evaluator, runs: runs,
                references: references, referenceScores: referenceScores, variants: variants, blackBox: blackBox, surrogates: surrogates,
                publicControl: publicControl, publicPhotos: publicPhotos.rows, sweep: sweep, monitorRows: monitorRows,
                monitorSettings: monitor.settings)
            run.claims = Report.claims(results)
            run.headline = Report.headline(results)
            try Outputs.write(results, to: run)
            Console.claims(run.claims)
        }
    }
}

/// The defaults: the paper's settings where it gives them, and what --quick shrinks each to.
/// Every setting of the experiment, declared once: key, help, the paper's value, --quick's value and rule.
enum S {
    static let alpha = Setting(
        "alpha", "MI-Face alpha: maximum iterations", default: Published.Fredrikson2015.alpha, quick: 300, must: .atLeast(1))
    static let beta = Setting("beta", "MI-Face beta: no-improvement window", default: Published.Fredrikson2015.beta, must: .atLeast(1))
    static let gamma = Setting(
        "gamma", "MI-Face gamma: stopping threshold, read as --gamma-reading says", default: Published.Fredrikson2015.gamma, must: .finite)
    static let lambda = Setting("lambda", "MI-Face lambda: step size", default: Published.Fredrikson2015.lambda, must: .positive)
    static let cost = Setting("cost", "Cost descended: one-minus-p (the paper's) or neg-log-p", default: InversionCost.negativeLogP)
    static let gammaReading = Setting(
        "gamma_reading", "Reading of gamma: confidence (stop when p >= gamma) or cost (stop when cost <= gamma, literal)",
        default: GammaReading.confidence)
    static let mlpHidden = Setting(
        "mlp_hidden", "Hidden units of the MLP", default: Published.Fredrikson2015.mlpHidden, quick: 300, must: .atLeast(1))
    static let softmaxEpochs = Setting(
        "softmax_epochs", "Training epochs of softmax regression", default: 100, quick: 30, must: .atLeast(1))
    static let mlpEpochs = Setting("mlp_epochs", "Training epochs of the MLP", default: 40, quick: 15, must: .atLeast(1))
    static let mlpL2 = Setting(
        "mlp_l2", "L2 weight decay of the MLP; it also wears away the random start in the first layer", default: Float(0.01),
        must: .nonNegative)
    static let evaluatorHidden = Setting("evaluator_hidden", "Hidden units of the evaluator", default: 256, quick: 64)
    static let evaluatorEpochs = Setting("evaluator_epochs", "Training epochs of the evaluator", default: 30, quick: 10)
    static let lineups = Setting(
        "lineups", "Automatic line-ups per reconstruction", default: 100, quick: 20, must: .atLeast(1),
        hint: "the default 100 gives stable line-up rates")
    static let estimators = ListSetting(
        "estimators",
        "Black-box gradient estimators: blocks-S (central differences on S x S pixel blocks) or random-K-blocks-S (K random directions)",
        default: ["random-40-blocks-4", "blocks-16"], quick: ["random-40-blocks-4"],
        must: Rule("blocks-S or random-K-blocks-S with S and K positive") { Estimator.parse($0) != nil },
        example: "blocks-8 random-50-blocks-4")
    static let probe = Setting("probe", "Length of each finite-difference probe", default: Float(0.05), must: .positive)
    static let blackBoxAlpha = Setting(
        "black_box_alpha", "Black-box MI-Face on softmax: maximum iterations", default: Published.Fredrikson2015.alpha, quick: 20,
        must: .atLeast(1))
    static let blackBoxMLPAlpha = Setting(
        "black_box_mlp_alpha", "Black-box MI-Face on the MLP: maximum iterations", default: 200, quick: 10, must: .atLeast(1))
    static let sweepFaces = Setting(
        "sweep_faces", "Subjects attacked black-box on the MLP and in the rounding sweep", default: 8, quick: 2, must: .within(1...40))
    static let roundings = ListSetting(
        "roundings", "Rounding steps of the oracle's answers, 0 for none", default: [0] + Published.Fredrikson2015.roundingLevels,
        must: .halfOpen(0, 1), example: "0 0.01 0.1", format: { roundingName($0) })
    static let surrogateBudget = Setting(
        "surrogate_budget", "Public photos (varied held-out photos) the MLP surrogate is trained on", default: 4000, quick: 200,
        must: .atLeast(40))
    static let surrogateEpochs = Setting("surrogate_epochs", "Training epochs of the MLP surrogate", default: 30, quick: 5)
    static let benignClients = Setting(
        "benign_clients", "Benign clients the query monitor watches, each with --benign-queries queries", default: 20, quick: 3,
        must: .atLeast(1))
    static let benignQueries = Setting("benign_queries", "Queries of each benign client", default: 200, quick: 50)
    /// Hidden units of the MLP surrogate (fixed).
    static let surrogateHidden = 256
}

/// A finite-difference estimator as the options spell it: blocks-S or random-K-blocks-S.
enum Estimator {
    static func parse(_ text: String) -> (blockSize: Int, directions: Int?)? {
        let parts = text.split(separator: "-").map(String.init)
        if parts.count == 2, parts[0] == "blocks", let s = Int(parts[1]), s >= 1 { return (s, nil) }
        if parts.count == 4, parts[0] == "random", parts[2] == "blocks", let k = Int(parts[1]), let s = Int(parts[3]), k >= 1, s >= 1 {
            return (s, k)
        }
        return nil
    }
}

/// Every resolved setting of a run: the options given, else --quick's values in quick mode, else the paper's.
struct Settings {
    let attack: MIFace
    let softmaxEpochs: Int
    let mlpEpochs: Int
    let mlpHidden: Int
    let mlpL2: Float
    let evaluatorHidden: Int
    let evaluatorEpochs: Int
    let lineups: Int
    let estimators: [FiniteDifferences]
    let blackBoxAttack: MIFace
    let blackBoxMLPAttack: MIFace
    let sweepFaces: Int
    let roundings: [Float]
    let surrogateBudget: Int
    let benignClients: Int
    let benignQueries: Int
    let surrogateEpochs: Int
    /// The MLP surrogate's budgets: an eighth, a half and all of the public photos.
    var surrogateBudgets: [Int] { [surrogateBudget / 8, surrogateBudget / 2, surrogateBudget] }

    /// The black-box attack's settings against a model (the MLP's descent is capped lower: each of its queries
    /// costs 75 times a softmax query).
    func blackBox(_ m: TrainedModel) -> MIFace { m.kind == .mlp ? blackBoxMLPAttack : blackBoxAttack }

    init(_ o: Fredrikson2015Faces, _ run: ExperimentRun) {
        var a = MIFace()
        a.alpha = run.value(S.alpha, given: o.alpha)
        a.beta = run.value(S.beta, given: o.beta)
        a.gamma = run.value(S.gamma, given: o.gamma)
        a.lambda = run.value(S.lambda, given: o.lambda)
        a.cost = run.value(S.cost, given: o.cost)
        a.gammaReading = run.value(S.gammaReading, given: o.gammaReading)
        attack = a
        run.record("x0", "zeros")
        run.record("process", "identity")
        softmaxEpochs = run.value(S.softmaxEpochs, given: o.softmaxEpochs)
        mlpHidden = run.value(S.mlpHidden, given: o.mlpHidden)
        mlpEpochs = run.value(S.mlpEpochs, given: o.mlpEpochs)
        mlpL2 = run.value(S.mlpL2, given: o.mlpL2)
        evaluatorHidden = run.value(S.evaluatorHidden, given: nil)
        evaluatorEpochs = run.value(S.evaluatorEpochs, given: nil)
        lineups = run.value(S.lineups, given: o.lineups)
        run.record("lineup_size", 5)
        let probe = run.value(S.probe, given: o.probe)
        let names = run.values(S.estimators, given: o.estimators)
        estimators = names.enumerated().compactMap { i, name in
            Estimator.parse(name).map {
                FiniteDifferences(
                    width: ATTFaces.width, height: ATTFaces.height, blockSize: $0.blockSize, randomDirections: $0.directions, step: probe,
                    seed: run.seed &+ UInt64(i))
            }
        }
        var bb = a
        bb.alpha = run.value(S.blackBoxAlpha, given: o.blackBoxAlpha)
        blackBoxAttack = bb
        bb.alpha = run.value(S.blackBoxMLPAlpha, given: o.blackBoxMlpAlpha)
        blackBoxMLPAttack = bb
        sweepFaces = run.value(S.sweepFaces, given: o.sweepFaces)
        roundings = run.values(S.roundings, given: o.roundings)
        surrogateBudget = run.value(S.surrogateBudget, given: o.surrogateBudget)
        surrogateEpochs = run.value(S.surrogateEpochs, given: nil)
        run.record("surrogate", "MLP \(S.surrogateHidden) sigmoid units, Adam 0.001, batch 40, on varied held-out photos")
        benignQueries = run.value(S.benignQueries, given: nil)
        benignClients = run.value(S.benignClients, given: o.benignClients)
        run.record("split", "7 train / 3 test per subject, seeded")
    }
}

Fredrikson2015Faces.main()
