// The result tables that the run prints, writes as CSV and puts in report.md, each declared once: its columns, their
// CSV names and formats, and how the console and the report show them.

import Datasets
import Foundation
import Learning
import Reporting

/// One row of dosing.csv: a dosing model scored on one cohort.
struct DosingRow {
    let model: String
    let patients: Cohort
    let n: Int
    let metrics: DosingMetrics
}

enum Tables {
    /// cleaning.csv: each cleaning step of the IWPC cohort.
    static let cleaning = ResultTable<CleaningStep>([
        .text("action", title: "step") { $0.action.rawValue }, .text("rule") { $0.reason }, .int("rows") { $0.rows },
        .int("remaining") { $0.remaining },
    ])

    /// coefficients.csv: the fitted dosing model beside the published IWPC algorithm.
    static let coefficients = ResultTable<(name: String, fitted: Float, published: Float)>([
        .text("coefficient") { $0.name }, .number("fitted", decimals: 4, title: "fitted here") { Double($0.fitted) },
        .number("published_iwpc", decimals: 4, title: "IWPC 2009") { Double($0.published) },
    ])

    /// dosing.csv: each dosing model's utility.
    static let dosing = ResultTable<DosingRow>([
        .text("model") { $0.model }, .text("patients") { $0.patients.rawValue }, .int("n") { $0.n },
        .number("r2_sqrt_dose", decimals: 4, title: "R^2 (sqrt dose)", shown: Format.f3) { $0.metrics.r2 },
        .number("mae_mg_per_week", decimals: 3, title: "MAE (mg/week)", shown: Format.f2) { $0.metrics.maeMg },
        .number("within_20_percent", decimals: 4, title: "within 20 % of stable dose", shown: Format.pct) { $0.metrics.within20 },
    ])

    /// attacks.csv: every method on every target and cohort of the run's split.
    static let attacks = ResultTable<AttackResult>([
        .text("target") { $0.target.rawValue }, .text("cohort") { $0.cohort.rawValue }, .text("method") { $0.method.description },
        .number("accuracy", decimals: 4, shown: Format.pct) { $0.score.accuracy },
        .number("auc", decimals: 4, title: "AUC", shown: Format.f3) { $0.score.auc }, .int("n", title: "patients") { $0.score.count },
        .shown("queries") { String($0.queries) },
    ])

    /// privacy.csv: the functional mechanism's trials per budget, mean and spread.
    static let privacy = ResultTable<PrivacyRow>([
        .custom("epsilon", field: { epsilonField($0.epsilon) }, shown: { $0.label }), .int("trials") { $0.trials },
        .number("vkorc1_accuracy_mean", decimals: 4) { $0.vkorc1.mean }.csvOnly,
        .number("vkorc1_accuracy_sd", decimals: 4) { $0.vkorc1.sd }.csvOnly,
        .shown("VKORC1 accuracy") { "\(Format.pct($0.vkorc1.mean)) ± \(Format.pct($0.vkorc1.sd))" },
        .number("cyp2c9_accuracy_mean", decimals: 4) { $0.cyp2c9.mean }.csvOnly,
        .number("cyp2c9_accuracy_sd", decimals: 4) { $0.cyp2c9.sd }.csvOnly,
        .shown("CYP2C9 accuracy") { "\(Format.pct($0.cyp2c9.mean)) ± \(Format.pct($0.cyp2c9.sd))" },
        .number("mae_mg_per_week_mean", decimals: 3) { $0.mae.mean }.csvOnly,
        .number("mae_mg_per_week_sd", decimals: 3) { $0.mae.sd }.csvOnly,
        .shown("MAE (mg/week)") { "\(Format.f1($0.mae.mean)) ± \(Format.f1($0.mae.sd))" },
        .number("within_20_percent_mean", decimals: 4) { $0.within20.mean }.csvOnly,
        .number("within_20_percent_sd", decimals: 4) { $0.within20.sd }.csvOnly,
        .shown("within 20 %") { "\(Format.pct($0.within20.mean)) ± \(Format.pct($0.within20.sd))" },
        .number("trimmed_directions_mean", decimals: 2, title: "trimmed directions") { $0.trimmed },
    ])

    /// priors.csv: every prior's probability of each genotype, one row per genotype.
    static let priors = ResultTable<(row: PriorRow, genotype: String, probability: Double)>([
        .text("target") { $0.row.target.rawValue }, .text("prior") { $0.row.prior.rawValue }, .text("group") { $0.row.group },
        .int("patients") { $0.row.patients }, .text("genotype") { $0.genotype },
        .number("probability", decimals: 4) { $0.probability },
    ])

    /// The rows of priors.csv: each prior distribution spelled out per genotype.
    static func priorRows(_ priors: [PriorRow]) -> [(row: PriorRow, genotype: String, probability: Double)] {
        priors.flatMap { p in zip(p.target.values, p.probabilities).map { (row: p, genotype: $0, probability: $1) } }
    }

