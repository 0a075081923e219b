// The result tables that the run prints, writes as CSV and puts in report.md, each declared once: its columns, their
// CSV names and formats, and how the console and the report show them.

import Datasets
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

    /// The epsilon column: the budget, or `non_private` for the model fitted without noise.
    static func epsilonField(_ epsilon: Double?) -> CSVField {
        .text(epsilon.map { String(format: "%g", $0) } ?? "non_private")
    }
}
