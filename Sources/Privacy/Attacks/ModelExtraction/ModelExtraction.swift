import Foundation
import Learning
import MLCore

/// A model copied from an oracle's answers, with the queries it took.
public struct StolenModel: Sendable {
    /// The copy.
    public let network: NeuralClassifier
    /// Oracle queries spent on it.
    public let queries: Int
}

/// Equation-solving extraction of a softmax regression: log(p_c / p_ref) = (w_c - w_ref) . x + (b_c - b_ref) is linear
/// in the input, so the answers at x = 0 and at x = t e_j for every input j (d + 1 queries) give every weight up to
/// what the softmax cannot see (a vector added to every class). The copy has the reference class's weights at 0 and
/// the same answers as the target wherever both are computed exactly.
///
/// Reference: F. Tramer, F. Zhang, A. Juels, M. Reiter, T. Ristenpart, "Stealing Machine Learning Models via
/// Prediction APIs", USENIX Security 2016, section 4.1.2 (multiclass logistic regression).
///
/// Deviations: the d + 1 queries are the unit vectors scaled by `probe` rather than random points (the same
/// equations, already solved); a coordinate whose answers did not change at all (rounding hid the change) is asked
/// again up to `longerProbes` times with a probe `growth` times longer; a confidence shown as 0 (rounded or
/// underflowed) is read as half the smallest positive confidence the oracle showed, since the attacker only knows it
/// lies below that.
public struct EquationSolving: Sendable {
    /// The length t of each coordinate query.
    public var probe: Float
    /// Queries sent per batch.
    public var batchRows: Int
    /// How many times a coordinate whose answers did not change is asked again with a longer probe.
    public var longerProbes = 3
    /// The factor by which a retried probe is longer.
    public var growth: Float = 10

    /// Extraction with coordinate queries of length `probe`.
    public init(probe: Float = 1, batchRows: Int = 1024) {
        self.probe = probe
        self.batchRows = batchRows
    }

    /// Copies the oracle's softmax regression from d + 1 queries.
    public func extract(from oracle: any ClassOracle, client: String = "attacker") throws -> StolenModel {
        guard probe > 0, probe.isFinite else {
            throw AttackError(description: "equation solving: the probe length must be positive (got \(probe))")
        }
        guard batchRows >= 1 else { throw AttackError(description: "equation solving: batches need at least one row") }
        let d = oracle.inputSize
        let c = oracle.classCount
        let before = oracle.queries
        var answers = Matrix(rows: d + 1, cols: c)
        var lengths = [Float](repeating: probe, count: d + 1)
        // Row 0 is x = 0; row j + 1 is probe_j e_j.
        func ask(_ rows: [Int]) throws {
            var start = 0
            while start < rows.count {
                let part = Array(rows[start..<min(rows.count, start + batchRows)])
                var batch = Matrix(rows: part.count, cols: d)
                for (i, r) in part.enumerated() where r > 0 { batch[i, r - 1] = lengths[r] }
                let got = try oracle.query(batch, client: client)
                for (i, r) in part.enumerated() { answers.setRow(r, got.row(i)) }
                start += part.count
            }
        }
        try ask(Array(0...d))
        let zero = answers.row(0)
        for _ in 0..<longerProbes {
            let unchanged = (1...d).filter { answers.row($0) == zero }
            if unchanged.isEmpty { break }
            for r in unchanged { lengths[r] *= growth }
            try ask(unchanged)
        }
        let smallest = answers.data.filter { $0 > 0 }.min() ?? 1
        let floor = smallest / 2
        let logs = answers.data.map { Foundation.log(Double(max($0, floor))) }
        // The reference class: the most confident at x = 0, the one rounding disturbs least.
        let ref = Statistics.argmax(answers.data[0..<c])
        var weight = Matrix(rows: c, cols: d)
        var bias = [Float](repeating: 0, count: c)
        for k in 0..<c where k != ref {
            let b = logs[k] - logs[ref]
            bias[k] = Float(b)
            for j in 0..<d {
                let row = (j + 1) * c
                weight[k, j] = Float((logs[row + k] - logs[row + ref] - b) / Double(lengths[j + 1]))
            }
        }
        let copy = NeuralClassifier(Network(layers: [Dense(weight: weight, bias: bias)]))
        return StolenModel(network: copy, queries: oracle.queries - before)
    }
}

/// Retraining extraction: a network of the attacker's choosing trained to reproduce the oracle's answers on inputs
/// the attacker chooses (cross-entropy against the answers, renormalised when rounding or top-k leaves rows that do
/// not sum to 1; a row shown as all zeros is read as uniform).
///
/// Reference: Tramer et al. 2016, section 4.2 and 5 (extraction by retraining for models that are not linear).
public struct RetrainingExtraction: Sendable {
    /// How the surrogate is trained.
    public var settings: TrainingSettings

    /// Retraining with these settings.
    public init(settings: TrainingSettings) {
        self.settings = settings
    }

    /// Asks the oracle about every row of `inputs` (one batch) and trains `start` on the answers.
    public func extract(
        start: NeuralClassifier, inputs: Matrix, from oracle: any ClassOracle, client: String = "attacker", using rng: inout SeededGenerator
    ) throws -> StolenModel {
        guard inputs.rows > 0 else { throw AttackError(description: "retraining extraction: no inputs to ask about") }
        guard start.inputSize == oracle.inputSize, start.classCount == oracle.classCount else {
            throw AttackError(
                description: "retraining extraction: the surrogate takes \(start.inputSize) inputs and \(start.classCount) classes; "
                    + "the oracle's model takes \(oracle.inputSize) and \(oracle.classCount)")
        }
        let before = oracle.queries
        var targets = try oracle.query(inputs, client: client)
        for r in 0..<targets.rows {
            let row = targets.row(r)
            let sum = row.reduce(0, +)
            targets.setRow(r, sum > 0 ? row.map { $0 / sum } : [Float](repeating: 1 / Float(row.count), count: row.count))
        }
        let copy: NeuralClassifier
        do {
            copy = try Trainer(settings).fit(start, x: inputs, targets: targets, using: &rng)
        } catch {
            throw AttackError(description: "retraining extraction: \(error)")
        }
        return StolenModel(network: copy, queries: oracle.queries - before)
    }
}
