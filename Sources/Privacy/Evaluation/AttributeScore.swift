import MLCore

/// How well an attribute inference matched the truth.
public struct AttributeScore: Sendable, Equatable {
    /// Share of targets whose value was picked correctly.
    public let accuracy: Double
    /// One-vs-rest AUC of the posteriors, macro-averaged over values (AUC of value 1 with two values).
    public let auc: Double
    /// Targets scored.
    public let count: Int

    /// Scores `inference` against the true values (indices into the candidate list).
    public init(_ inference: AttributeInference, truth: [Int]) {
        precondition(inference.predictions.count == truth.count, "\(inference.predictions.count) inferences for \(truth.count) targets")
        let k = inference.posteriors.first?.count ?? 0
        count = truth.count
        accuracy = truth.isEmpty ? .nan : Double(zip(inference.predictions, truth).filter { $0 == $1 }.count) / Double(truth.count)
        auc = ROC.oneVsRestAUC(scores: inference.posteriors, labels: truth, classCount: k)
    }
}
