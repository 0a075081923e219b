// report.md: the paper's claims beside our numbers, each with a verdict computed from the run.

import Datasets
import ExperimentKit
import Foundation
import Learning
import MLCore
import Privacy
import Reporting

enum Report {
    /// Two binomial standard errors of an accuracy near p on n patients: differences below it are noise.
    static func twoSE(_ p: Double, _ n: Int) -> Double { 2 * (p * (1 - p) / Double(max(n, 1))).squareRoot() }

    /// The paper's claims beside this run's numbers, with verdicts computed from the run.
    static func claims(_ r: Results) -> [Claim] {
        let vMI = r.accuracy(.vkorc1, "training", "model_inversion")
        let vBase = r.accuracy(.vkorc1, "training", "baseline")
        let vIdeal = r.accuracy(.vkorc1, "training", "ideal")
        let cMI = r.accuracy(.cyp2c9, "training", "model_inversion")
        let cBase = r.accuracy(.cyp2c9, "training", "baseline")
        let cIdeal = r.accuracy(.cyp2c9, "training", "ideal")
        let vNoise = twoSE(vMI, r.scored(.vkorc1, "training"))
        let cNoise = twoSE(cMI, r.scored(.cyp2c9, "training"))
        var claims: [Claim] = [
            Claim(
                "VKORC1: model inversion well above the baseline",
                measured: "MI \(Format.pct(vMI)) vs baseline \(Format.pct(vBase)) (training patients)",
                verdict: vMI - vBase > vNoise ? "reproduced" : "not reproduced"),
            Claim(
                "VKORC1: model inversion close to the ideal classifier",
                measured: "MI \(Format.pct(vMI)) vs ideal \(Format.pct(vIdeal)): \(Format.f1(100 * (vIdeal - vMI))) points below",
                verdict: vIdeal - vMI <= 0.05 ? "reproduced" : "not reproduced"),
            Claim(
                "CYP2C9: model inversion barely above the baseline",
                measured: "MI \(Format.pct(cMI)) vs baseline \(Format.pct(cBase)), ideal \(Format.pct(cIdeal))",
                verdict: abs(cMI - cBase) <= cNoise ? "reproduced (no better than the baseline)" : "differs"),
        ]
        for t in GenotypeTarget.allCases {
            let reps = r.repeats.filter { $0.target == t }
            let gap = Statistics.meanAndSpread(reps.map { $0.training - $0.heldOut })
            let better = reps.filter { $0.training > $0.heldOut }.count
            claims.append(
                Claim(
                    "\(t.rawValue): inversion better on training patients than on held-out ones",
                    measured: "gap \(Format.pct(gap.mean)) ± \(Format.pct(gap.sd)) over \(reps.count) redrawn splits; training better in "
                        + "\(better) of \(reps.count)",
                    verdict: gap.mean > 2 * gap.sd / Double(reps.count).squareRoot()
                        ? "reproduced" : "not reproduced (an 18-coefficient linear model barely overfits \(r.training.count) patients)"))
        }
        let tightest = r.privacy.rows.filter { $0.epsilon != nil }.min { ($0.epsilon ?? 0) < ($1.epsilon ?? 0) }
        if let p = tightest, let np = r.privacy.rows.first(where: { $0.epsilon == nil }) {
            let atBaseline = abs(p.vkorc1.mean - vBase) <= max(vNoise, 2 * p.vkorc1.sd / Double(p.trials).squareRoot())
            claims.append(
                Claim(
                    "Small epsilon brings the attack to the baseline ...",
                    measured: "epsilon \(p.label): VKORC1 \(Format.pct(p.vkorc1.mean)) ± \(Format.pct(p.vkorc1.sd)) vs baseline "
                        + "\(Format.pct(vBase)), non-private \(Format.pct(np.vkorc1.mean))",
                    verdict: atBaseline ? "reproduced" : "close to the baseline, not at it"))
            claims.append(
                Claim(
                    "... at a cost in dosing",
                    measured: "within 20 %: \(Format.pct(p.within20.mean)) vs \(Format.pct(np.within20.mean)) non-private; MAE "
                        + "\(Format.f1(p.mae.mean)) vs \(Format.f1(np.mae.mean)) mg/week",
                    verdict: p.within20.mean < np.within20.mean ? "reproduced" : "not reproduced"))
        }
        return claims
    }

    /// One sentence with the run's headline numbers.
    static func headline(_ r: Results) -> String {
        "VKORC1 model inversion \(Format.pct(r.accuracy(.vkorc1, "training", "model_inversion"))) against a baseline of "
            + "\(Format.pct(r.accuracy(.vkorc1, "training", "baseline"))) and an ideal classifier's "
            + "\(Format.pct(r.accuracy(.vkorc1, "training", "ideal"))) on the training cohort; CYP2C9 "
            + "\(Format.pct(r.accuracy(.cyp2c9, "training", "model_inversion"))) against a baseline of "
            + "\(Format.pct(r.accuracy(.cyp2c9, "training", "baseline")))."
    }