    /// The priors as the console and the report show them: one line per distribution (the uniform prior left out).
    static let priorSummary = ResultTable<PriorRow>([
        .text("target") { $0.target.rawValue }, .text("group") { $0.group }, .int("patients") { $0.patients },
        .shown("genotype frequencies") { $0.text },
    ])

    /// splits.csv: each method's accuracy on each redrawn split.
    static let splits = ResultTable<SplitRepeat>([
        .int("split") { $0.split }, .text("target") { $0.target.rawValue }, .text("method") { $0.method.description },
        .number("training_accuracy", decimals: 4) { $0.training }, .number("held_out_accuracy", decimals: 4) { $0.heldOut },
    ])

    /// paired.csv: each method over the redrawn splits, paired with the ideal classifier and with the other cohort.
    static let paired = ResultTable<PairedSummary>([
        .text("target") { $0.target.rawValue }, .text("method") { $0.method.description }, .text("cohort") { $0.cohort.rawValue },
        .int("splits") { $0.splits },
        .number("accuracy_mean", decimals: 4) { $0.accuracy.mean }, .number("accuracy_sd", decimals: 4) { $0.accuracy.sd },
        .number("gap_to_ideal_mean", decimals: 4) { $0.gapToIdeal.mean }, .number("gap_to_ideal_sd", decimals: 4) { $0.gapToIdeal.sd },
        .number("training_minus_held_out_mean", decimals: 4) { $0.trainingMinusHeldOut.mean },
        .number("training_minus_held_out_sd", decimals: 4) { $0.trainingMinusHeldOut.sd },
    ])

    /// The paired summaries as the console and the report show them: a method's training row beside its held-out one.
    static let pairedSummary = ResultTable<(training: PairedSummary, heldOut: PairedSummary?)>([
        .text("target") { $0.training.target.rawValue }, .text("method") { $0.training.method.description },
        .shown("training") { Format.pctSpread($0.training.accuracy) },
        .shown("held out") { $0.heldOut.map { Format.pctSpread($0.accuracy) } ?? "" },
        .shown("ideal minus method (training)") { Format.pointsSpread($0.training.gapToIdeal) },
        .shown("training minus held out") { Format.pointsSpread($0.training.trainingMinusHeldOut) },
    ])

    /// The rows of the paired summary: every method but the paper's attacker (the same as the marginal prior's).
    static func pairedRows(_ r: [PairedSummary]) -> [(training: PairedSummary, heldOut: PairedSummary?)] {
        r.filter { $0.cohort == .training && $0.method != .modelInversion }.map { p in
            (p, r.first { $0.target == p.target && $0.method == p.method && $0.cohort == .heldOut })
        }
    }

    /// ideal_fit.csv: the ideal classifier (with the dose) under other penalties and stopping rules.
    static let idealFit = ResultTable<IdealFitRow>([
        .text("target") { $0.target.rawValue }, .text("solver") { $0.solver.rawValue },
        .text("l2", title: "L2") { String(format: "%g", $0.l2) }, .text("stopping") { $0.stopping.description },
        .int("iterations", title: "steps") { $0.fit.iterations },
        .number("training_accuracy", decimals: 4, title: "training", shown: Format.pct) { $0.trainingAccuracy },
        .number("held_out_accuracy", decimals: 4, title: "held out", shown: Format.pct) { $0.heldOutAccuracy },
        .number("training_cross_entropy", decimals: 6, title: "cross-entropy", shown: Format.f4) { $0.fit.crossEntropy },
        .text("largest_gradient", title: "largest gradient") { Format.e2($0.fit.largestGradient) },
        .text("run_setting", title: "the run's setting") { $0.isDefault ? "yes" : "no" },
    ])

    /// privacy_trials.csv: every trial of the functional mechanism.
    static let privacyTrials = ResultTable<PrivacyTrial>([
        .custom("epsilon", field: { epsilonField($0.epsilon) }, shown: { $0.epsilon.map { String(format: "%g", $0) } ?? "none" }),
        .int("trial") { $0.trial }, .number("vkorc1_accuracy", decimals: 4) { $0.vkorc1 },
        .number("cyp2c9_accuracy", decimals: 4) { $0.cyp2c9 }, .number("mae_mg_per_week", decimals: 3) { $0.mae },
        .number("within_20_percent", decimals: 4) { $0.within20 }, .int("trimmed_directions") { $0.trimmed },
    ])

    /// The epsilon column: the budget, or `non_private` for the model fitted without noise.
    static func epsilonField(_ epsilon: Double?) -> CSVField {
        .text(epsilon.map { String(format: "%g", $0) } ?? "non_private")
    }
}
