// Fredrikson2014Warfarin: inferring a patient's genotype from a warfarin dosing model, and what
// differential privacy costs.
//
// Reproduces M. Fredrikson, E. Lantz, S. Jha, S. Lin, D. Page, T. Ristenpart, "Privacy in
// Pharmacogenetics: An End-to-End Case Study of Personalized Warfarin Dosing", USENIX Security 2014
// (https://www.usenix.org/conference/usenixsecurity14/technical-sessions/presentation/fredrikson_matthew):
// model inversion of the IWPC pharmacogenetic algorithm for VKORC1 and CYP2C9 (section 4, figure 2)
// and the functional mechanism's trade-off between privacy and dosing (section 5, figures 4 and 5).
// Beyond the paper: what the attacker's prior explains (marginal, race-conditional, uniform), what
// race and the dose are worth to an ideal classifier, each as a paired gap over redrawn splits.
//
// Run: swift run -c release Fredrikson2014Warfarin [--seed N] [--quick] [--out DIR] [--data DIR|URL]
// Results: out/Fredrikson2014Warfarin/ (CSV tables, priors.png, privacy.png, report.md).

import ArgumentParser
import Datasets
import ExperimentKit
import Foundation
import Learning
import MLCore
import Privacy
import Reporting

struct Fredrikson2014Warfarin: ParsableCommand, ExperimentDescription {
    static let name = "Fredrikson2014Warfarin"
    static let defaultSeed: UInt64 = 2014
    static let configuration = CommandConfiguration(
        commandName: name,
        abstract:
            "Genotype inference from the IWPC warfarin dosing model, with and without differential privacy (Fredrikson et al., USENIX Security 2014).",
        discussion: "Options left out take the defaults; --quick shrinks those marked '--quick:' unless they are given.")

    @OptionGroup var common: CommonOptions<Fredrikson2014Warfarin>

    @Option(help: S.heldOut.help, transform: S.heldOut.parse) var heldOut: Double?
    @Option(parsing: .upToNextOption, help: S.epsilons.help, transform: S.epsilons.parse) var epsilons: [Double] = []
    @Option(help: S.trials.help, transform: S.trials.parse) var trials: Int?
    @Option(help: S.idealL2.help, transform: S.idealL2.parse) var idealL2: Double?
    @Option(help: S.splits.help, transform: S.splits.parse) var splits: Int?

    /// Every setting of the experiment, declared once: key, help, default, --quick's value and rule.
    enum S {
        static let heldOut = Setting(
            "held_out", "Share of the cohort held out from the dosing model, as the IWPC", default: Published.Fredrikson2014.heldOutShare,
            must: .open(0, 1))
        static let epsilons = ListSetting(
            "epsilons", "Privacy budgets of the functional mechanism", default: Published.Fredrikson2014.epsilons, must: .positive,
            example: "0.25 1 5 20 100", format: { String(format: "%g", $0) })
        static let trials = Setting(
            "trials", "Seeded trials per privacy budget", default: 50, quick: 5, must: .atLeast(1),
            hint: "20 or more give stable means and spreads")
        static let splits = Setting(
            "splits", "Redrawn splits for the paired gaps between methods", default: 50, quick: 5, must: .atLeast(1))
        static let idealL2 = Setting(
            "ideal_l2", "L2 penalty of the ideal classifiers, fitted to convergence", default: IdealClassifier().l2, must: .nonNegative)
    }

    func validate() throws {
        try S.epsilons.check(epsilons)
    }

    func run() throws {
        try ExperimentRun.perform(common, title: "genotype inference on the IWPC cohort") { try body($0) }
    }

