import Learning
import MLCore

/// A membership audit's world: a pool of records, M models each trained on its own random half of it, and every
/// model's answers as the attacker computes them for its own models. The first `targets` models take turns as the
/// target, every other model serving as a reference; the next `shadows` (never targets) are the shadow models of
/// the attacks that train on shadows.
public struct MembershipWorld: Sendable {
    /// The audited records.
    public let pool: LabeledData
    /// RMIA's population samples: records outside the pool where the data has them, else the pool itself.
    public let population: LabeledData
    /// `keep[m][i]`: record i is in model m's training set.
    public let keep: [[Bool]]
    /// The M models.
    public let models: [NeuralClassifier]
    /// Every model's answers on the pool (and mirrors, population).
    public let references: [ReferenceModel]
    /// The pool mirrored left to right (images), else nil.
    public let mirroredPool: Matrix?
    /// How many models take turns as the target.
    public let targets: Int
    /// How many models after the targets are shadows.
    public let shadows: Int

    /// A world of these models and their answers; the error says what does not fit together.
    public init(
        pool: LabeledData, population: LabeledData, keep: [[Bool]], models: [NeuralClassifier], references: [ReferenceModel],
        mirroredPool: Matrix?, targets: Int, shadows: Int
    ) throws {
        guard keep.count == models.count, references.count == models.count else {
            throw AttackError(
                description: "membership world: \(models.count) models, \(keep.count) training sets, \(references.count) answer sets")
        }
        guard keep.allSatisfy({ $0.count == pool.count }) else {
            throw AttackError(description: "membership world: a training set does not cover the \(pool.count) pool records")
        }
        guard targets >= 1, targets + shadows <= models.count else {
            throw AttackError(
                description: "membership world: \(targets) targets and \(shadows) shadows need more than \(models.count) models")
        }
        self.pool = pool
        self.population = population
        self.keep = keep
        self.models = models
        self.references = references
        self.mirroredPool = mirroredPool
        self.targets = targets
        self.shadows = shadows
    }

    private init(_ w: MembershipWorld, references: [ReferenceModel]) {
        pool = w.pool
        population = w.population
        keep = w.keep
        models = w.models
        self.references = references
        mirroredPool = w.mirroredPool
        targets = w.targets
        shadows = w.shadows
    }

    /// Each model's training set: a seeded random half of the pool, drawn independently for every model, so every
    /// record is in about half of the models and one model's membership says nothing about another's. (Carlini et
    /// al.'s code splits so that every record is in exactly half; then a target's members are in one fewer of the
    /// other models than its non-members, which an attack model trained on shadows can learn record by record.)
    public static func halves(models: Int, records: Int, using rng: inout SeededGenerator) -> [[Bool]] {
        (0..<models).map { _ in
            var keep = [Bool](repeating: false, count: records)
            for i in rng.half(of: records) { keep[i] = true }
            return keep
        }
    }

    /// The world as an attacker sees it through `policy`: every model's answers shown through it.
    public func seen(through policy: OutputPolicy) -> MembershipWorld {
        guard policy != .full else { return self }
        let view = references.map {
            $0.seen(
                through: policy, records: pool.features, mirrored: mirroredPool,
                population: $0.populationProbabilities == nil ? nil : population.features)
        }
        return MembershipWorld(self, references: view)
    }

    /// The attacker's knowledge when model `target` is the target: every other model as a reference, the shadows
    /// as shadows.
    public func audit(target: Int) -> MembershipAudit {
        let others = references.indices.filter { $0 != target }.map { references[$0] }
        let shadowModels = Array(references[targets..<min(targets + shadows, references.count)])
        return MembershipAudit(
            records: pool, references: others, shadows: shadowModels, population: population, mirroredRecords: mirroredPool)
    }

    /// Accuracy of model `m` on its members and on the other pool records.
    public func accuracy(_ m: Int) -> (train: Double, test: Double) {
        let predicted = references[m].probabilities
        var right = (member: 0, other: 0)
        var count = (member: 0, other: 0)
        for i in 0..<pool.count {
            let correct = Statistics.argmax(predicted.data[(i * predicted.cols)..<((i + 1) * predicted.cols)]) == pool.labels[i]
            if keep[m][i] {
                count.member += 1
                if correct { right.member += 1 }
            } else {
                count.other += 1
                if correct { right.other += 1 }
            }
        }
        return (Double(right.member) / Double(max(count.member, 1)), Double(right.other) / Double(max(count.other, 1)))
    }
}
