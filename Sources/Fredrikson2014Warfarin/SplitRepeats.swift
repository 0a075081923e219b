// Is inversion better on the patients the model was fitted on? One split can only say so within
// its sampling error, so the split is redrawn: each repeat refits the model and attacks both cohorts.

import Datasets
import Foundation
import Learning
import MLCore
import Privacy

/// A seeded split of the cohort into the model's training patients and held-out patients.
func splitCohort(_ patients: [WarfarinPatient], heldOut share: Double, using rng: inout SeededGenerator)
    -> (training: [WarfarinPatient], heldOut: [WarfarinPatient])
{
    let order = rng.permutation(patients.count)
    let nHeld = Int((Double(order.count) * share).rounded())
    return (order.dropFirst(nHeld).map { patients[$0] }, order.prefix(nHeld).map { patients[$0] })
}

/// Inversion accuracy on both cohorts for one redrawn split and one genotype.
struct SplitRepeat {
    let split: Int
    let target: GenotypeTarget
    let training: Double
    let heldOut: Double

    /// `count` redrawn splits, each with a refitted model; split k uses stream k of `start`.
    static func run(_ patients: [WarfarinPatient], heldOut share: Double, count: Int, using start: SeededGenerator) throws -> [SplitRepeat]
    {
        var out: [SplitRepeat] = []
        for k in 1...count {
            var rng = start.derived(UInt64(k))
            let (training, heldOut) = splitCohort(patients, heldOut: share, using: &rng)
            let x = IWPCDosing.design(training)
            let y = IWPCDosing.target(training)
            let model = try LinearRegression.fit(x: x, y: y, columnNames: IWPCDosing.columnNames)
            let sigma = model.residualStandardDeviation(x: x, y: y)
            for target in GenotypeTarget.allCases {
                let prior = target.marginals(training)
                let a = try invert(model, targets: Targets(target, training), prior: prior, sigma: sigma)
                let b = try invert(model, targets: Targets(target, heldOut), prior: prior, sigma: sigma)
                out.append(SplitRepeat(split: k, target: target, training: a.score.accuracy, heldOut: b.score.accuracy))
            }
        }
        return out
    }
}
