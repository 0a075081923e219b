import Foundation
import Learning
import MLCore

/// Fredrikson et al.'s "ideal" reference: no model inversion, but a classifier trained on the
/// training cohort itself to predict the sensitive value from the other attributes (by default
/// with the dose). It shows how much of the value those attributes carry at all.
///
/// The learner is multinomial logistic regression on standardised features, fitted to the optimum
/// of a stated objective: mean cross-entropy + l2 / 2 * ||theta||^2 over every coefficient
/// (intercepts included), by Newton's method until the largest gradient entry is below a
/// tolerance. The answer then depends on `l2` alone, not on a step size, an epoch count or a seed;
/// mini-batch Adam for a fixed number of epochs is kept as a solver to show what stopping early does.
///
/// Reference: Fredrikson et al., USENIX Security 2014, section 4.2 ("ideal" predictor).
///
/// Deviations:
/// - The paper does not fix the learner; logistic regression suits the few, mostly binary
///   attributes, and its optimum is reproducible to the last digit.
public struct IdealClassifier: Sendable {
    /// How the objective is minimised.
    public enum Solver: Sendable, Equatable {
        /// Newton's method on the whole cohort with a backtracking line search, stopping when the
        /// largest gradient entry falls below `tolerance` or after `maxIterations` steps.
        case newton(tolerance: Double, maxIterations: Int)
        /// Mini-batch Adam (batches of 64) from zero for a fixed number of epochs, no other stopping rule;
        /// its L2 leaves the intercepts free (the trainer's convention).
        case adam(epochs: Int, learningRate: Float, seed: UInt64)

        /// Newton to a gradient below `IdealClassifier.tolerance` (at most 100 steps; 5 to 10 are typical).
        public static let converged = Solver.newton(tolerance: IdealClassifier.tolerance, maxIterations: 100)
    }

    /// The largest gradient entry at which the default solver calls the fit converged.
    public static let tolerance = 1e-9

    /// The L2 penalty's weight in the objective.
    public var l2: Double = 1e-4
    /// The solver.
    public var solver: Solver = .converged

    /// The defaults: l2 1e-4, Newton to convergence.
    public init() {}

    /// A classifier with this penalty and solver.
    public init(l2: Double, solver: Solver = .converged) {
        self.l2 = l2
        self.solver = solver
    }

    /// Trains on `x` (one row per patient) and the sensitive values `labels` in 0..<classCount; bad data or settings
    /// are errors that say what is wrong.
    public func fit(x: Matrix, labels: [Int], classCount: Int) throws -> FittedIdealClassifier {
        var mean = [Float](repeating: 0, count: x.cols)
        var scale = [Float](repeating: 1, count: x.cols)
        for c in 0..<x.cols {
            let column = (0..<x.rows).map { x[$0, c] }
            mean[c] = Statistics.mean(column)
            let s = Statistics.standardDeviation(column)
            scale[c] = s > 0 ? s : 1
        }
        let z = FittedIdealClassifier.standardize(x, mean: mean, scale: scale)
        let fitted: FittedLogisticRegression
        do {
            switch solver {
            case .newton(let tolerance, let maxIterations):
                fitted = try LogisticRegression(l2: l2, tolerance: tolerance, maxIterations: maxIterations)
                    .fit(x: z, labels: labels, classCount: classCount)
            case .adam(let epochs, let learningRate, let seed):
                var rng = SeededGenerator(seed: seed)
                let settings = TrainingSettings(epochs: epochs, batchSize: 64, learningRate: learningRate, l2: Float(l2), optimizer: .adam)
                let adam = try Trainer(settings).fit(
                    .softmaxRegression(inputs: x.cols, classes: classCount), x: z, labels: labels, using: &rng)
                fitted = try LogisticRegression(l2: l2).assess(adam, x: z, labels: labels, classCount: classCount, iterations: epochs)
            }
        } catch let e as TrainingError {
            throw AttackError(description: "ideal classifier: \(e)")
        }
        return FittedIdealClassifier(network: fitted.classifier, mean: mean, scale: scale, fit: fitted.fit)
    }
}

/// How a fit ended (Newton steps or Adam epochs, cross-entropy, objective, largest gradient entry).
public typealias IdealFit = LogisticFit

/// A trained ideal classifier with its feature standardisation.
public struct FittedIdealClassifier: Sendable {
    /// Softmax regression on standardised features.
    public let network: NeuralClassifier
    /// Per-column means of the training features.
    public let mean: [Float]
    /// Per-column standard deviations (1 for constant columns).
    public let scale: [Float]
    /// How the fit ended.
    public let fit: IdealFit

    static func standardize(_ x: Matrix, mean: [Float], scale: [Float]) -> Matrix {
        var z = x
        for r in 0..<x.rows {
            for c in 0..<x.cols { z[r, c] = (x[r, c] - mean[c]) / scale[c] }
        }
        return z
    }

    /// Class probabilities for each row, as an inference.
    public func run(_ x: Matrix) -> AttributeInference {
        let p = network.probabilities(FittedIdealClassifier.standardize(x, mean: mean, scale: scale))
        return AttributeInference(posteriors: (0..<p.rows).map { r in p.row(r).map(Double.init) })
    }
}