    func body(_ run: ExperimentRun) throws {
        let heldOut = run.value(S.heldOut, given: heldOut)
        let epsilons = run.values(S.epsilons, given: epsilons.sorted())
        let trials = run.value(S.trials, given: trials)
        let splits = run.value(S.splits, given: splits)
        let ideal = IdealClassifier(l2: run.value(S.idealL2, given: idealL2))
        run.record(
            "ideal_learner",
            "multinomial logistic regression on standardised features, Newton until every gradient entry < \(Format.e2(IdealClassifier.tolerance))"
        )
        run.record("target", "sqrt(weekly dose mg)")
        run.record("attacker_priors", "marginal and per-race genotype frequencies of the training cohort (race add-one smoothed), uniform")
        run.record("attacker_sigma", "residual standard deviation of the served model on the training cohort")
        let rng = SeededGenerator(seed: run.seed)

        // == 1. Data ==
        run.section(1, "Data: IWPC cohort, cleaned, split into the model's training cohort and held-out patients")
        let cohort = try run.load { try IWPCWarfarin.load(from: $0) }
        Tables.cleaning.print(cohort.steps)
        var splitRNG = rng.derived(1)
        let (training, heldOutPatients) = splitCohort(cohort.patients, heldOut: heldOut, using: &splitRNG)
        Console.line(
            "  \(cohort.rowsRead) rows read, \(cohort.patients.count) usable: \(training.count) training, \(heldOutPatients.count) held out"
        )
        run.record("rows_read", cohort.rowsRead, source: "data")
        run.record("patients", cohort.patients.count, source: "data")
        run.record("training_patients", training.count, source: "data")
        run.record("held_out_patients", heldOutPatients.count, source: "data")
        guard training.count >= 200, heldOutPatients.count >= 50 else {
            throw RunError(
                "--held-out \(heldOut) leaves \(training.count) patients to fit the model on and \(heldOutPatients.count) "
                    + "to hold out; keep at least 200 and 50 (e.g. --held-out 0.2)")
        }

        // == 2. The dosing model ==
        run.section(2, "Dosing model: least squares of sqrt(weekly dose) on the IWPC covariates")
        let xTrain = IWPCDosing.design(training)
        let yTrain = IWPCDosing.target(training)
        let model: LinearRegression
        do {
            model = try LinearRegression.fit(x: xTrain, y: yTrain, columnNames: IWPCDosing.columnNames)
        } catch let e as RegressionError {
            throw RunError(
                "\(e.description) (the training cohort has \(training.count) patients: a smaller --held-out keeps "
                    + "every genotype in it)")
        }
        let sigma = model.residualStandardDeviation(x: xTrain, y: yTrain)
        let published = LinearRegression(weights: IWPCDosing.publishedWeights, intercept: IWPCDosing.publishedIntercept)
        let utility = [
            DosingRow(model: "fitted", patients: .training, n: training.count, metrics: DosingMetrics(model, patients: training)),
            DosingRow(
                model: "fitted", patients: .heldOut, n: heldOutPatients.count, metrics: DosingMetrics(model, patients: heldOutPatients)),
            DosingRow(
                model: "published_iwpc", patients: .heldOut, n: heldOutPatients.count,
                metrics: DosingMetrics(published, patients: heldOutPatients)),
        ]
        Tables.coefficients.print(coefficientRows(model))
        Tables.dosing.print(utility)
        Console.line("  residual standard deviation (sqrt mg/week): \(Format.f3(Double(sigma)))")

        // == 3. Attacks: model inversion under each prior, against the baseline and the ideal classifiers ==
        run.section(3, "Attacks: model inversion under three priors, most frequent genotype, three ideal classifiers")
        let targets = SplitTargets.all(training: training, heldOut: heldOutPatients)
        let results = try targets.flatMap { try attackAll($0, model: model, sigma: sigma, ideal: ideal) }
        Tables.attacks.print(results)
        let priors = try PriorRow.all(targets)
        Console.line("  The marginal and race-conditional priors (training cohort; per race add-one smoothed):")
        Tables.priorSummary.print(priors.filter { $0.prior != .uniform })

        // == 4. Paired gaps over redrawn splits, and the ideal classifier's own fit ==
        run.section(4, "What each piece of knowledge is worth: \(splits) redrawn splits, every method refitted and paired")
        let repeats = try run.time("redrawn_splits") {
            try SplitRepeat.run(cohort.patients, heldOut: heldOut, count: splits, ideal: ideal, using: rng.derived(5))
        }
        let paired = PairedSummary.all(repeats)
        Tables.pairedSummary.print(Tables.pairedRows(paired))
        Console.line("  The ideal classifier (with the dose) under other penalties and stopping rules:")
        var adamStream = rng.derived(6)
        let adamSeed = adamStream.next()
        let fits = try run.time("ideal_fit_check") {
            try IdealFitRow.run(targets, l2: ideal.l2, seed: adamSeed)
        }
        Tables.idealFit.print(fits)

        // == 5. Differential privacy: the functional mechanism ==
        run.section(5, "Functional mechanism: \(trials) trials per epsilon; attack on training patients, dosing on held-out")
        let privacy = try run.time("functional_mechanism_sweep") {
            try PrivacySweep.run(
                epsilons: epsilons, trials: trials, training: training, heldOut: heldOutPatients,
                nonPrivate: model, sigma: sigma, using: rng.derived(4))
        }
        Tables.privacy.print(privacy.rows)

        // == 6. Outputs ==
        run.section(6, "Write the results")
        let outcome = Results(
            trials: trials, splits: splits, cohort: cohort, training: training, heldOut: heldOutPatients, model: model, sigma: sigma,
            utility: utility, attacks: results, priors: priors, repeats: repeats, paired: paired, fits: fits, idealL2: ideal.l2,
            privacy: privacy)
        run.claims = Report.claims(outcome)
        run.headline = Report.headline(outcome)
        try Outputs.write(outcome, to: run)
        Console.claims(run.claims)
    }
}

Fredrikson2014Warfarin.main()
