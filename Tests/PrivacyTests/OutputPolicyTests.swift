import Foundation
import Learning
import MLCore
import Testing

@testable import Privacy

/// The output policies of the Oracle on hand-made vectors, and what they do to the attacks on a planted leak.
@Suite(.serialized) struct OutputPolicyTests {
    static let world = PlantedWorld(count: 500, seed: 21)

    /// The audit of model 0 of a small planted world by an attacker holding models 1..<12 (shadows: four of them),
    /// every model memorising with this boost.
    static func audit(boost: Float) -> (keep: [[Bool]], audit: MembershipAudit, target: PlantedModel) {
        let w = world
        let keep = MembershipAttackTests.halves(models: 12, records: w.records.count, seed: 3)
        let mirrored = InputPerturbation.mirrored(w.records.features, width: 2, height: 2)
        let refs = (1..<12).map { m in
            ReferenceModel(
                model: w.model(members: keep[m].indices.filter { keep[m][$0] }, seed: UInt64(100 + m), boost: boost), members: keep[m],
                records: w.records.features, mirrored: mirrored, population: w.population.features)
        }
        let audit = MembershipAudit(
            records: w.records, references: refs, shadows: Array(refs.prefix(4)), population: w.population, mirroredRecords: mirrored)
        return (keep, audit, w.model(members: keep[0].indices.filter { keep[0][$0] }, seed: 100, boost: boost))
    }

