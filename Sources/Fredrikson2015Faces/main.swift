// Fredrikson2015Faces: MI-Face model inversion against face recognisers on the AT&T faces.
//
// Reproduces section 5 of M. Fredrikson, S. Jha, T. Ristenpart, "Model Inversion Attacks that
// Exploit Confidence Information and Basic Countermeasures", CCS 2015 (doi:10.1145/2810103.2813677):
// white-box MI-Face (Algorithm 1) against softmax regression and a one-hidden-layer MLP, the faces of
// figure 6 and the identification rates of the user study (emulated here by automatic line-ups).
//
// Run: swift run -c release Fredrikson2015Faces [--seed N] [--quick] [--out DIR] [--data DIR|URL]
// Results: out/Fredrikson2015Faces/ (CSV tables, PNG faces, report.md).

import ArgumentParser
import Datasets
import Foundation
import Learning
import MLCore
import Privacy
import Reporting

extension InversionCost: ExpressibleByArgument {}
extension GammaReading: ExpressibleByArgument {}

struct Fredrikson2015Faces: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "MI-Face model inversion against softmax and MLP face recognisers (Fredrikson et al., CCS 2015).")

    @Option(help: "Seed for the split, initialisation, minibatches and line-ups.") var seed: UInt64 = 2015
    @Flag(help: "Small models and few iterations: seconds instead of minutes (for CI).") var quick = false
    @Option(help: "Output folder.") var out = "out/Fredrikson2015Faces"
    @Option(help: "Dataset folder or http(s) URL laid out like data/ (default: $INVERSIONLAB_DATA, then data/).") var data: String?

    @Option(help: "MI-Face alpha: maximum iterations.") var alpha = 5000
    @Option(help: "MI-Face beta: no-improvement window.") var beta = 100
    @Option(help: "MI-Face gamma: stopping threshold (see --gamma-reading).") var gamma: Float = 0.99
    @Option(help: "MI-Face lambda: step size.") var lambda: Float = 0.1
    @Option(help: "Cost descended: one-minus-p (the paper's) or neg-log-p.") var cost: InversionCost = .negativeLogP
    @Option(help: "Reading of gamma: confidence (stop when p >= gamma) or cost (stop when cost <= gamma, literal).")
    var gammaReading: GammaReading = .confidence

    @Option(help: "Hidden units of the MLP.") var mlpHidden = 3000
    @Option(help: "Training epochs of softmax regression.") var softmaxEpochs = 100
    @Option(help: "Training epochs of the MLP.") var mlpEpochs = 40
    @Option(help: "L2 weight decay of the MLP (it also wears away the random start in the first layer).") var mlpL2: Float = 0.01
    @Option(help: "Automatic line-ups per reconstruction.") var lineups = 100

    func validate() throws {
        guard alpha >= 1 else { throw ValidationError("--alpha must be at least 1 (got \(alpha))") }
        guard beta >= 1 else { throw ValidationError("--beta must be at least 1 (got \(beta))") }
        guard lambda > 0 else { throw ValidationError("--lambda must be positive (got \(lambda))") }
        guard gamma.isFinite else { throw ValidationError("--gamma must be a number") }
        guard mlpHidden >= 1 else { throw ValidationError("--mlp-hidden must be at least 1") }
        guard softmaxEpochs >= 1, mlpEpochs >= 1 else { throw ValidationError("--softmax-epochs and --mlp-epochs must be at least 1") }
        guard mlpL2 >= 0, mlpL2.isFinite else { throw ValidationError("--mlp-l2 must be a non-negative number") }
        guard lineups >= 1 else { throw ValidationError("--lineups must be at least 1 (the default 100 gives stable line-up rates)") }
    }

    func run() throws {
        let started = Date()
        // Quick mode shrinks every expensive setting; the paper's settings are the defaults.
        let s = Settings(self)
        let blas = BLASInfo.current()
        Console.line("Fredrikson2015Faces: MI-Face on the AT&T faces (seed \(seed)\(quick ? ", quick" : ""))")
        Console.blas(blas)
        var rng = SeededGenerator(seed: seed)

        // == 1. Data ==
        Console.section(1, "Data: AT&T faces, 7 train / 3 test per subject")
        let store = DatasetStore(override: data)
        let faces = try ATTFaces.load(from: store)
        let (train, test) = faces.splitPerClass(trainPerClass: 7, using: &rng)
        Console.line(
            "  \(faces.images.rows) images of \(faces.classCount) subjects, \(faces.width)x\(faces.height); "
                + "train \(train.images.rows), test \(test.images.rows); all \(Catalog.attFaces.files.count) files verified (SHA-256)")
        let dir = try RunDirectory(out)  // created only once the data is there

        // == 2. Target models and the evaluation classifier ==
        Console.section(2, "Train target models (softmax regression, MLP) and an independent evaluator")
        var targets: [TrainedModel] = []
        var modelRNG = rng.derived(2)
        targets.append(
            try TrainedModel.train(
                name: "softmax", network: .softmaxRegression(inputs: train.images.cols, classes: 40),
                settings: TrainingSettings(epochs: s.softmaxEpochs, batchSize: 40, learningRate: 0.01, optimizer: .sgd(momentum: 0.9)),
                train: train, test: test, using: &modelRNG))
        targets.append(
            try TrainedModel.train(
                name: "mlp", network: .mlp(inputs: train.images.cols, hidden: s.mlpHidden, classes: 40, using: &modelRNG),
                settings: TrainingSettings(
                    epochs: s.mlpEpochs, batchSize: 40, learningRate: 0.05, l2: mlpL2, optimizer: .sgd(momentum: 0.9)),
                train: train, test: test, using: &modelRNG))
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
            train: evalTrain, test: test.standardized(), using: &evalRNG)
        for m in targets + [evaluator] {
            try ModelIO.save(m.network, to: dir.url("models/\(m.name)"))
        }
        Console.table(
            ["model", "train acc", "test acc", "seconds"],
            (targets + [evaluator]).map {
                [$0.name, Format.pct($0.trainAccuracy), Format.pct($0.testAccuracy), Format.f2($0.seconds)]
            })

        // == 3. MI-Face, white-box, every label as one batch ==
        Console.section(3, "MI-Face (white-box): cost \(s.attack.cost.rawValue), gamma read as \(s.attack.gammaReading.rawValue)")
        let labels = Array(0..<40)
        var runs: [AttackRun] = []
        for m in targets {
            runs.append(try AttackRun.run(s.attack, model: m, labels: labels))
        }

        // == 4. Score the reconstructions and the two references ==
        Console.section(4, "Evaluate: nearest neighbour, line-ups of 5, evaluator top-1/top-5, SSIM (standardised images)")
        let scorer = InversionScorer(
            train: train.images, labels: train.labels, subjectCount: 40, evaluator: evaluator.network,
            width: faces.width, height: faces.height, lineups: s.lineups)
        var scoreRNG = rng.derived(4)
        for i in runs.indices { runs[i].scores = scorer.score(runs[i].images, subjects: labels, using: &scoreRNG) }
        let references = Reference.make(train: train, test: test, labels: labels)
        let referenceScores = references.map { ScoreSummary(scorer.score($0.images, subjects: labels, using: &scoreRNG)) }
        var summaryRows: [[String]] = []
        for r in runs {
            let sum = ScoreSummary(r.scores)
            summaryRows.append([
                r.model.name, Format.pct(sum.nearestNeighbour), Format.pct(sum.lineup), Format.pct(sum.top1), Format.pct(sum.top5),
                Format.f3(sum.ssim),
            ])
        }
        for (ref, sum) in zip(references, referenceScores) {
            summaryRows.append([
                ref.name, Format.pct(sum.nearestNeighbour), Format.pct(sum.lineup), Format.pct(sum.top1), Format.pct(sum.top5),
                Format.f3(sum.ssim),
            ])
        }
        Console.table(["images", "NN id", "line-up", "eval top-1", "eval top-5", "SSIM"], summaryRows)

        // == 5. The two costs and the two readings of gamma ==
        Console.section(5, "Variants: cost (1 - p, -log p) x reading of gamma (confidence, cost)")
        var variants: [AttackRun] = []
        for m in targets {
            for c in InversionCost.allCases {
                for g in GammaReading.allCases {
                    var v = s.attack
                    v.cost = c
                    v.gammaReading = g
                    if c == s.attack.cost && g == s.attack.gammaReading, let same = runs.first(where: { $0.model.name == m.name }) {
                        variants.append(same)
                        continue
                    }
                    var run = try AttackRun.run(v, model: m, labels: labels, quiet: true)
                    run.scores = scorer.score(run.images, subjects: labels, using: &scoreRNG)
                    variants.append(run)
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
        Console.section(6, "Write \(dir.path)/")
        try Outputs.write(
            to: dir, options: self, settings: s, blas: blas, faces: faces, train: train, targets: targets,
            evaluator: evaluator, runs: runs, references: references, referenceScores: referenceScores,
            variants: variants, seconds: Date().timeIntervalSince(started))
        Console.line("  done in \(Format.f1(Date().timeIntervalSince(started))) s; open \(dir.url("report.md"))")
    }
}

/// Every resolved setting of a run, after --quick has shrunk what it shrinks.
struct Settings {
    let attack: MIFace
    let softmaxEpochs: Int
    let mlpEpochs: Int
    let mlpHidden: Int
    let evaluatorHidden: Int
    let evaluatorEpochs: Int
    let lineups: Int

    init(_ o: Fredrikson2015Faces) {
        var a = MIFace()
        a.alpha = o.quick ? min(o.alpha, 300) : o.alpha
        a.beta = o.beta
        a.gamma = o.gamma
        a.lambda = o.lambda
        a.cost = o.cost
        a.gammaReading = o.gammaReading
        attack = a
        softmaxEpochs = o.quick ? min(o.softmaxEpochs, 30) : o.softmaxEpochs
        mlpEpochs = o.quick ? min(o.mlpEpochs, 15) : o.mlpEpochs
        mlpHidden = o.quick ? min(o.mlpHidden, 300) : o.mlpHidden
        evaluatorHidden = o.quick ? 64 : 256
        evaluatorEpochs = o.quick ? 10 : 30
        lineups = o.quick ? min(o.lineups, 20) : o.lineups
    }
}

Fredrikson2015Faces.main()
