// One split can only say what it says within its sampling error, so the split is redrawn: each
// repeat refits the model and the ideal classifiers and runs every method on both cohorts. Gaps
// between methods are then paired (the same split, the same patients) and summarised as mean ± sd.

import Datasets
import Foundation
import Learning
import MLCore
import Privacy
import Reporting

/// A seeded split of the cohort into the model's training patients and held-out patients.
func splitCohort(_ patients: [WarfarinPatient], heldOut share: Double, using rng: inout SeededGenerator)
    -> (training: [WarfarinPatient], heldOut: [WarfarinPatient])
{
    let order = rng.permutation(patients.count)
    let nHeld = Int((Double(order.count) * share).rounded())
    return (order.dropFirst(nHeld).map { patients[$0] }, order.prefix(nHeld).map { patients[$0] })
}

/// One method's accuracy on both cohorts of one redrawn split.
struct SplitRepeat {
    let split: Int
    let target: GenotypeTarget
    let method: AttackMethod
    let training: Double
    let heldOut: Double

    /// The accuracy on `cohort`.
    func accuracy(_ cohort: Cohort) -> Double { cohort == .training ? training : heldOut }

    /// `count` redrawn splits, each with a refitted model and ideal classifiers; split k uses stream k of `start`.
    static func run(
        _ patients: [WarfarinPatient], heldOut share: Double, count: Int, ideal: IdealClassifier, using start: SeededGenerator
    ) throws -> [SplitRepeat] {
        var perSplit = [[SplitRepeat]](repeating: [], count: count)
        let lock = NSLock()
        let bar = Progress("redrawn splits", total: count, unit: "splits")
        // Splits are independent (each has its own stream), so they run one per core; the order of the
        // output does not depend on which finished first.
        let finished: (Int) -> Void = { bar.update($0) }
        try Parallel.run(count, finished: finished) { j in
            let k = j + 1
            var rng = start.derived(UInt64(k))
            let (training, heldOut) = splitCohort(patients, heldOut: share, using: &rng)
            let x = IWPCDosing.design(training)
            let y = IWPCDosing.target(training)
            let model = try LinearRegression.fit(x: x, y: y, columnNames: IWPCDosing.columnNames)
            let sigma = model.residualStandardDeviation(x: x, y: y)
            var rows: [SplitRepeat] = []
            for s in SplitTargets.all(training: training, heldOut: heldOut) {
                let results = try attackAll(s, model: model, sigma: sigma, ideal: ideal)
                for method in AttackMethod.all {
                    let accuracy = { (cohort: Cohort) in
                        results.first { $0.cohort == cohort && $0.method == method }?.score.accuracy ?? .nan
                    }
                    rows.append(
                        SplitRepeat(
                            split: k, target: s.target, method: method, training: accuracy(.training), heldOut: accuracy(.heldOut))
                    )
                }
            }
            lock.lock()
            perSplit[j] = rows
            lock.unlock()
        }
        bar.finish()
        return perSplit.flatMap { $0 }
    }
}

/// A method's accuracy over the redrawn splits, paired with the ideal classifier's on the same split and cohort.
struct PairedSummary {
    let target: GenotypeTarget
    let method: AttackMethod
    let cohort: Cohort
    let splits: Int
    let accuracy: (mean: Double, sd: Double)
    /// ideal minus this method, per split (positive: the method falls short of the ideal).
    let gapToIdeal: (mean: Double, sd: Double)
    /// This method's training minus held-out accuracy, per split.
    let trainingMinusHeldOut: (mean: Double, sd: Double)

    /// Every method of every target on both cohorts.
    static func all(_ repeats: [SplitRepeat]) -> [PairedSummary] {
        GenotypeTarget.allCases.flatMap { target in
            let mine = repeats.filter { $0.target == target }
            return AttackMethod.all.flatMap { method in
                let rows = mine.filter { $0.method == method }
                return Cohort.allCases.map { cohort in
                    PairedSummary(
                        target: target, method: method, cohort: cohort, splits: rows.count,
                        accuracy: Statistics.meanAndSpread(rows.map { $0.accuracy(cohort) }),
                        gapToIdeal: difference(mine, target, .ideal(.full), method, cohort),
                        trainingMinusHeldOut: Statistics.meanAndSpread(rows.map { $0.training - $0.heldOut }))
                }
            }
        }
    }

    /// `a` minus `b` on `target` in `cohort`, paired by split: mean and spread over the splits.
    static func difference(_ repeats: [SplitRepeat], _ target: GenotypeTarget, _ a: AttackMethod, _ b: AttackMethod, _ cohort: Cohort)
        -> (mean: Double, sd: Double)
    {
        let rows = repeats.filter { $0.target == target }
        let other = Dictionary(uniqueKeysWithValues: rows.filter { $0.method == b }.map { ($0.split, $0.accuracy(cohort)) })
        return Statistics.meanAndSpread(rows.filter { $0.method == a }.map { $0.accuracy(cohort) - (other[$0.split] ?? .nan) })
    }

    /// Whether a paired mean differs from zero by more than two standard errors.
    static func significant(_ x: (mean: Double, sd: Double), _ n: Int) -> Bool {
        abs(x.mean) > 2 * x.sd / Double(max(n, 1)).squareRoot()
    }
}
