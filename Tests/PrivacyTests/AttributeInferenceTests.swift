import Foundation
import Learning
import MLCore
import Testing

@testable import Privacy

/// Synthetic patients from a known linear dose model: y = 3 + 0.8 a - effect * g + noise, with a
/// genotype g in {0, 1, 2} drawn from `prior` and a known covariate a.
struct SyntheticCohort {
    let covariate: [Float]
    let genotype: [Int]
    let dose: [Float]
    let model: LinearRegression

    init(n: Int, effect: Float, noise: Float, prior: [Double], seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        var a: [Float] = []
        var g: [Int] = []
        var y: [Float] = []
        for _ in 0..<n {
            let u = Double(rng.nextUniform())
            let v = u < prior[0] ? 0 : u < prior[0] + prior[1] ? 1 : 2
            let ai = rng.nextNormal()
            a.append(ai)
            g.append(v)
            y.append(3 + 0.8 * ai - effect * Float(v) + noise * rng.nextNormal())
        }
        covariate = a
        genotype = g
        dose = y
        // Inputs: [a, g == 1, g == 2].
        model = LinearRegression(weights: [0.8, -effect, -2 * effect], intercept: 3)
    }

    /// Each patient's inputs with each genotype in turn.
    var candidates: Matrix {
        Matrix(rowVectors: covariate.flatMap { a in (0..<3).map { v in [a, v == 1 ? 1 : 0, v == 2 ? 1 : 0] } })
    }
}

extension RegressionInversion {
    /// The attack on targets built from these rows, observations and groups.
    func run(_ oracle: any ValueOracle, candidates: Matrix, observed: [Float], groups: [Int]? = nil) throws -> AttributeInference {
        try run(oracle, targets: AttributeTargets(candidates: candidates, valueCount: prior.valueCount, observed: observed, groups: groups))
    }
}

struct RegressionInversionTests {
    let prior = [0.5, 0.3, 0.2]

