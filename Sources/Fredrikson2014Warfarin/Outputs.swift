// Everything the run writes to out/Fredrikson2014Warfarin/: CSV tables with fixed headers, the
// privacy figure, and report.md with the paper's claims beside our numbers.

import Datasets
import Foundation
import Learning
import MLCore
import Privacy
import Reporting

enum Outputs {
    static func write(
        to dir: RunDirectory, options o: Fredrikson2014Warfarin, trials: Int, idealEpochs: Int, splits: Int, cohort: IWPCCohort,
        training: [WarfarinPatient], heldOut: [WarfarinPatient], model: LinearRegression, sigma: Float,
        utility: [(String, String, DosingMetrics)], results: [AttackResult], repeats: [SplitRepeat], privacy: PrivacySweep,
        seconds: Double
    ) throws {
        var config = CSVTable(header: ["key", "value"])
        let entries: [(String, String)] = [
            ("experiment", "Fredrikson2014Warfarin"), ("seed", String(o.seed)), ("quick", String(o.quick)),
            ("held_out", String(o.heldOut)), ("epsilons", o.epsilons.sorted().map { String(format: "%g", $0) }.joined(separator: " ")),
            ("trials", String(trials)), ("splits", String(splits)), ("ideal_epochs", String(idealEpochs)),
            ("ideal_learner", "softmax regression, Adam \(IdealClassifier().learningRate), L2 \(IdealClassifier().l2)"),
            ("target", "sqrt(weekly dose mg)"), ("attacker_prior", "genotype marginals of the training cohort"),
            ("attacker_sigma", "residual standard deviation of the served model on the training cohort"),
            ("dataset", Catalog.iwpcWarfarin.name), ("dataset_file", IWPCWarfarin.fileName),
            ("dataset_sha256", Catalog.iwpcWarfarin.files[0].sha256),
            ("rows_read", String(cohort.rowsRead)), ("patients", String(cohort.patients.count)),
            ("training_patients", String(training.count)), ("held_out_patients", String(heldOut.count)),
        ]
        for (k, v) in entries { config.append([.text(k), .text(v)]) }
        try dir.write(config, to: "config.csv")

        var cleaning = CSVTable(header: ["action", "rule", "rows", "remaining"])
        for s in cohort.steps { cleaning.append([.text(s.action.rawValue), .text(s.reason), .int(s.rows), .int(s.remaining)]) }
        try dir.write(cleaning, to: "cleaning.csv")

        var coefficients = CSVTable(header: ["coefficient", "fitted", "published_iwpc"])
        for c in coefficientRows(model) {
            coefficients.append([.text(c.name), .number(Double(c.fitted), decimals: 4), .number(Double(c.published), decimals: 4)])
        }
        try dir.write(coefficients, to: "coefficients.csv")

        var dosing = CSVTable(header: ["model", "patients", "n", "r2_sqrt_dose", "mae_mg_per_week", "within_20_percent"])
        for (name, cohortName, m) in utility {
            let n = cohortName == "training" ? training.count : heldOut.count
            dosing.append([
                .text(name), .text(cohortName), .int(n), .number(m.r2, decimals: 4), .number(m.maeMg, decimals: 3),
                .number(m.within20, decimals: 4),
            ])
        }
        try dir.write(dosing, to: "dosing.csv")

        var attacks = CSVTable(header: ["target", "cohort", "method", "accuracy", "auc", "n"])
        for r in results {
            attacks.append([
                .text(r.target.rawValue), .text(r.cohort), .text(r.method), .number(r.score.accuracy, decimals: 4),
                .number(r.score.auc, decimals: 4), .int(r.score.count),
            ])
        }
        try dir.write(attacks, to: "attacks.csv")

        var splitTable = CSVTable(header: ["split", "target", "training_accuracy", "held_out_accuracy"])
        for r in repeats {
            splitTable.append([.int(r.split), .text(r.target.rawValue), .number(r.training, decimals: 4), .number(r.heldOut, decimals: 4)])
        }
        try dir.write(splitTable, to: "splits.csv")

        var table = CSVTable(header: [
            "epsilon", "trials", "vkorc1_accuracy_mean", "vkorc1_accuracy_sd", "cyp2c9_accuracy_mean",
            "cyp2c9_accuracy_sd", "mae_mg_per_week_mean", "mae_mg_per_week_sd", "within_20_percent_mean",
            "within_20_percent_sd", "trimmed_directions_mean",
        ])
        for r in privacy.rows {
            table.append([
                epsilonField(r.epsilon), .int(r.trials),
                .number(r.vkorc1.mean, decimals: 4), .number(r.vkorc1.sd, decimals: 4),
                .number(r.cyp2c9.mean, decimals: 4), .number(r.cyp2c9.sd, decimals: 4),
                .number(r.mae.mean, decimals: 3), .number(r.mae.sd, decimals: 3),
                .number(r.within20.mean, decimals: 4), .number(r.within20.sd, decimals: 4),
                .number(r.trimmed, decimals: 2),
            ])
        }
        try dir.write(table, to: "privacy.csv")

        var raw = CSVTable(header: [
            "epsilon", "trial", "vkorc1_accuracy", "cyp2c9_accuracy", "mae_mg_per_week", "within_20_percent",
            "trimmed_directions",
        ])
        for t in privacy.trials {
            raw.append([
                epsilonField(t.epsilon), .int(t.trial), .number(t.vkorc1, decimals: 4),
                .number(t.cyp2c9, decimals: 4), .number(t.mae, decimals: 3), .number(t.within20, decimals: 4), .int(t.trimmed),
            ])
        }
        try dir.write(raw, to: "privacy_trials.csv")
        try dir.write(privacyFigure(privacy), to: "privacy.png")
        try dir.write(
            Report.render(
                options: o, trials: trials, splits: splits, cohort: cohort, training: training, heldOut: heldOut,
                model: model, sigma: sigma, utility: utility, results: results, repeats: repeats, privacy: privacy,
                seconds: seconds), to: "report.md")
    }

