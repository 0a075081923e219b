import Learning
import MLCore
import Privacy
import Testing

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

struct RegressionInversionTests {
    let prior = [0.5, 0.3, 0.2]

    @Test func recoversAPlantedGenotypeFarAboveTheBaseline() throws {
        let c = SyntheticCohort(n: 1000, effect: 1.5, noise: 0.3, prior: prior, seed: 1)
        let oracle = RegressionOracle(c.model, access: .blackBox)
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
            .run(RegressionOracle(c.model, access: .blackBox), candidates: c.candidates, observed: c.dose)
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
            .run(RegressionOracle(c.model, access: .blackBox), candidates: c.candidates, observed: c.dose)
        let score = AttributeScore(inference, truth: c.genotype)
        let baseline = AttributeScore(MostFrequentValue(prior: prior).run(count: c.genotype.count), truth: c.genotype)
        #expect(score.accuracy > baseline.accuracy + 0.03 && score.accuracy < 0.9)
    }

    @Test func badSettingsAreRefusedWithAReason() {
        let oracle = RegressionOracle(LinearRegression(weights: [1], intercept: 0), access: .blackBox)
        let x = Matrix(rowVectors: [[0], [1]])
        #expect { try RegressionInversion(prior: [0.5, 0.5], sigma: 0).run(oracle, candidates: x, observed: [1]) } throws: {
            "\($0)".contains("sigma")
        }
        #expect(throws: AttackError.self) { try RegressionInversion(prior: [1], sigma: 1).run(oracle, candidates: x, observed: [1]) }
        #expect(throws: AttackError.self) {
            try RegressionInversion(prior: [0.5, 0.5], sigma: 1).run(oracle, candidates: x, observed: [1, 2])
        }
        #expect(throws: OracleError.self) { try oracle.whiteBoxModel() }
    }

    @Test func theIdealClassifierLearnsAPlantedRelation() throws {
        let c = SyntheticCohort(n: 1500, effect: 1.5, noise: 0.3, prior: prior, seed: 4)
        let x = Matrix(rowVectors: zip(c.covariate, c.dose).map { [$0, $1] })
        var rng = SeededGenerator(seed: 5)
        var ideal = IdealClassifier()
        ideal.epochs = 40
        let fitted = try ideal.fit(x: x, labels: c.genotype, classCount: 3, using: &rng)
        let score = AttributeScore(fitted.run(x), truth: c.genotype)
        #expect(score.accuracy > 0.9 && score.auc > 0.95)
    }
}