    static func render(_ r: Results, run: ExperimentRun) -> String {
        var md = MarkdownReport()
        md.heading("Fredrikson et al. 2014, genotype inference from the IWPC warfarin model", level: 1)
        md.paragraph(
            "Run with \(run.description); \(r.cohort.rowsRead) rows read, \(r.cohort.patients.count) usable patients, "
                + "\(r.training.count) in the model's training cohort and \(r.heldOut.count) held out; \(r.trials) private fits per "
                + "epsilon; \(r.splits) redrawn splits. Every setting is in config.csv, wall-clock times in timings.csv.")
        md.heading("The paper's claims beside ours")
        md.claims(run.claims, paper: Published.Fredrikson2014.citation)
        md.paragraph(
            "Verdicts are computed from this run: a difference counts when it exceeds two standard errors (binomial for one "
                + "cohort, over splits or trials otherwise); \"close to ideal\" means within 5 points.")

        md.heading("Data cleaning")
        md.table(
            ["step", "rows", "remaining", "rule"],
            r.cohort.steps.map { [$0.action.rawValue, String($0.rows), String($0.remaining), $0.reason] })
        md.paragraph(
            "Missing medications count as \"not taken\" in the covariates, as in the IWPC algorithm; missing genotypes are the "
                + "\"unknown\" category. The IWPC imputed some VKORC1 -1639 genotypes from linked SNPs; this run does not, so \"unknown\" "
                + "stays as recorded.")

        md.heading("Dosing model")
        md.paragraph(
            "Least squares (LAPACK dgelsd) of sqrt(weekly dose) on the IWPC covariates, beside the published IWPC 2009 algorithm. "
                + "Residual standard deviation \(Format.f3(Double(r.sigma))) sqrt(mg/week).")
        md.table(
            ["coefficient", "fitted here", "IWPC 2009"],
            coefficientRows(r.model).map {
                [$0.name, Format.f4(Double($0.fitted)), Format.f4(Double($0.published))]
            })
        md.table(
            ["model", "patients", "R^2 (sqrt dose)", "MAE (mg/week)", "within 20 % of stable dose"],
            r.utility.map {
                [$0.model, $0.patients, Format.f3($0.metrics.r2), Format.f2($0.metrics.maeMg), Format.pct($0.metrics.within20)]
            })

        md.heading("Model inversion")
        md.table(
            ["target", "cohort", "method", "accuracy", "AUC", "patients"],
            r.attacks.map {
                [$0.target.rawValue, $0.cohort, $0.method, Format.pct($0.score.accuracy), Format.f3($0.score.auc), String($0.score.count)]
            })

        md.heading("Differential privacy (functional mechanism)")
        md.image("privacy.png", alt: "attack accuracy and dosing utility against epsilon")
        md.table(
            ["epsilon", "trials", "VKORC1 accuracy", "CYP2C9 accuracy", "MAE (mg/week)", "within 20 %", "trimmed directions"],
            r.privacy.rows.map {
                [
                    $0.label, String($0.trials), "\(Format.pct($0.vkorc1.mean)) ± \(Format.pct($0.vkorc1.sd))",
                    "\(Format.pct($0.cyp2c9.mean)) ± \(Format.pct($0.cyp2c9.sd))", "\(Format.f1($0.mae.mean)) ± \(Format.f1($0.mae.sd))",
                    "\(Format.pct($0.within20.mean)) ± \(Format.pct($0.within20.sd))", Format.f2($0.trimmed),
                ]
            })
        md.paragraph(
            "Mean ± standard deviation over the trials. The attack runs on the training patients (the ones the budget "
                + "protects), dosing is measured on the held-out ones. Covariates and the target are scaled into [-1, 1] with bounds fixed "
                + "in advance (age 0-9 decades, height 100-220 cm, weight 20-250 kg, sqrt dose 0-20), so the L1 sensitivity is "
                + "2 (d + 1)^2 = \(Format.f1(FunctionalMechanism.sensitivity(dimension: IWPCDosing.columnNames.count + 1))) for d = "
                + "\(IWPCDosing.columnNames.count + 1) weights (intercept included).")

        md.heading("Deviations and choices")
        md.bullets([
            "The attacker's prior is the genotype marginals of the training cohort; its sigma is the served model's residual standard "
                + "deviation on the training cohort (for private models too: the model's stated error is assumed published).",
            "Like the paper's estimator, which takes every attribute but the target as known, the attacker inverting one genotype "
                + "knows the patient's other genotype as recorded (\"unknown\" where it was not measured); patients whose target "
                + "genotype was not measured are not scored.",
            "The ideal classifier is multinomial logistic regression on every covariate except the target genotype, plus sqrt(dose).",
            "Private predictions are clipped to the target's public range (0-400 mg/week); spectral trimming (Zhang et al. 5.2) "
                + "without their regularisation. Private histograms (the paper's second mechanism) are not implemented.",
            "Patients without a stable dose, or missing age, height or weight, are left out (table above): the algorithm needs all "
                + "three covariates. The IWPC chose its derivation cohort by its own rules; this cohort is not claimed to be theirs.",
        ])
        return md.text
    }
}