    @Test func recoversAPlantedGenotypeFarAboveTheBaseline() throws {
        let c = SyntheticCohort(n: 1000, effect: 1.5, noise: 0.3, prior: prior, seed: 1)
        let oracle = BlackBoxOracle(c.model)
        let attack = RegressionInversion(prior: prior, sigma: 0.3)
        let inference = try attack.run(oracle, candidates: c.candidates, observed: c.dose)
        let score = AttributeScore(inference, truth: c.genotype)
        let baseline = AttributeScore(MostFrequentValue(prior: prior).run(count: c.genotype.count), truth: c.genotype)
        #expect(score.accuracy > 0.95)
        #expect(score.auc > 0.98)
        #expect(baseline.accuracy < 0.6 && baseline.auc == 0.5)
        #expect(oracle.queries == 3000)  // three candidate rows per patient
        for p in inference.posteriors { #expect(abs(p.reduce(0, +) - 1) < 1e-9) }
    }

    @Test func fallsToThePriorWhenTheGenotypeHasNoEffect() throws {
        let c = SyntheticCohort(n: 1000, effect: 0, noise: 0.3, prior: prior, seed: 2)
        let inference = try RegressionInversion(prior: prior, sigma: 0.3)
            .run(BlackBoxOracle(c.model), candidates: c.candidates, observed: c.dose)
        #expect(inference.predictions.allSatisfy { $0 == 0 })  // the most frequent value, every time
        for p in inference.posteriors { for v in 0..<3 { #expect(abs(p[v] - prior[v]) < 1e-9) } }
        let score = AttributeScore(inference, truth: c.genotype)
        let baseline = AttributeScore(MostFrequentValue(prior: prior).run(count: c.genotype.count), truth: c.genotype)
        #expect(score.accuracy == baseline.accuracy)
        #expect(abs(score.auc - 0.5) < 1e-12)
    }

    @Test func aWeakEffectSitsBetweenBaselineAndCertainty() throws {
        let c = SyntheticCohort(n: 3000, effect: 0.4, noise: 0.6, prior: prior, seed: 3)
        let inference = try RegressionInversion(prior: prior, sigma: 0.6)
            .run(BlackBoxOracle(c.model), candidates: c.candidates, observed: c.dose)
        let score = AttributeScore(inference, truth: c.genotype)
        let baseline = AttributeScore(MostFrequentValue(prior: prior).run(count: c.genotype.count), truth: c.genotype)
        #expect(score.accuracy > baseline.accuracy + 0.03 && score.accuracy < 0.9)
    }

    @Test func badSettingsAreRefusedWithAReason() {
        let oracle = BlackBoxOracle(LinearRegression(weights: [1], intercept: 0))
        let x = Matrix(rowVectors: [[0], [1]])
        #expect { try RegressionInversion(prior: [0.5, 0.5], sigma: 0).run(oracle, candidates: x, observed: [1]) } throws: {
            "\($0)".contains("sigma")
        }
        #expect(throws: AttackError.self) { try RegressionInversion(prior: [1], sigma: 1).run(oracle, candidates: x, observed: [1]) }
        #expect(throws: AttackError.self) {
            try RegressionInversion(prior: [0.5, 0.5], sigma: 1).run(oracle, candidates: x, observed: [1, 2])
        }
        // (`oracle.model` does not compile: a black-box oracle has no model to hand out.)
        #expect(throws: AttackError.self) { try AttributeTargets(candidates: x, valueCount: 2, observed: [1], groups: [0, 1]) }
        #expect { try oracle.query(Matrix(rows: 1, cols: 2)) } throws: { "\($0)".contains("rows of 1") }
    }

    @Test func theIdealClassifierLearnsAPlantedRelation() throws {
        let c = SyntheticCohort(n: 1500, effect: 1.5, noise: 0.3, prior: prior, seed: 4)
        let x = Matrix(rowVectors: zip(c.covariate, c.dose).map { [$0, $1] })
        let fitted = try IdealClassifier().fit(x: x, labels: c.genotype, classCount: 3)
        let score = AttributeScore(fitted.run(x), truth: c.genotype)
        #expect(score.accuracy > 0.9 && score.auc > 0.95)
        #expect(fitted.fit.largestGradient < 1e-9 && fitted.fit.iterations < 30)
    }

    /// The optimum does not depend on the solver's path: Newton from zero and long Adam runs agree, while
    /// Adam stopped after one epoch is measurably short of it; a larger penalty gives a larger cross-entropy.
    @Test func newtonReachesTheOptimumThatAdamApproaches() throws {
        let c = SyntheticCohort(n: 1200, effect: 0.6, noise: 0.8, prior: prior, seed: 6)
        let x = Matrix(rowVectors: zip(c.covariate, c.dose).map { [$0, $1] })
        let newton = try IdealClassifier().fit(x: x, labels: c.genotype, classCount: 3)
        let short = try IdealClassifier(l2: 1e-4, solver: .adam(epochs: 1, learningRate: 0.01, seed: 1))
            .fit(x: x, labels: c.genotype, classCount: 3)
        let long = try IdealClassifier(l2: 1e-4, solver: .adam(epochs: 300, learningRate: 0.003, seed: 1))
            .fit(x: x, labels: c.genotype, classCount: 3)
        #expect(newton.fit.largestGradient < 1e-9)
        #expect(short.fit.objective > newton.fit.objective + 1e-3)
        let (best, reached) = (newton.fit.objective, long.fit.objective)
        #expect(reached >= best - 1e-12 && reached < best + 2e-3)
        let heavy = try IdealClassifier(l2: 1).fit(x: x, labels: c.genotype, classCount: 3)
        #expect(heavy.fit.crossEntropy > newton.fit.crossEntropy + 0.05)
        #expect(throws: AttackError.self) { try IdealClassifier(l2: -1).fit(x: x, labels: c.genotype, classCount: 3) }
        #expect(throws: AttackError.self) { try IdealClassifier().fit(x: x, labels: c.genotype.map { $0 + 1 }, classCount: 3) }
    }
}

/// Priors: what the attacker believes about a target before it sees the model's answer.
struct AttributePriorTests {
    /// Patients in two groups whose genotype frequencies differ sharply (as VKORC1's do between
    /// populations), dosed by a model where the genotype barely moves the dose next to the noise.
    struct GroupCohort {
        let group: [Int]
        let genotype: [Int]
        let covariate: [Float]
        let dose: [Float]
        let model: LinearRegression
        static let table: [[Double]] = [[0.8, 0.15, 0.05], [0.05, 0.15, 0.8]]

        init(n: Int, effect: Float, noise: Float, seed: UInt64) {
            var rng = SeededGenerator(seed: seed)
            var (g, v, a, y) = ([Int](), [Int](), [Float](), [Float]())
            for i in 0..<n {
                // 60 % of the patients in group 0: the marginal favours value 0 for everyone.
                let gi = i % 5 < 3 ? 0 : 1
                let p = GroupCohort.table[gi]
                let u = Double(rng.nextUniform())
                let vi = u < p[0] ? 0 : u < p[0] + p[1] ? 1 : 2
                let ai = rng.nextNormal()
                g.append(gi)
                v.append(vi)
                a.append(ai)
                y.append(3 + 0.8 * ai - effect * Float(vi) + noise * rng.nextNormal())
            }
            (group, genotype, covariate, dose) = (g, v, a, y)
            model = LinearRegression(weights: [0.8, -effect, -2 * effect], intercept: 3)
        }

        var candidates: Matrix {
            Matrix(rowVectors: covariate.flatMap { a in (0..<3).map { v in [a, v == 1 ? 1 : 0, v == 2 ? 1 : 0] } })
        }
    }

