// Everything the run writes to out/Fredrikson2014Warfarin/: CSV tables with fixed headers, the
// privacy figure, and report.md with the paper's claims beside our numbers.

import Datasets
import ExperimentKit
import Foundation
import Learning
import MLCore
import Privacy
import Reporting

enum Outputs {
    static func write(_ r: Results, to run: ExperimentRun) throws {
        try run.write(Tables.cleaning.csv(r.cohort.steps), to: "cleaning.csv")
        try run.write(Tables.coefficients.csv(coefficientRows(r.model)), to: "coefficients.csv")
        try run.write(Tables.dosing.csv(r.utility), to: "dosing.csv")
        try run.write(Tables.attacks.csv(r.attacks), to: "attacks.csv")

        try run.write(Tables.priors.csv(Tables.priorRows(r.priors)), to: "priors.csv")
        try run.write(Tables.splits.csv(r.repeats), to: "splits.csv")
        try run.write(Tables.paired.csv(r.paired), to: "paired.csv")
        try run.write(Tables.idealFit.csv(r.fits), to: "ideal_fit.csv")
        try run.write(priorsFigure(r), to: "priors.png")

        try run.write(Tables.privacy.csv(r.privacy.rows), to: "privacy.csv")

        try run.write(Tables.privacyTrials.csv(r.privacy.trials), to: "privacy_trials.csv")
        try run.write(privacyFigure(r.privacy), to: "privacy.png")
        try run.write(Report.render(r, run: run), to: "report.md")
    }

    /// VKORC1: every method's accuracy per cohort, on this run's split and as the mean over the redrawn
    /// splits, with the baseline and the ideal classifier as dashed lines.
    static func priorsFigure(_ r: Results) -> Image8 {
        let methods = [AttackMethod.baseline] + AttackerPrior.allCases.map(\.method) + IdealVariant.allCases.reversed().map { .ideal($0) }
        let labels = methods.map {
            $0.description.replacingOccurrences(of: "model_inversion_", with: "inversion, ").replacingOccurrences(of: "_", with: " ")
        }
        let charts = [(Cohort.training, "training patients"), (.heldOut, "held-out patients")].map { cohort, title in
            BarChart(
                title: "VKORC1, \(title)", categories: labels,
                series: [
                    ("this split", Color.palette[0], methods.map { r.accuracy(.vkorc1, cohort, $0) * 100 }),
                    (
                        "mean of \(r.splits) splits", Color.palette[1],
                        methods.map { (r.paired(.vkorc1, $0, cohort)?.accuracy.mean ?? .nan) * 100 }
                    ),
                ],
                axis: Axis("accuracy (%)", range: 0...100),
                references: [
                    ReferenceLine("baseline", y: 100 * r.accuracy(.vkorc1, cohort, .baseline), color: Color(80, 80, 80)),
                    ReferenceLine("ideal", y: 100 * r.accuracy(.vkorc1, cohort, .ideal(.full)), color: Color.palette[3]),
                ])
        }
        return BarChart.row(charts, width: 640)
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
