// Does the ideal classifier's accuracy depend on how it was fitted? The same features under other
// penalties, Newton stopped after a few steps, and mini-batch Adam stopped after a fixed number of
// epochs (the learner of earlier versions), each scored on both cohorts.

import Datasets
import Foundation
import MLCore
import Privacy
import Reporting

/// The solver of a fit, as the tables name it.
enum FitSolver: String {
    case newton, adam
}

/// When a fit stopped: converged, after N Newton steps, after N epochs.
enum FitStopping: Equatable, CustomStringConvertible {
    case converged
    case steps(Int)
    case epochs(Int)

    /// "converged", "1 step", "N steps", "N epochs".
    var description: String {
        switch self {
        case .converged: return "converged"
        case .steps(let n): return n == 1 ? "1 step" : "\(n) steps"
        case .epochs(let n): return "\(n) epochs"
        }
    }
}

/// One fit of the ideal classifier (with the dose) under one setting.
struct IdealFitRow {
    let target: GenotypeTarget
    let solver: FitSolver
    let l2: Double
    let stopping: FitStopping
    let trainingAccuracy: Double
    let heldOutAccuracy: Double
    let fit: IdealFit
    /// Whether this is the run's own setting.
    let isDefault: Bool

    /// Penalties tried with Newton to convergence (the run's own is added).
    static let penalties = [0, 1e-4, 1e-3, 1e-2, 1e-1, 1.0]
    /// Newton stopped early, and Adam's epoch counts (150 was the earlier default).
    static let newtonSteps = [1, 2, 3]
    static let adamEpochs = [10, 30, 150]

    static func run(_ splits: [SplitTargets], l2: Double, seed: UInt64) throws -> [IdealFitRow] {
        var rows: [IdealFitRow] = []
        for s in splits {
            let (target, t, h) = (s.target, s.training, s.heldOut)
            let (x, xHeld) = (target.idealFeatures(t.patients), target.idealFeatures(h.patients))
            var settings: [(FitSolver, FitStopping, IdealClassifier)] =
                Array(Set(penalties + [l2])).sorted().map { (.newton, .converged, IdealClassifier(l2: $0)) }
            settings += newtonSteps.map {
                (
                    .newton, .steps($0),
                    IdealClassifier(l2: l2, solver: .newton(tolerance: IdealClassifier.tolerance, maxIterations: $0))
                )
            }
            settings += adamEpochs.map {
                (.adam, .epochs($0), IdealClassifier(l2: l2, solver: .adam(epochs: $0, learningRate: 0.01, seed: seed)))
            }
            for (solver, stopping, classifier) in settings {
                let fitted = try classifier.fit(x: x, labels: t.truth, classCount: target.values.count)
                rows.append(
                    IdealFitRow(
                        target: target, solver: solver, l2: classifier.l2, stopping: stopping,
                        trainingAccuracy: AttributeScore(fitted.run(x), truth: t.truth).accuracy,
                        heldOutAccuracy: AttributeScore(fitted.run(xHeld), truth: h.truth).accuracy, fit: fitted.fit,
                        isDefault: solver == .newton && stopping == .converged && classifier.l2 == l2))
            }
        }
        return rows
    }
}