    static func close(_ a: [Float], _ b: [Float], _ tolerance: Float = 1e-6) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance }
    }

    @Test func eachPolicyOnHandMadeVectors() {
        let p: ArraySlice<Float> = [0.04, 0.46, 0.21, 0.29]
        #expect(Self.close(OutputPolicy.full.apply(p), [0.04, 0.46, 0.21, 0.29]))
        #expect(Self.close(OutputPolicy.rounded(0.1).apply(p), [0, 0.5, 0.2, 0.3]))
        #expect(Self.close(OutputPolicy.rounded(0.001).apply([0.12345, 0.87655]), [0.123, 0.877]))
        #expect(OutputPolicy.topK(1).apply(p) == [0, 0.46, 0, 0])
        #expect(OutputPolicy.topK(3).apply(p) == [0, 0.46, 0.21, 0.29])
        #expect(OutputPolicy.labelOnly.apply(p) == [0, 1, 0, 0])
        // Temperature from logits: z = (0, ln 2, ln 4) shows (1, 2, 4) / 7; at T = 2, (1, sqrt 2, 2) / (3 + sqrt 2).
        let z = Matrix(rowVectors: [[0, log(2), log(4)]])
        #expect(Self.close(OutputPolicy.full.answers(logits: z).data, [1.0 / 7, 2.0 / 7, 4.0 / 7]))
        let s2 = Float(2).squareRoot()
        #expect(Self.close(OutputPolicy.temperature(2).answers(logits: z).data, [1, s2, 2].map { $0 / (3 + s2) }))
        // ... and from the probabilities (through their logarithm), the same.
        #expect(Self.close(OutputPolicy.temperature(2).apply([1.0 / 7, 2.0 / 7, 4.0 / 7]), [1, s2, 2].map { $0 / (3 + s2) }))
        // A high temperature flattens the answer but keeps the predicted class; from logits it keeps what underflows.
        let confident = Matrix(rowVectors: [[0, 200, 190]])
        #expect(OutputPolicy.full.answers(logits: confident)[0, 0] == 0)
        let flat = OutputPolicy.temperature(20).answers(logits: confident)
        #expect(abs(flat[0, 0] - 1 / (1 + exp(10) + exp(9.5))) < 1e-9 && Statistics.argmax(flat.data[0..<3]) == 1)
        // Every policy answers a whole batch row by row; the label policy keeps the predicted class.
        let batch = Matrix(rowVectors: [[3, 1, 0], [0, 0, 5]])
        #expect(OutputPolicy.labelOnly.answers(logits: batch).data == [1, 0, 0, 0, 0, 1])
        #expect(OutputPolicy.topK(1).answers(logits: batch)[1, 0] == 0 && OutputPolicy.topK(1).answers(logits: batch)[1, 2] > 0.9)
        #expect(OutputPolicy.temperature(5).description == "temp-5" && OutputPolicy.rounded(0.001).description == "round-0.001")
    }

    @Test func badPoliciesAreErrorsThatSayWhy() throws {
        let cases: [(OutputPolicy, String)] = [
            (.topK(0), "top-k needs k in 1...4"), (.topK(5), "top-k needs k in 1...4"), (.rounded(0), "rounding step must be positive"),
            (.rounded(-0.1), "rounding step"), (.rounded(.nan), "rounding step"), (.temperature(0), "temperature must be positive"),
            (.temperature(-5), "temperature"), (.temperature(.infinity), "temperature"),
        ]
        let model = NeuralClassifier.softmaxRegression(inputs: 3, classes: 4)
        for (policy, words) in cases {
            #expect(throws: OracleError.self) { try policy.validate(classCount: 4) }
            do {
                _ = try BlackBoxOracle(model, policy: policy)
                Issue.record("\(policy) accepted")
            } catch let e as OracleError {
                #expect(e.description.contains(words), "\(e.description)")
            }
        }
        for policy in [OutputPolicy.full, .labelOnly, .topK(4), .rounded(0.5), .temperature(0.5)] {
            #expect(throws: Never.self) { try policy.validate(classCount: 4) }
        }
    }

    /// A black-box oracle shows answers through its policy; a white-box one shows the model's probabilities; an
    /// audit seen through a policy shows every reference model's answers through it, and rehearses through it.
    @Test func oraclesAndAuditsApplyThePolicyEverywhere() throws {
        let (_, audit, _) = Self.audit(boost: 8)
        let x = audit.records.features.rows(Array(0..<20))
        let model = AnyClassifier(audit.references[0].model)
        let rounded = try BlackBoxOracle(model, policy: .rounded(0.1))
        #expect(try rounded.query(x) == OutputPolicy.rounded(0.1).answers(logits: model.logits(x)))
        let white = WhiteBoxOracle(model)
        #expect(try white.query(x) == model.probabilities(x))
        let seen = audit.seen(through: .topK(1))
        #expect(seen.policy == .topK(1) && audit.policy == .full)
        for m in seen.references + seen.shadows {
            #expect(m.probabilities == OutputPolicy.topK(1).answers(logits: m.model.logits(audit.records.features)))
            #expect(m.populationProbabilities == OutputPolicy.topK(1).answers(logits: m.model.logits(audit.population.features)))
        }
        #expect(try seen.rehearsal().target.policy == .topK(1))
    }

    /// The attacks against a target that memorised its members only slightly (a planted boost of 3 to the label's
    /// logit; a world of 500 records, 11 reference models), served through each policy, by an attacker who knows the policy and shows its own models through it:
    /// rounding to 0.1 and top-1 lower LiRA and RMIA; a temperature, an invertible map of the logits, does not; the
    /// label policy leaves only the label attacks, which score exactly as against the undefended target.
    @Test func defencesLowerTheAttacksTheyTarget() throws {
        let (keep, audit, target) = Self.audit(boost: 3)
        var auc: [OutputPolicy: [String: Double]] = [:]
        for policy in [OutputPolicy.full, .rounded(0.1), .topK(1), .temperature(20), .labelOnly] {
            let seen = audit.seen(through: policy)
            let rng = SeededGenerator(seed: 9)
            let list: [any MembershipAttack] = [
                LiRA(online: true), LiRA(online: false, fixedVariance: true), RMIA(online: true), LabelGapAttack(),
                LabelRobustnessAttack(perturbation: .gaussian(0.005), probes: 4),
            ]
            for attack in list where attack.runs(under: policy) {
                var r = rng.derived(1)
                let scores = try attack.run(target: try attack.oracle(for: target, policy: policy), audit: seen, using: &r)
                auc[policy, default: [:]][attack.name] = MembershipEvaluation(scores, members: keep[0]).roc.auc
            }
        }
        let full = auc[.full]!
        #expect(full["lira_online"]! > 0.95 && full["rmia"]! > 0.95, "\(full)")
        for policy in [OutputPolicy.rounded(0.1), .topK(1)] {
            for name in ["lira_online", "lira_offline_fixed", "rmia"] {
                #expect(auc[policy]![name]! < full[name]! - 0.05, "\(policy) \(name): \(auc[policy]![name]!) against \(full[name]!)")
            }
        }
        for name in ["lira_online", "lira_offline_fixed", "rmia"] {
            #expect(auc[.temperature(20)]![name]! > full[name]! - 0.01, "temperature \(name)")
        }
        #expect(auc[.labelOnly]!.keys.sorted() == ["label_gap", "label_robustness"])
        #expect(auc[.labelOnly]!["label_gap"] == full["label_gap"] && auc[.labelOnly]!["label_robustness"] == full["label_robustness"])
    }
}
