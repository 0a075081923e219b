import Learning
import MLCore

/// Fredrikson et al.'s "ideal" reference: no model inversion, but a classifier trained on the
/// training cohort itself to predict the sensitive value from everything else (the dose
/// included). It shows how much of the value the other attributes carry at all.
///
/// Reference: Fredrikson et al., USENIX Security 2014, section 4.2 ("ideal" predictor).
///
/// Deviations:
/// - The paper does not fix the learner; this is multinomial logistic regression on
///   standardised features (Adam, L2), which suits the few, mostly binary attributes.
public struct IdealClassifier: Sendable {
    /// Training epochs.
    public var epochs = 150
    /// Adam step size.
    public var learningRate: Float = 0.01
    /// L2 weight decay.
    public var l2: Float = 1e-4

    /// The default settings.
    public init() {}

    /// Trains on `x` (one row per patient) and the sensitive values `labels` in 0..<classCount.
    public func fit(x: Matrix, labels: [Int], classCount: Int, using rng: inout SeededGenerator) throws -> FittedIdealClassifier {
        guard x.rows == labels.count, x.rows > 0 else {
            throw AttackError(description: "ideal classifier: \(x.rows) rows for \(labels.count) labels")
        }
        guard x.isFinite else { throw AttackError(description: "ideal classifier: the features hold NaN or infinity") }
        var mean = [Float](repeating: 0, count: x.cols)
        var scale = [Float](repeating: 1, count: x.cols)
        for c in 0..<x.cols {
            let column = (0..<x.rows).map { x[$0, c] }
            mean[c] = Statistics.mean(column)
            let s = Statistics.standardDeviation(column)
            scale[c] = s > 0 ? s : 1
        }
        let fitted = FittedIdealClassifier(network: .softmaxRegression(inputs: x.cols, classes: classCount), mean: mean, scale: scale)
        let trainer = Trainer(TrainingSettings(epochs: epochs, batchSize: 64, learningRate: learningRate, l2: l2, optimizer: .adam))
        let network = try trainer.fit(fitted.network, x: fitted.standardize(x), labels: labels, using: &rng)
        return FittedIdealClassifier(network: network, mean: mean, scale: scale)
    }
}

/// A trained ideal classifier with its feature standardisation.
public struct FittedIdealClassifier: Sendable {
    /// Softmax regression on standardised features.
    public let network: Network
    /// Per-column means of the training features.
    public let mean: [Float]
    /// Per-column standard deviations (1 for constant columns).
    public let scale: [Float]

    func standardize(_ x: Matrix) -> Matrix {
        var z = x
        for r in 0..<x.rows {
            for c in 0..<x.cols { z[r, c] = (x[r, c] - mean[c]) / scale[c] }
        }
        return z
    }

    /// Class probabilities for each row, as an inference.
    public func run(_ x: Matrix) -> AttributeInference {
        let p = network.probabilities(standardize(x))
        return AttributeInference(posteriors: (0..<p.rows).map { r in p.row(r).map(Double.init) })
    }
}