    @Test func theGroupConditionalPriorRecoversWhatTheMarginalCannot() throws {
        let c = GroupCohort(n: 3000, effect: 0.1, noise: 1, seed: 11)
        let marginal = try AttributePrior.marginal(c.genotype, valueCount: 3)
        let byGroup = try AttributePrior.groupConditional(c.genotype, groups: c.group, groupCount: 2, valueCount: 3)
        for (estimated, planted) in zip(byGroup.distributions, GroupCohort.table) {
            for v in 0..<3 { #expect(abs(estimated[v] - planted[v]) < 0.03) }
        }
        let oracle = BlackBoxOracle(c.model)
        let plain = try RegressionInversion(prior: marginal, sigma: 1).run(oracle, candidates: c.candidates, observed: c.dose)
        let informed = try RegressionInversion(prior: byGroup, sigma: 1)
            .run(oracle, candidates: c.candidates, observed: c.dose, groups: c.group)
        let plainScore = AttributeScore(plain, truth: c.genotype)
        let informedScore = AttributeScore(informed, truth: c.genotype)
        let baseline = AttributeScore(MostFrequentValue(prior: marginal.distributions[0]).run(count: c.genotype.count), truth: c.genotype)
        // The model's weak signal cannot move the marginal attacker off the majority value; the group prior
        // is right 80 % of the time, the planted within-group majority share.
        #expect(abs(plainScore.accuracy - baseline.accuracy) < 0.02)
        #expect(informedScore.accuracy > 0.76 && informedScore.accuracy > plainScore.accuracy + 0.25)
        #expect(informedScore.auc > plainScore.auc + 0.1)
        // The group prior needs the groups; a group outside the prior is refused.
        #expect(throws: AttackError.self) {
            try RegressionInversion(prior: byGroup, sigma: 1).run(oracle, candidates: c.candidates, observed: c.dose)
        }
        #expect(throws: AttackError.self) {
            try RegressionInversion(prior: byGroup, sigma: 1)
                .run(oracle, candidates: c.candidates, observed: c.dose, groups: c.group.map { $0 + 1 })
        }
    }

    @Test func aUniformPriorMakesTheInversionTheLikelihoodArgmax() throws {
        let c = GroupCohort(n: 2000, effect: 0.7, noise: 0.9, seed: 12)
        let inference = try RegressionInversion(prior: try .uniform(valueCount: 3), sigma: 0.9)
            .run(BlackBoxOracle(c.model), candidates: c.candidates, observed: c.dose)
        let predicted = c.model.predict(c.candidates)
        var differsFromMarginal = 0
        let marginal = try RegressionInversion(prior: try .marginal(c.genotype, valueCount: 3), sigma: 0.9)
            .run(BlackBoxOracle(c.model), candidates: c.candidates, observed: c.dose)
        for i in c.dose.indices {
            let residuals = (0..<3).map { abs(c.dose[i] - predicted[i * 3 + $0]) }
            let closest = residuals.indices.min { residuals[$0] < residuals[$1] }!
            #expect(inference.predictions[i] == closest, "patient \(i)")
            if marginal.predictions[i] != closest { differsFromMarginal += 1 }
        }
        #expect(differsFromMarginal > 100)  // the prior matters: the marginal attacker picks otherwise for many patients
    }

    @Test func priorsAreCountedAndCheckedWithReasons() throws {
        let marginal = try AttributePrior.marginal([0, 0, 1, 2], valueCount: 3)
        let counted: [[Double]] = [[0.5, 0.25, 0.25]]
        #expect(marginal.distributions == counted)
        // Add-one smoothing: a value unseen in a group keeps some probability; an empty group is uniform.
        let smoothed = try AttributePrior.groupConditional([0, 0, 1], groups: [0, 0, 1], groupCount: 3, valueCount: 2)
        let expected: [[Double]] = [[0.75, 0.25], [1.0 / 3, 2.0 / 3], [0.5, 0.5]]
        #expect(smoothed.distributions == expected)
        let flat: [[Double]] = [[0.25, 0.25, 0.25, 0.25]]
        #expect(try AttributePrior.uniform(valueCount: 4).distributions == flat)
        #expect { try AttributePrior.marginal([0, 3], valueCount: 3) } throws: { "\($0)".contains("value 3") }
        #expect { try AttributePrior.groupConditional([0], groups: [2], groupCount: 2, valueCount: 2) } throws: {
            "\($0)".contains("group 2")
        }
        #expect { try AttributePrior.groupConditional([0], groups: [0], groupCount: 2, valueCount: 2, pseudocount: 0) } throws: {
            "\($0)".contains("no members")
        }
        #expect(throws: AttackError.self) { try AttributePrior(distributions: [[0.5, 0.5], [1]]) }
        #expect(throws: AttackError.self) { try AttributePrior(distributions: [[-1, 2]]) }
    }
}
