// Fredrikson2015Faces: MI-Face model inversion against face recognisers on the AT&T faces.
//
// Reproduces section 5 of M. Fredrikson, S. Jha, T. Ristenpart, "Model Inversion Attacks that
// Exploit Confidence Information and Basic Countermeasures", CCS 2015 (doi:10.1145/2810103.2813677):
// white-box MI-Face (Algorithm 1) against softmax regression and a one-hidden-layer MLP, the faces of
// figure 6 and the identification rates of the user study (emulated here by automatic line-ups).
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
            var targets: [TrainedModel] = []
            var modelRNG = rng.derived(2)
            targets.append(
                try TrainedModel.train(
                    name: "softmax", network: .softmaxRegression(inputs: train.images.cols, classes: 40),
                    settings: TrainingSettings(epochs: s.softmaxEpochs, batchSize: 40, learningRate: 0.01, optimizer: .sgd(momentum: 0.9)),
                    train: train, test: test, run: run, using: &modelRNG))
            targets.append(
                try TrainedModel.train(
                    name: "mlp", network: .mlp(inputs: train.images.cols, hidden: s.mlpHidden, classes: 40, using: &modelRNG),
                    settings: TrainingSettings(
                        epochs: s.mlpEpochs, batchSize: 40, learningRate: 0.05, l2: s.mlpL2, optimizer: .sgd(momentum: 0.9)),
                    train: train, test: test, run: run, using: &modelRNG))
            // The evaluator never serves the attack: a ReLU MLP trained on standardised, shifted and mirrored faces.
            var evalRNG = rng.derived(3)
            let evalTrain = train.standardized().augmented(copies: 3, maxShift: 3, using: &evalRNG)
            let evaluator = try TrainedModel.train(
                name: "evaluator",
                network: Network(layers: [
                    .dense(Dense(inputs: train.images.cols, outputs: s.evaluatorHidden, using: &evalRNG)), .relu,
                    .dense(Dense(inputs: s.evaluatorHidden, outputs: 40, using: &evalRNG)),
                ]),
                settings: TrainingSettings(
                    epochs: s.evaluatorEpochs, batchSize: 40, learningRate: 0.01, l2: 1e-4, optimizer: .sgd(momentum: 0.9)),
                train: evalTrain, test: test.standardized(), run: run, using: &evalRNG)
            for m in targets + [evaluator] {
                try run.write(model: m.network, to: "models/\(m.name)")
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

            // == 6. Outputs ==
            run.section(6, "Write the results")
            let results = Results(
                settings: s, faces: faces, train: train, targets: targets, evaluator: evaluator, runs: runs,
                references: references, referenceScores: referenceScores, variants: variants)
            run.claims = Report.claims(results)
            run.headline = Report.headline(results)
            try Outputs.write(results, to: run)
            Console.table(["claim", "measured", "verdict"], run.claims.map { [$0.claim, $0.measured, $0.verdict] })
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
        run.record("split", "7 train / 3 test per subject, seeded")
    }
}

Fredrikson2015Faces.main()
