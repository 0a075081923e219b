// The functional mechanism at each privacy budget: seeded trials of a private fit, each scored by
// the inversion attack on the training patients and by dosing on the held-out ones.

import Datasets
import Foundation
import Learning
import MLCore
import Privacy
import Reporting

/// One private fit and what it gave away and how well it doses.
struct PrivacyTrial {
    let epsilon: Double?
    let trial: Int
    let vkorc1: Double
    let cyp2c9: Double
    let mae: Double
    let within20: Double
    let trimmed: Int
}

/// Mean and spread over the trials of one budget (`epsilon` nil for the non-private model).
struct PrivacyRow {
    let epsilon: Double?
    let trials: Int
    let vkorc1: (mean: Double, sd: Double)
    let cyp2c9: (mean: Double, sd: Double)
    let mae: (mean: Double, sd: Double)
    let within20: (mean: Double, sd: Double)
    let trimmed: Double

    var label: String { epsilon.map { String(format: "%g", $0) } ?? "non-private" }

    init(epsilon: Double?, _ t: [PrivacyTrial]) {
        self.epsilon = epsilon
        trials = t.count
        vkorc1 = Statistics.meanAndSpread(t.map(\.vkorc1))
        cyp2c9 = Statistics.meanAndSpread(t.map(\.cyp2c9))
        mae = Statistics.meanAndSpread(t.map(\.mae))
        within20 = Statistics.meanAndSpread(t.map(\.within20))
        trimmed = Double(t.map(\.trimmed).reduce(0, +)) / Double(max(t.count, 1))
    }
}

/// Every trial and the per-budget summary, with the baselines the figure marks.
struct PrivacySweep {
    let trials: [PrivacyTrial]
    let rows: [PrivacyRow]
    let baseline: [GenotypeTarget: Double]

    static func run(
        epsilons: [Double], trials: Int, training: [WarfarinPatient], heldOut: [WarfarinPatient],
        nonPrivate: LinearRegression, sigma: Float, using start: SeededGenerator
    ) throws -> PrivacySweep {
        let x = IWPCDosing.design(training)
        let y = IWPCDosing.target(training)
        let targets = GenotypeTarget.allCases.map { Targets($0, training) }
        let xHeld = IWPCDosing.design(heldOut)
        let yHeld = IWPCDosing.target(heldOut)
        let priors = try zip(GenotypeTarget.allCases, targets).map { try $0.prior(.marginal, $1) }
        var baseline: [GenotypeTarget: Double] = [:]
        for (k, t) in GenotypeTarget.allCases.enumerated() {
            baseline[t] =
                AttributeScore(
                    MostFrequentValue(prior: priors[k].distributions[0]).run(count: targets[k].truth.count), truth: targets[k].truth
                ).accuracy
        }

        func score(_ model: LinearRegression, epsilon: Double?, trial: Int, trimmed: Int, sigma: Float) throws -> PrivacyTrial {
            let acc = try targets.indices.map { try invert(model, targets: targets[$0], prior: priors[$0], sigma: sigma).score.accuracy }
            let dosing = DosingMetrics(predictedSqrt: model.predict(xHeld), actualSqrt: yHeld)
            return PrivacyTrial(
                epsilon: epsilon, trial: trial, vkorc1: acc[0], cyp2c9: acc[1], mae: dosing.maeMg,
                within20: dosing.within20, trimmed: trimmed)
        }

        var all: [PrivacyTrial] = [try score(nonPrivate, epsilon: nil, trial: 0, trimmed: 0, sigma: sigma)]
        var rows = [PrivacyRow(epsilon: nil, all)]
        let bar = Progress("functional mechanism", total: epsilons.count * trials, unit: "fits")
        for (e, epsilon) in epsilons.enumerated() {
            let mechanism = FunctionalMechanism(epsilon: epsilon)
            var these: [PrivacyTrial] = []
            for trial in 1...trials {
                // One stream per (budget, trial): adding budgets or trials leaves the others unchanged.
                var rng = start.derived(UInt64(e) << 32 | UInt64(trial))
                let fit = try mechanism.fit(
                    x: x, y: y, bounds: IWPCDosing.publicBounds, targetBounds: IWPCDosing.publicTargetBounds,
                    using: &rng)
                // The attacker reads the served model's stated error: its residual spread on the training cohort.
                let s = fit.model.residualStandardDeviation(x: x, y: y)
                these.append(try score(fit.model, epsilon: epsilon, trial: trial, trimmed: fit.trimmedDirections, sigma: s))
                bar.update(e * trials + trial)
            }
            all += these
            rows.append(PrivacyRow(epsilon: epsilon, these))
        }
        bar.finish()
        return PrivacySweep(trials: all, rows: rows, baseline: baseline)
    }
}
