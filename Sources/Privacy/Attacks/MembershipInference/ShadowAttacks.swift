import Learning
import MLCore

/// How a shadow-trained attack model sees one answer.
public enum AttackFeatures: Sendable {
    /// The whole probability vector (Shokri et al.).
    case fullVector
    /// The three largest probabilities, largest first (ML-Leaks; zeros pad fewer classes).
    case topThree

    /// The features of every row of probabilities.
    func features(_ p: Matrix) -> Matrix {
        switch self {
        case .fullVector: return p
        case .topThree:
            var out = Matrix(rows: p.rows, cols: 3)
            for r in 0..<p.rows {
                let sorted = p.row(r).sorted(by: >)
                for k in 0..<min(3, sorted.count) { out[r, k] = sorted[k] }
            }
            return out
        }
    }
}

/// Shokri et al.'s attack: shadow models trained like the target, and one attack model per class that learns to
/// tell a shadow's answers on its members from its answers on other records.
///
/// Reference: R. Shokri, M. Stronati, C. Song, V. Shmatikov, Membership Inference Attacks Against Machine Learning
/// Models, IEEE S&P 2017, section V; attack-model settings from the authors' code (one hidden layer of 64 units,
/// 50 epochs, batch 100, L2 1e-6).
///
/// Deviations:
/// - The shadows are the attacker's reference models that are never targets (each trained on a random half of the
///   audited records, so the attacker knows their membership); the paper trains them on disjoint data.
/// - The attack models train with Adam (learning rate 0.001) and tanh units instead of the code's SGD.
/// - A class the shadows' records lack falls back to one attack model trained on all classes.
public struct ShokriAttack: Sendable {
    /// Hidden units of each attack model.
    public var hidden = 64
    /// Training epochs of each attack model.
    public var epochs = 50

    /// The attack with the authors' settings.
    public init() {}

    /// Trains the per-class attack models on every shadow's answers.
    public func train(_ audit: MembershipAudit, using rng: inout SeededGenerator) throws -> TrainedShadowAttack {
        guard !audit.shadows.isEmpty else { throw AttackError(description: "shokri needs at least one shadow model") }
        let labels = audit.records.labels
        let k = audit.records.classCount
        var rows: [[Float]] = []
        var truth: [Int] = []
        var classes: [Int] = []
        for s in audit.shadows {
            for i in labels.indices {
                rows.append(s.probabilities.row(i))
                truth.append(s.members[i] ? 1 : 0)
                classes.append(labels[i])
            }
        }
        let x = Matrix(rowVectors: rows)
        let trainer = ShallowTrainer(
            hidden: hidden, activation: .tanh, settings: TrainingSettings(epochs: epochs, batchSize: 100, learningRate: 0.001, l2: 1e-6))
        let inputs = ShallowInputs(x, sparse: false)
        let fallback = try trainer.fit(inputs, labels: truth, classCount: 2, using: &rng)
        var models: [NeuralClassifier] = []
        for c in 0..<k {
            let subset = classes.indices.filter { classes[$0] == c }
            let seen = Set(subset.map { truth[$0] })
            models.append(seen.count == 2 ? try trainer.fit(inputs, labels: truth, subset: subset, classCount: 2, using: &rng) : fallback)
        }
        return TrainedShadowAttack(id: .shokri, features: .fullVector, models: models, perClass: true)
    }
}

/// ML-Leaks' adversary 1: a single shadow model and a single attack model on the three largest probabilities.
///
/// Reference: A. Salem, Y. Zhang, M. Humbert, P. Berrang, M. Fritz, M. Backes, ML-Leaks: Model and Data Independent
/// Membership Inference Attacks and Defenses on Machine Learning Models, NDSS 2019, section III.
///
/// Deviations: the attack model is the same one-hidden-layer network as `ShokriAttack`'s (64 tanh units, Adam),
/// where the paper uses a multilayer perceptron of its own; the one shadow is the attacker's first shadow model.
public struct MLLeaksAttack: Sendable {
    /// Hidden units of the attack model.
    public var hidden = 64
    /// Training epochs of the attack model.
    public var epochs = 50

    /// The attack with one shadow model.
    public init() {}

