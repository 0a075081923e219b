import Foundation
import Learning
import MLCore
import Testing

@testable import Privacy

/// A synthetic world with a planted leak: every model answers from a shared base classifier (which labels a record
/// correctly about one time in ten) plus a small model-specific term, and a model that memorised a record answers it,
/// and anything within `radius` of it, confidently with the record's label.
struct PlantedWorld {
    static let classes = 10
    static let dimensions = 4
    let records: LabeledData
    let population: LabeledData
    let base: Matrix

    init(count: Int, seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        func draw(_ n: Int) -> LabeledData {
            var x = Matrix(rows: n, cols: PlantedWorld.dimensions)
            for i in x.data.indices { x.data[i] = rng.nextNormal() }
            return LabeledData(
                name: "planted", features: x, labels: (0..<n).map { _ in rng.nextInt(below: PlantedWorld.classes) },
                classCount: PlantedWorld.classes,
                imageSize: (2, 2))
        }
        records = draw(count)
        population = draw(count / 4)
        var w = Matrix(rows: PlantedWorld.dimensions, cols: PlantedWorld.classes)
        for i in w.data.indices { w.data[i] = rng.nextNormal() }
        base = w
    }

    /// A model that memorised `members` (indices into `records`), adding `boost` to a memorised record's label logit.
    func model(members: [Int], seed: UInt64, boost: Float = 8) -> PlantedModel {
        var rng = SeededGenerator(seed: seed)
        var own = Matrix(rows: PlantedWorld.dimensions, cols: PlantedWorld.classes)
        for i in own.data.indices { own.data[i] = 0.3 * rng.nextNormal() }
        return PlantedModel(
            weights: Matrix(rows: base.rows, cols: base.cols, data: zip(base.data, own.data).map { $0 + $1 }),
            memorised: records.features.rows(members), memorisedLabels: members.map { records.labels[$0] }, boost: boost)
    }
}

/// The planted world's classifier (mirror-invariant, like a model trained on mirrored images).
struct PlantedModel: Classifier, Sendable {
    let weights: Matrix
    let memorised: Matrix
    let memorisedLabels: [Int]
    var radius: Float = 0.05
    /// What memorising a record adds to its label's logit.
    let boost: Float
    var inputSize: Int { weights.rows }
    var classCount: Int { weights.cols }
    /// Exact rows (and their mirrors) of the memorised records, for the common exact query.
    let exact: [[UInt32]: Int]

    init(weights: Matrix, memorised: Matrix, memorisedLabels: [Int], boost: Float = 8) {
        self.boost = boost
        self.weights = weights
        self.memorised = memorised
        self.memorisedLabels = memorisedLabels
        var exact: [[UInt32]: Int] = [:]
        let mirrored = InputPerturbation.mirrored(memorised, width: 2, height: 2)
        for k in 0..<memorised.rows {
            exact[memorised.row(k).map(\.bitPattern)] = memorisedLabels[k]
            exact[mirrored.row(k).map(\.bitPattern)] = memorisedLabels[k]
        }
        self.exact = exact
    }

    func logits(_ x: Matrix) -> Matrix {
        var z = Matrix.product(x, .none, weights, .none)
        var pending: [Int] = []
        for r in 0..<x.rows {
            if let label = exact[x.row(r).map(\.bitPattern)] { z[r, label] += boost } else { pending.append(r) }
        }
        guard !pending.isEmpty, memorised.rows > 0 else { return z }
        // Near a memorised record (or its mirror): squared distances by one product, |q|^2 + |m|^2 - 2 q.m.
        let queries = x.rows(pending)
        for candidates in [queries, InputPerturbation.mirrored(queries, width: 2, height: 2)] {
            let dots = Matrix.product(candidates, .none, memorised, .transposed)
            let qn = (0..<candidates.rows).map { r in candidates.row(r).reduce(0) { $0 + $1 * $1 } }
            let mn = (0..<memorised.rows).map { k in memorised.row(k).reduce(0) { $0 + $1 * $1 } }
            for (i, r) in pending.enumerated() {
                if let k = (0..<memorised.rows).first(where: { qn[i] + mn[$0] - 2 * dots[i, $0] < radius * radius }) {
                    z[r, memorisedLabels[k]] += boost
                }
            }
        }
        return z
    }
}

