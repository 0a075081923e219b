// Fredrikson2014Warfarin: inferring a patient's genotype from a warfarin dosing model, and what
// differential privacy costs.
//
// Reproduces M. Fredrikson, E. Lantz, S. Jha, S. Lin, D. Page, T. Ristenpart, "Privacy in
// Pharmacogenetics: An End-to-End Case Study of Personalized Warfarin Dosing", USENIX Security 2014
// (https://www.usenix.org/conference/usenixsecurity14/technical-sessions/presentation/fredrikson_matthew):
// model inversion of the IWPC pharmacogenetic algorithm for VKORC1 and CYP2C9 (section 4, figure 2)
// and the functional mechanism's trade-off between privacy and dosing (section 5, figures 4 and 5).
//
// Run: swift run -c release Fredrikson2014Warfarin [--seed N] [--quick] [--out DIR] [--data DIR|URL]
// Results: out/Fredrikson2014Warfarin/ (CSV tables, privacy.png, report.md).

import ArgumentParser
import Datasets
import Foundation
import Learning
import MLCore
import Privacy
import Reporting

struct Fredrikson2014Warfarin: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Genotype inference from the IWPC warfarin dosing model, with and without differential privacy (Fredrikson et al., USENIX Security 2014)."
    )

    @Option(help: "Seed for the split, the ideal classifier and the privacy noise.") var seed: UInt64 = 2014
    @Flag(help: "Fewer privacy trials and a shorter ideal-classifier fit: seconds, for CI.") var quick = false
    @Option(help: "Output folder.") var out = "out/Fredrikson2014Warfarin"
    @Option(help: "Dataset folder or http(s) URL laid out like data/ (default: $INVERSIONLAB_DATA, then data/).") var data: String?

    @Option(help: "Share of the cohort held out from the dosing model (the IWPC held out 20 %).") var heldOut = 0.2
    @Option(parsing: .upToNextOption, help: "Privacy budgets of the functional mechanism.") var epsilons: [Double] = [0.25, 1, 5, 20, 100]
    @Option(help: "Seeded trials per privacy budget.") var trials = 50
    @Option(help: "Training epochs of the ideal classifier.") var idealEpochs = 150
    @Option(help: "Redrawn splits for the training-versus-held-out comparison.") var splits = 50

    func validate() throws {
        guard heldOut > 0, heldOut < 1 else { throw ValidationError("--held-out must be between 0 and 1 (got \(heldOut))") }
        guard !epsilons.isEmpty, epsilons.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw ValidationError("--epsilons must be positive numbers, e.g. --epsilons 0.25 1 5 20 100")
        }
        if let twice = epsilons.first(where: { e in epsilons.filter { $0 == e }.count > 1 }) {
            throw ValidationError("--epsilons lists \(twice) more than once")
        }
        guard trials >= 1 else { throw ValidationError("--trials must be at least 1 (20 or more give stable means and spreads)") }
        guard splits >= 1 else { throw ValidationError("--splits must be at least 1") }
        guard idealEpochs >= 1 else { throw ValidationError("--ideal-epochs must be at least 1") }
    }

    func run() throws {
        let started = Date()
        let trials = quick ? min(self.trials, 5) : self.trials
        let idealEpochs = quick ? min(self.idealEpochs, 30) : self.idealEpochs
        let splits = quick ? min(self.splits, 5) : self.splits
        Console.line("Fredrikson2014Warfarin: genotype inference on the IWPC cohort (seed \(seed)\(quick ? ", quick" : ""))")
        Console.blas(BLASInfo.current())
        let rng = SeededGenerator(seed: seed)

        // == 1. Data ==
        Console.section(1, "Data: IWPC cohort, cleaned, split into the model's training cohort and held-out patients")
        let cohort = try IWPCWarfarin.load(from: DatasetStore(override: data))
        Console.table(
            ["step", "rows", "remaining", "rule"],
            cohort.steps.map {
                [$0.action.rawValue, String($0.rows), String($0.remaining), $0.reason]
            })
        var splitRNG = rng.derived(1)
        let (training, heldOutPatients) = splitCohort(cohort.patients, heldOut: heldOut, using: &splitRNG)
        Console.line(
            "  \(cohort.rowsRead) rows read, \(cohort.patients.count) usable: \(training.count) training, \(heldOutPatients.count) held out"
        )
        guard training.count >= 200, heldOutPatients.count >= 50 else {
            throw RunError(
                description: "--held-out \(heldOut) leaves \(training.count) patients to fit the model on and \(heldOutPatients.count) "
                    + "to hold out; keep at least 200 and 50 (e.g. --held-out 0.2)")
        }

        // == 2. The dosing model ==
        Console.section(2, "Dosing model: least squares of sqrt(weekly dose) on the IWPC covariates")
        let xTrain = IWPCDosing.design(training)
        let yTrain = IWPCDosing.target(training)
        let model: LinearRegression
        do {
            model = try LinearRegression.fit(x: xTrain, y: yTrain, columnNames: IWPCDosing.columnNames)
        } catch let e as RegressionError {
            throw RunError(
                description: "\(e.description) (the training cohort has \(training.count) patients: a smaller --held-out keeps "
                    + "every genotype in it)")
        }
        let sigma = model.residualStandardDeviation(x: xTrain, y: yTrain)
        let published = LinearRegression(weights: IWPCDosing.publishedWeights, intercept: IWPCDosing.publishedIntercept)
        let utility = [
            ("fitted", "training", DosingMetrics(model, patients: training)),
            ("fitted", "held_out", DosingMetrics(model, patients: heldOutPatients)),
            ("published_iwpc", "held_out", DosingMetrics(published, patients: heldOutPatients)),
        ]
        Console.table(
            ["coefficient", "ours", "IWPC 2009"],
            coefficientRows(model).map {
                [$0.name, Format.f4(Double($0.fitted)), Format.f4(Double($0.published))]
            })
        Console.table(
            ["model", "patients", "R^2 (sqrt dose)", "MAE mg/week", "within 20 %"],
            utility.map {
                [$0.0, $0.1, Format.f3($0.2.r2), Format.f2($0.2.maeMg), Format.pct($0.2.within20)]
            })
        Console.line("  residual standard deviation (sqrt mg/week): \(Format.f3(Double(sigma)))")

        // == 3. Attacks: model inversion against the baseline and the ideal classifier ==
        Console.section(3, "Attacks: model inversion, most frequent genotype, ideal classifier")
        var results: [AttackResult] = []
        var idealRNG = rng.derived(3)
        for target in GenotypeTarget.allCases {
            let prior = target.marginals(training)
            let trainTargets = Targets(target, training)
            var ideal = IdealClassifier()
            ideal.epochs = idealEpochs
            let classifier = try ideal.fit(
                x: target.idealFeatures(trainTargets.patients), labels: trainTargets.truth,
                classCount: prior.count, using: &idealRNG)
            for (cohortName, t) in [("training", trainTargets), ("held_out", Targets(target, heldOutPatients))] {
                let inversion = try invert(model, targets: t, prior: prior, sigma: sigma)
                results.append(
                    AttackResult(
                        target: target, cohort: cohortName, method: "model_inversion", score: inversion.score,
                        queries: inversion.queries))
                results.append(
                    AttackResult(
                        target: target, cohort: cohortName, method: "baseline",
                        score: AttributeScore(MostFrequentValue(prior: prior).run(count: t.patients.count), truth: t.truth),
                        queries: 0))
                results.append(
                    AttackResult(
                        target: target, cohort: cohortName, method: "ideal",
                        score: AttributeScore(classifier.run(target.idealFeatures(t.patients)), truth: t.truth),
                        queries: 0))
            }
        }
        Console.table(
            ["target", "cohort", "method", "accuracy", "AUC", "patients", "queries"],
            results.map {
                [
                    $0.target.rawValue, $0.cohort, $0.method, Format.pct($0.score.accuracy), Format.f3($0.score.auc),
                    String($0.score.count),
                    String($0.queries),
                ]
            })

        Console.line("  Redrawn splits (\(splits)), model refitted each time: inversion accuracy, training minus held-out")
        let repeats = try SplitRepeat.run(cohort.patients, heldOut: heldOut, count: splits, using: rng.derived(5))
        Console.table(
            ["target", "training", "held out", "gap (mean ± sd)", "splits training better"],
            GenotypeTarget.allCases.map { t in
                let r = repeats.filter { $0.target == t }
                let gap = meanAndSpread(r.map { $0.training - $0.heldOut })
                return [
                    t.rawValue, Format.pct(meanAndSpread(r.map(\.training)).mean), Format.pct(meanAndSpread(r.map(\.heldOut)).mean),
                    "\(Format.pct(gap.mean)) ± \(Format.pct(gap.sd))", "\(r.filter { $0.training > $0.heldOut }.count) of \(r.count)",
                ]
            })

        // == 4. Differential privacy: the functional mechanism ==
        Console.section(4, "Functional mechanism: \(trials) trials per epsilon; attack on training patients, dosing on held-out")
        let privacy = try PrivacySweep.run(
            epsilons: epsilons.sorted(), trials: trials, training: training, heldOut: heldOutPatients,
            nonPrivate: model, sigma: sigma, using: rng.derived(4))
        Console.table(
            ["epsilon", "VKORC1 acc", "CYP2C9 acc", "MAE mg/week", "within 20 %", "trimmed dirs"],
            privacy.rows.map {
                [
                    $0.label, "\(Format.pct($0.vkorc1.mean)) ± \(Format.pct($0.vkorc1.sd))",
                    "\(Format.pct($0.cyp2c9.mean)) ± \(Format.pct($0.cyp2c9.sd))",
                    "\(Format.f1($0.mae.mean)) ± \(Format.f1($0.mae.sd))",
                    "\(Format.pct($0.within20.mean)) ± \(Format.pct($0.within20.sd))",
                    Format.f1($0.trimmed),
                ]
            })

        // == 5. Outputs ==
        let dir = try RunDirectory(out)
        Console.section(5, "Write \(dir.path)/")
        try Outputs.write(
            to: dir, options: self, trials: trials, idealEpochs: idealEpochs, splits: splits, cohort: cohort, training: training,
            heldOut: heldOutPatients, model: model, sigma: sigma, utility: utility, results: results, repeats: repeats, privacy: privacy,
            seconds: Date().timeIntervalSince(started))
        Console.line("  done in \(Format.f1(Date().timeIntervalSince(started))) s; open \(dir.url("report.md"))")
    }
}

Fredrikson2014Warfarin.main()