    /// The epsilon column: the budget, or `non_private` for the model fitted without noise.
    static func epsilonField(_ epsilon: Double?) -> CSVField {
        .text(epsilon.map { String(format: "%g", $0) } ?? "non_private")
    }

    /// Attack accuracy and dosing utility against epsilon (log axis): mean and spread of the trials,
    /// with the baseline and the non-private model as dashed lines.
    static func privacyFigure(_ privacy: PrivacySweep) -> Image8 {
        let rows = privacy.rows.filter { $0.epsilon != nil }
        guard let nonPrivate = privacy.rows.first(where: { $0.epsilon == nil }) else { return Image8(width: 1, height: 1) }
        let eps = rows.compactMap(\.epsilon)
        func series(_ name: String, _ value: (PrivacyRow) -> (mean: Double, sd: Double), percent: Bool, color: Color) -> PlotSeries {
            let k = percent ? 100.0 : 1.0
            return PlotSeries(
                name, points: zip(eps, rows).map { ($0, k * value($1).mean) }, errors: rows.map { k * value($0).sd }, color: color)
        }
        let (blue, orange) = (Color.palette[0], Color.palette[1])
        // MAE is never negative: the axis starts at 0 even where mean - sd would not.
        let maeTop = 1.05 * (privacy.rows.map { $0.mae.mean + $0.mae.sd }.max() ?? 1)
        let attack = LinePlot(
            title: "Genotype inference (training patients)",
            x: Axis("epsilon", scale: .log10), y: Axis("attack accuracy (%)", range: 0...100),
            series: [
                series("VKORC1", { $0.vkorc1 }, percent: true, color: blue),
                series("CYP2C9", { $0.cyp2c9 }, percent: true, color: orange),
            ],
            references: [
                ReferenceLine("VKORC1 non-private", y: 100 * nonPrivate.vkorc1.mean, color: blue),
                ReferenceLine("VKORC1 baseline", y: 100 * (privacy.baseline[.vkorc1] ?? .nan), color: Color(80, 80, 80)),
                ReferenceLine("CYP2C9 non-private", y: 100 * nonPrivate.cyp2c9.mean, color: orange),
                ReferenceLine("CYP2C9 baseline", y: 100 * (privacy.baseline[.cyp2c9] ?? .nan), color: Color(160, 160, 160)),
            ],
            legend: .below)
        let within = LinePlot(
            title: "Dosing: within 20 % (held out)",
            x: Axis("epsilon", scale: .log10), y: Axis("patients within 20 % (%)", range: 0...100),
            series: [series("private model", { $0.within20 }, percent: true, color: Color.palette[2])],
            references: [ReferenceLine("non-private", y: 100 * nonPrivate.within20.mean)],
            legend: .below)
        let mae = LinePlot(
            title: "Dosing: mean absolute error",
            x: Axis("epsilon", scale: .log10), y: Axis("MAE (mg/week)", range: 0...maeTop),
            series: [series("private model", { $0.mae }, percent: false, color: Color.palette[3])],
            references: [ReferenceLine("non-private", y: nonPrivate.mae.mean)],
            legend: .below)
        return LinePlot.row([attack, within, mae], height: 520)
    }
}