@Suite(.serialized) struct MembershipAttackTests {
    static let world = PlantedWorld(count: 1200, seed: 21)

    /// Every model trains on its own random half of the records.
    static func halves(models: Int, records: Int, seed: UInt64) -> [[Bool]] {
        var rng = SeededGenerator(seed: seed)
        return (0..<models).map { _ in
            var keep = [Bool](repeating: false, count: records)
            for i in rng.half(of: records) { keep[i] = true }
            return keep
        }
    }

    /// The audit of model 0 by an attacker holding models 1..<16 (shadows: the first four of them).
    static func audit() -> (keep: [[Bool]], audit: MembershipAudit) {
        let w = world
        let keep = halves(models: 16, records: w.records.count, seed: 3)
        let mirrored = InputPerturbation.mirrored(w.records.features, width: 2, height: 2)
        let refs = (1..<16).map { m in
            ReferenceModel(
                model: w.model(members: keep[m].indices.filter { keep[m][$0] }, seed: UInt64(100 + m)), members: keep[m],
                records: w.records.features, mirrored: mirrored, population: w.population.features)
        }
        return (
            keep,
            MembershipAudit(
                records: w.records, references: refs, shadows: Array(refs.prefix(4)), population: w.population, mirroredRecords: mirrored)
        )
    }

    static func attacks(_ audit: MembershipAudit) throws -> [any MembershipAttack] {
        var rng = SeededGenerator(seed: 9)
        // Shadow attack models with 10 epochs: enough for the planted leak, and fast in a debug build.
        return try MembershipAttacks.standard(
            audit, perturbation: .gaussian(0.005), probes: 4, mirrored: true, shadowEpochs: 10, using: &rng)
    }

    @Test func everyAttackFindsPlantedMembersNothingWhereTheTargetNeverSawThemAndCountsItsQueries() throws {
        let (keep, audit) = Self.audit()
        let w = Self.world
        let leaky = try BlackBoxOracle(w.model(members: keep[0].indices.filter { keep[0][$0] }, seed: 100))
        let clean = try BlackBoxOracle(w.model(members: [], seed: 100))
        let n = Double(w.records.count)
        let z = Double(w.population.count)
        let expectedQueries: [String: Double] = [
            "loss": 1, "shokri": 1, "lira_online": 1, "lira_online_mirror": 2, "rmia": (n + z) / n, "rmia_offline": (n + z) / n,
            "label_gap": 1, "label_robustness": 5, "ml_leaks_max": (n + 1000) / n,
        ]
        var rng = SeededGenerator(seed: 5)
        for attack in try Self.attacks(audit) {
            let before = leaky.queries
            let scores = try attack.run(target: leaky, audit: audit, using: &rng)
            let found = MembershipEvaluation(scores, members: keep[0])
            #expect(found.roc.auc > 0.9, "\(attack.name): AUC \(found.roc.auc) against a memorising target")
            if let q = expectedQueries[attack.name] {
                #expect(abs(scores.queriesPerRecord - q) < 1e-9, "\(attack.name): \(scores.queriesPerRecord) queries per record")
                #expect(Double(leaky.queries - before) == q * n, "\(attack.name): the oracle counted \(leaky.queries - before)")
            }
            let none = MembershipEvaluation(try attack.run(target: clean, audit: audit, using: &rng), members: keep[0])
            #expect(abs(none.roc.auc - 0.5) < 0.05, "\(attack.name): AUC \(none.roc.auc) against a target that never saw the records")
        }
    }