    /// Trains the attack model on the first shadow's answers.
    public func train(_ audit: MembershipAudit, using rng: inout SeededGenerator) throws -> TrainedShadowAttack {
        guard let shadow = audit.shadows.first else { throw AttackError(description: "ml_leaks needs a shadow model") }
        let x = AttackFeatures.topThree.features(shadow.probabilities)
        let trainer = ShallowTrainer(
            hidden: hidden, activation: .tanh, settings: TrainingSettings(epochs: epochs, batchSize: 100, learningRate: 0.001, l2: 1e-6))
        let model = try trainer.fit(ShallowInputs(x, sparse: false), labels: shadow.members.map { $0 ? 1 : 0 }, classCount: 2, using: &rng)
        return TrainedShadowAttack(id: .mlLeaks, features: .topThree, models: [model], perClass: false)
    }
}

/// A shadow-trained attack, ready to score targets: the attack model's probability of "member", member when at
/// least one half.
public struct TrainedShadowAttack: MembershipAttack {
    /// `.shokri` or `.mlLeaks`.
    public let id: MembershipAttackID
    /// What the attack models see of an answer.
    public let features: AttackFeatures
    /// One attack model per class, or one for all.
    public let models: [NeuralClassifier]
    /// Whether `models` is indexed by the record's class.
    public let perClass: Bool

    /// Confidences.
    public var needs: OutputNeed { .confidences }

    /// The attack model's P(member) for every record.
    public func run(target: any ClassOracle, audit: MembershipAudit, using rng: inout SeededGenerator) throws -> MembershipScores {
        let (answers, queries) = try counting(target) { try target.query(audit.records.features) }
        let x = features.features(answers)
        var scores = [Double](repeating: 0, count: x.rows)
        if perClass {
            var byClass = [[Int]](repeating: [], count: models.count)
            for (i, c) in audit.records.labels.enumerated() { byClass[c].append(i) }
            for (c, idx) in byClass.enumerated() where !idx.isEmpty {
                let p = models[c].probabilities(x.rows(idx))
                for (k, i) in idx.enumerated() { scores[i] = Double(p[k, 1]) }
            }
        } else {
            let p = models[0].probabilities(x)
            for i in scores.indices { scores[i] = Double(p[i, 1]) }
        }
        return MembershipScores(scores: scores, threshold: 0.5, queries: queries)
    }
}

/// ML-Leaks' adversary 3: no shadow model at all; the target's largest probability, thresholded at a high
/// percentile of what the target answers for random inputs.
///
/// Reference: Salem et al., NDSS 2019, section V (threshold from random points of the feature space).
///
/// Deviations: the random inputs draw each feature uniformly from the range the audited records show (0 or 1 for
/// binary features); `randomInputs` of them, counted as queries.
public struct MLLeaksMaxAttack: MembershipAttack {
    /// Random inputs sent to set the threshold.
    public var randomInputs = 1000
    /// The percentile of their largest probabilities used as the threshold.
    public var percentile = 0.9

    /// The attack with 1,000 random inputs and the 90th percentile.
    public init() {}

    /// `ml_leaks_max`.
    public var id: MembershipAttackID { .mlLeaksMax }
    /// Confidences.
    public var needs: OutputNeed { .confidences }

    /// The target's largest probability for every record.
    public func run(target: any ClassOracle, audit: MembershipAudit, using rng: inout SeededGenerator) throws -> MembershipScores {
        let x = audit.records.features
        var low = [Float](repeating: .infinity, count: x.cols)
        var high = [Float](repeating: -.infinity, count: x.cols)
        var binary = [Bool](repeating: true, count: x.cols)
        for r in 0..<x.rows {
            for c in 0..<x.cols {
                let v = x[r, c]
                low[c] = min(low[c], v)
                high[c] = max(high[c], v)
                if v != 0 && v != 1 { binary[c] = false }
            }
        }
        var random = Matrix(rows: randomInputs, cols: x.cols)
        for r in 0..<randomInputs {
            for c in 0..<x.cols {
                random[r, c] = binary[c] ? Float(rng.nextInt(below: 2)) : low[c] + rng.nextUniform() * (high[c] - low[c])
            }
        }
        let ((answers, noise), queries) = try counting(target) { (try target.query(x), try target.query(random)) }
        func maxima(_ p: Matrix) -> [Double] { (0..<p.rows).map { r in Double(p.row(r).max() ?? 0) } }
        let sorted = maxima(noise).sorted()
        let threshold = sorted[min(sorted.count - 1, Int(percentile * Double(sorted.count)))]
        return MembershipScores(scores: maxima(answers), decisions: maxima(answers).map { $0 > threshold }, queries: queries)
    }
}
