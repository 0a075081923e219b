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

    @Option(help: "MI-Face alpha: maximum iterations (default \(D.alpha.paper); --quick: \(D.alpha.quick)).") var alpha: Int?
    @Option(help: "MI-Face beta: no-improvement window (default \(D.beta)).") var beta: Int?
    @Option(help: "MI-Face gamma: stopping threshold, read as --gamma-reading says (default \(D.gamma)).") var gamma: Float?
    @Option(help: "MI-Face lambda: step size (default \(D.lambda)).") var lambda: Float?
    @Option(help: "Cost descended: one-minus-p (the paper's) or neg-log-p (default neg-log-p).") var cost: InversionCost?
    @Option(help: "Reading of gamma: confidence (stop when p >= gamma) or cost (stop when cost <= gamma, literal) (default confidence).")
    var gammaReading: GammaReading?

    @Option(help: "Hidden units of the MLP (default \(D.mlpHidden.paper); --quick: \(D.mlpHidden.quick)).") var mlpHidden: Int?
    @Option(help: "Training epochs of softmax regression (default \(D.softmaxEpochs.paper); --quick: \(D.softmaxEpochs.quick)).")
    var softmaxEpochs: Int?
    @Option(help: "Training epochs of the MLP (default \(D.mlpEpochs.paper); --quick: \(D.mlpEpochs.quick)).") var mlpEpochs: Int?
    @Option(help: "L2 weight decay of the MLP; it also wears away the random start in the first layer (default \(D.mlpL2)).")
    var mlpL2: Float?
    @Option(help: "Automatic line-ups per reconstruction (default \(D.lineups.paper); --quick: \(D.lineups.quick)).") var lineups: Int?

    @Option(
        parsing: .upToNextOption,
        help:
            "Black-box gradient estimators: blocks-S (central differences on S x S pixel blocks) or random-K-blocks-S (K random directions) (default \(D.estimators.joined(separator: " ")))."
    )
    var estimators: [String] = []
    @Option(help: "Length of each finite-difference probe (default \(D.probe)).") var probe: Float?
    @Option(help: "Black-box MI-Face on softmax: maximum iterations (default \(D.blackBoxAlpha.paper); --quick: \(D.blackBoxAlpha.quick)).")
    var blackBoxAlpha: Int?
    @Option(
        help:
            "Black-box MI-Face on the MLP: maximum iterations (default \(D.blackBoxMLPAlpha.paper); --quick: \(D.blackBoxMLPAlpha.quick)).")
    var blackBoxMlpAlpha: Int?
    @Option(
        help:
            "Subjects attacked black-box on the MLP and in the rounding sweep (default \(D.sweepFaces.paper); --quick: \(D.sweepFaces.quick))."
    )
    var sweepFaces: Int?
    @Option(parsing: .upToNextOption, help: "Rounding steps of the oracle's answers, 0 for none (default 0 0.001 0.005 0.01 0.05 0.1).")
    var roundings: [Float] = []
    @Option(
        help:
            "Public photos (varied held-out photos) the MLP surrogate is trained on (default \(D.surrogateBudget.paper); --quick: \(D.surrogateBudget.quick))."
    )
    var surrogateBudget: Int?
    @Option(
        help:
            "Benign clients the query monitor watches, \(D.benignQueries.paper) queries each (default \(D.benignClients.paper); --quick: \(D.benignClients.quick) with \(D.benignQueries.quick) each)."
    )
    var benignClients: Int?

    func validate() throws {
        if let alpha { guard alpha >= 1 else { throw ValidationError("--alpha must be at least 1 (got \(alpha))") } }
        if let beta { guard beta >= 1 else { throw ValidationError("--beta must be at least 1 (got \(beta))") } }
        if let lambda { guard lambda > 0, lambda.isFinite else { throw ValidationError("--lambda must be positive (got \(lambda))") } }
        if let gamma { guard gamma.isFinite else { throw ValidationError("--gamma must be a number") } }
        if let mlpHidden { guard mlpHidden >= 1 else { throw ValidationError("--mlp-hidden must be at least 1") } }
        for (name, epochs) in [("--softmax-epochs", softmaxEpochs), ("--mlp-epochs", mlpEpochs)] {
            if let epochs, epochs < 1 { throw ValidationError("\(name) must be at least 1 (got \(epochs))") }
        }
        if let mlpL2 { guard mlpL2 >= 0, mlpL2.isFinite else { throw ValidationError("--mlp-l2 must be a non-negative number") } }
        if let lineups {
            guard lineups >= 1 else { throw ValidationError("--lineups must be at least 1 (the default 100 gives stable line-up rates)") }
        }
        for e in estimators where Estimator.parse(e) == nil {
            throw ValidationError(
                "--estimators: '\(e)' is not blocks-S or random-K-blocks-S with S and K positive (e.g. blocks-8, random-50-blocks-4)")
        }
        if let probe { guard probe > 0, probe.isFinite else { throw ValidationError("--probe must be positive (got \(probe))") } }
        if let blackBoxAlpha { guard blackBoxAlpha >= 1 else { throw ValidationError("--black-box-alpha must be at least 1") } }
        if let blackBoxMlpAlpha { guard blackBoxMlpAlpha >= 1 else { throw ValidationError("--black-box-mlp-alpha must be at least 1") } }
        if let sweepFaces {
            guard (1...40).contains(sweepFaces) else { throw ValidationError("--sweep-faces must be in 1...40 (got \(sweepFaces))") }
        }
        for r in roundings where !(r >= 0 && r < 1) { throw ValidationError("--roundings: \(r) is not a step in [0, 1)") }
        if let surrogateBudget {
            guard surrogateBudget >= 40 else { throw ValidationError("--surrogate-budget must be at least 40 photos") }
        }
        if let benignClients { guard benignClients >= 1 else { throw ValidationError("--benign-clients must be at least 1") } }
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
            Console.table(
                ["model", "train acc", "test acc", "seconds"],
                (targets + [evaluator]).map {
                    [$0.name, Format.pct($0.trainAccuracy), Format.pct($0.testAccuracy), Format.f2($0.seconds)]
                })

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
            Console.table(
                ["images", "NN id", "line-up", "eval top-1", "eval top-5", "SSIM"],
                runs.map { $0.scoreRow(ScoreSummary($0.scores)) } + zip(references, referenceScores).map { $0.scoreRow($1) })

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
            Console.table(
                ["model", "cost", "gamma", "mean iters", "mean p", "stops (gamma/window/max)", "NN id", "line-up", "SSIM"],
                variants.map { v in
                    let sum = ScoreSummary(v.scores)
                    return [
                        v.model.name, v.attack.cost.rawValue, v.attack.gammaReading.rawValue, Format.f1(v.meanIterations),
                        Format.f3(v.meanConfidence), v.stopCounts, Format.pct(sum.nearestNeighbour), Format.pct(sum.lineup),
                        Format.f3(sum.ssim),
                    ]
                })

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
            Console.table(
                [
                    "model", "estimator", "faces", "queries per face", "seconds per face", "mean p", "failed", "NN id", "line-up",
                    "eval top-1",
                ],
                blackBox.map { b in
                    let sum = ScoreSummary(b.scores)
                    return [
                        b.model.rawValue, b.method.description, "\(b.inversions.count)", Format.f1(b.queriesPerFace),
                        Format.f2(b.seconds / Double(b.inversions.count)),
                        Format.f3(b.meanConfidence), "\(b.failedFaces)", Format.pct(sum.nearestNeighbour), Format.pct(sum.lineup),
                        Format.pct(sum.top1),
                    ]
                })

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
                        surrogateHidden: D.surrogateHidden, surrogateEpochs: s.surrogateEpochs, test: test, using: &surrogateRNG)
                    sr.scores = scorer.score(sr.images, subjects: labels, using: &scoreRNG)
                    run.timings.record("surrogate_\(m.name)_\(sr.method)", seconds: sr.seconds)
                    surrogates.append(sr)
                }
            }
            let publicControl = ScoreSummary(
                scorer.score(
                    APIAttacks.publicMeans(mlp, inputs: publicPhotos, labels: labels), subjects: labels,
                    using: &scoreRNG))
            Console.table(
                ["model", "extraction", "queries", "agreement (test)", "weight error", "NN id", "line-up", "eval top-1", "SSIM"],
                surrogates.map { r in
                    let sum = ScoreSummary(r.scores)
                    return [
                        r.model.rawValue, r.method.description, "\(r.extractionQueries)", Format.pct(r.agreement ?? .nan),
                        r.weightError.map { Format.e2($0) } ?? "",
                        Format.pct(sum.nearestNeighbour), Format.pct(sum.lineup), Format.pct(sum.top1), Format.f3(sum.ssim),
                    ]
                } + [
                    [
                        mlp.name, "control: mean public photo per label", "\(publicPhotos.rows)", "", "",
                        Format.pct(publicControl.nearestNeighbour),
                        Format.pct(publicControl.lineup), Format.pct(publicControl.top1), Format.f3(publicControl.ssim),
                    ]
                ])

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
                            surrogateHidden: D.surrogateHidden, surrogateEpochs: s.surrogateEpochs, test: test, using: &surrogateRNG),
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
            Console.table(
                ["model", "attack", "r", "queries per face", "failed", "NN id", "line-up", "eval top-1"],
                sweep.map { c in
                    let sum = ScoreSummary(c.scores)
                    return [
                        c.model.rawValue, c.attack.rawValue, roundingName(c.rounding), Format.f1(c.queriesPerFace), "\(c.failedFaces)",
                        Format.pct(sum.nearestNeighbour), Format.pct(sum.lineup), Format.pct(sum.top1),
                    ]
                })

            // == 9. Query monitor: who looks like an attacker at the API ==
            run.section(9, "Query monitor: benign clients, the attacks above, and an attacker who knows the monitor")
            var monitorRNG = rng.derived(9)
            let (monitorRows, monitor) = try MonitorStudy.run(
                MonitorStudy.Setup(
                    train: train, test: test, softmax: softmax, mlp: mlp, labels: Array(sweepLabels.prefix(4)),
                    estimator: s.estimators[0], attack: s.blackBoxMLPAttack, benignClients: s.benignClients, benignQueries: s.benignQueries,
                    publicPhotos: publicPhotos, scorer: scorer, components: 50, covers: [0, 4]),
                using: &monitorRNG)
            Console.line(
                "  thresholds from 10 simulated benign clients: unnatural above RMS \(Format.f3(Double(monitor.settings.residualThreshold))) "
                    + "from the face basis, near-duplicate below RMS \(Format.f3(Double(monitor.settings.duplicateDistance)))")
            Console.table(
                ["client", "clients", "flagged", "queries", "queries until flagged", "unnatural", "near-duplicates", "NN id"],
                monitorRows.map { m in
                    [
                        m.client, "\(m.clients)", "\(m.flagged)", Format.f1(m.queries),
                        m.queriesUntilDetection.map { Format.f1($0) } ?? "never",
                        "\(m.unnatural)", "\(m.duplicates)", m.identification.map { Format.pct($0) } ?? "",
                    ]
                })

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
enum D {
    static let alpha = (paper: Published.Fredrikson2015.alpha, quick: 300)
    static let beta = Published.Fredrikson2015.beta
    static let gamma = Published.Fredrikson2015.gamma
    static let lambda = Published.Fredrikson2015.lambda
    static let mlpHidden = (paper: Published.Fredrikson2015.mlpHidden, quick: 300)
    static let softmaxEpochs = (paper: 100, quick: 30)
    static let mlpEpochs = (paper: 40, quick: 15)
    static let mlpL2: Float = 0.01
    static let evaluatorHidden = (paper: 256, quick: 64)
    static let evaluatorEpochs = (paper: 30, quick: 10)
    static let lineups = (paper: 100, quick: 20)
    static let estimators = ["random-40-blocks-4", "blocks-16"]
    static let probe: Float = 0.05
    static let blackBoxAlpha = (paper: Published.Fredrikson2015.alpha, quick: 20)
    static let blackBoxMLPAlpha = (paper: 200, quick: 10)
    static let sweepFaces = (paper: 8, quick: 2)
    static let roundings: [Float] = [0] + Published.Fredrikson2015.roundingLevels
    static let surrogateBudget = (paper: 4000, quick: 200)
    static let surrogateHidden = 256
    static let surrogateEpochs = (paper: 30, quick: 5)
    static let benignClients = (paper: 20, quick: 3)
    static let benignQueries = (paper: 200, quick: 50)
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
        a.alpha = run.setting("alpha", given: o.alpha, default: D.alpha.paper, quick: D.alpha.quick)
        a.beta = run.setting("beta", given: o.beta, default: D.beta)
        a.gamma = run.setting("gamma", given: o.gamma, default: D.gamma)
        a.lambda = run.setting("lambda", given: o.lambda, default: D.lambda)
        a.cost = run.setting("cost", given: o.cost, default: .negativeLogP)
        a.gammaReading = run.setting("gamma_reading", given: o.gammaReading, default: .confidence)
        attack = a
        run.record("x0", "zeros")
        run.record("process", "identity")
        softmaxEpochs = run.setting("softmax_epochs", given: o.softmaxEpochs, default: D.softmaxEpochs.paper, quick: D.softmaxEpochs.quick)
        mlpHidden = run.setting("mlp_hidden", given: o.mlpHidden, default: D.mlpHidden.paper, quick: D.mlpHidden.quick)
        mlpEpochs = run.setting("mlp_epochs", given: o.mlpEpochs, default: D.mlpEpochs.paper, quick: D.mlpEpochs.quick)
        mlpL2 = run.setting("mlp_l2", given: o.mlpL2, default: D.mlpL2)
        evaluatorHidden = run.setting("evaluator_hidden", given: nil, default: D.evaluatorHidden.paper, quick: D.evaluatorHidden.quick)
        evaluatorEpochs = run.setting("evaluator_epochs", given: nil, default: D.evaluatorEpochs.paper, quick: D.evaluatorEpochs.quick)
        lineups = run.setting("lineups", given: o.lineups, default: D.lineups.paper, quick: D.lineups.quick)
        run.record("lineup_size", 5)
        let probe = run.setting("probe", given: o.probe, default: D.probe)
        let names = o.estimators.isEmpty ? (run.quick ? Array(D.estimators.prefix(1)) : D.estimators) : o.estimators
        run.record("estimators", names.joined(separator: " "), source: o.estimators.isEmpty ? "default" : "option")
        estimators = names.enumerated().compactMap { i, name in
            Estimator.parse(name).map {
                FiniteDifferences(
                    width: ATTFaces.width, height: ATTFaces.height, blockSize: $0.blockSize, randomDirections: $0.directions, step: probe,
                    seed: run.seed &+ UInt64(i))
            }
        }
        var bb = a
        bb.alpha = run.setting("black_box_alpha", given: o.blackBoxAlpha, default: D.blackBoxAlpha.paper, quick: D.blackBoxAlpha.quick)
        blackBoxAttack = bb
        bb.alpha = run.setting(
            "black_box_mlp_alpha", given: o.blackBoxMlpAlpha, default: D.blackBoxMLPAlpha.paper, quick: D.blackBoxMLPAlpha.quick)
        blackBoxMLPAttack = bb
        sweepFaces = run.setting("sweep_faces", given: o.sweepFaces, default: D.sweepFaces.paper, quick: D.sweepFaces.quick)
        roundings = o.roundings.isEmpty ? D.roundings : o.roundings
        run.record("roundings", roundings.map(roundingName).joined(separator: " "), source: o.roundings.isEmpty ? "default" : "option")
        surrogateBudget = run.setting(
            "surrogate_budget", given: o.surrogateBudget, default: D.surrogateBudget.paper, quick: D.surrogateBudget.quick)
        surrogateEpochs = run.setting("surrogate_epochs", given: nil, default: D.surrogateEpochs.paper, quick: D.surrogateEpochs.quick)
        run.record("surrogate", "MLP \(D.surrogateHidden) sigmoid units, Adam 0.001, batch 40, on varied held-out photos")
        benignQueries = run.setting("benign_queries", given: nil, default: D.benignQueries.paper, quick: D.benignQueries.quick)
        benignClients = run.setting("benign_clients", given: o.benignClients, default: D.benignClients.paper, quick: D.benignClients.quick)
        run.record("split", "7 train / 3 test per subject, seeded")
    }
}

Fredrikson2015Faces.main()