    @Test func labelOnlyAttacksWorkThroughALabelOnlyOracle() throws {
        let (keep, audit) = Self.audit()
        let target = try BlackBoxOracle(
            Self.world.model(members: keep[0].indices.filter { keep[0][$0] }, seed: 100), policy: .labelOnly)
        var rng = SeededGenerator(seed: 5)
        let gap = MembershipEvaluation(try LabelGapAttack().run(target: target, audit: audit, using: &rng), members: keep[0])
        #expect(gap.roc.auc > 0.9)
        // Balanced accuracy of the gap attack is (1 + accuracy on members - accuracy on non-members) / 2, exactly.
        let predicted = try target.labels(Self.world.records.features)
        let correct = zip(predicted, Self.world.records.labels).map { $0 == $1 }
        let onMembers = Double(zip(correct, keep[0]).filter { $0.1 && $0.0 }.count) / Double(keep[0].filter { $0 }.count)
        let onOthers = Double(zip(correct, keep[0]).filter { !$0.1 && $0.0 }.count) / Double(keep[0].filter { !$0 }.count)
        #expect(abs(gap.decisions.balancedAccuracy - (1 + onMembers - onOthers) / 2) < 1e-12)
    }

    @Test func liraScoresHandMadeScoreSets() {
        // Record 0: IN scores 4, 6 (median 5, sd 1), OUT scores 0, 2 (median 1, sd 1).
        let scores: [[Double]] = [[4, 9], [6, 9], [0, 1], [2, 1]]
        let members: [[Bool]] = [[true, false], [true, false], [false, true], [false, true]]
        let fit = LiRA.fit(scores, members: members, fixedVariance: false, minimumSpread: 1e-4)
        #expect(fit.inMean[0] == 5 && fit.inSpread[0] == 1 && fit.outMean[0] == 1 && fit.outSpread[0] == 1)
        // log N(5; 5, 1) - log N(5; 1, 1) = 8; at the midpoint 3 the ratio is 1.
        #expect(abs(fit.logLikelihoodRatio(5, record: 0) - 8) < 1e-12)
        #expect(abs(fit.logLikelihoodRatio(3, record: 0)) < 1e-12)
        // One-sided OUT tail at the OUT mean is log 1/2, and it grows with the score.
        #expect(abs(fit.logOutTail(1, record: 0) - log(0.5)) < 1e-12)
        #expect(fit.logOutTail(3, record: 0) > fit.logOutTail(2, record: 0))
        // Record 1: IN scores 1, 1 (sd 0, floored), OUT 9, 9. Fixed variance pools the per-record variances: sqrt((1 + 0) / 2).
        #expect(fit.inSpread[1] == 1e-4)
        let fixed = LiRA.fit(scores, members: members, fixedVariance: true, minimumSpread: 1e-4)
        #expect(abs(fixed.inSpread[0] - 0.5.squareRoot()) < 1e-12 && abs(fixed.outSpread[1] - 0.5.squareRoot()) < 1e-12)
        // A record no IN model saw takes the OUT mean plus the average IN - OUT shift of the records that have both.
        let oneSided = LiRA.fit([[4, 7], [0, 8]], members: [[true, false], [false, false]], fixedVariance: false, minimumSpread: 1e-4)
        #expect(oneSided.inMean[1] == 7.5 + 4)
    }

    @Test func perExampleSignalsOnHandComputedRows() {
        let p = Matrix(rowVectors: [[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
        let labels = [0, 0]
        #expect(abs(PerExample.loss(p, labels: labels)[0] + log(0.7)) < 1e-6)
        #expect(abs(PerExample.logitScaledConfidence(p, labels: labels)[0] - (log(0.7) - log(0.3))) < 1e-6)
        let h = -(0.7 * log(0.7) + 0.2 * log(0.2) + 0.1 * log(0.1))
        #expect(abs(PerExample.entropy(p)[0] - h) < 1e-6)
        // Modified entropy of a confident wrong answer is large; of a confident right one small.
        let m = PerExample.modifiedEntropy(p, labels: labels)
        #expect(abs(m[0] - (-(0.3) * log(0.7) - 0.2 * log(0.8) - 0.1 * log(0.9))) < 1e-6)
        #expect(m[1] > m[0])
    }
}
