// The pieces main.swift strings together: dosing metrics, the two genotype targets with the
// rows an attacker tries, and one attack run per target and cohort.

import Datasets
import Foundation
import Learning
import MLCore
import Privacy

/// How well a model of sqrt(weekly dose) doses a set of patients.
struct DosingMetrics {
    /// R^2 on the sqrt scale the model is fitted on.
    let r2: Double
    /// Mean absolute error of the dose in mg/week.
    let maeMg: Double
    /// Share of patients whose predicted dose is within 20 % of their stable dose.
    let within20: Double

    init(predictedSqrt: [Float], actualSqrt: [Float]) {
        let n = Double(actualSqrt.count)
        let mean = actualSqrt.reduce(0.0) { $0 + Double($1) } / n
        var ssRes = 0.0
        var ssTot = 0.0
        var absErr = 0.0
        var within = 0
        for i in actualSqrt.indices {
            let p = Double(predictedSqrt[i])
            let y = Double(actualSqrt[i])
            ssRes += (y - p) * (y - p)
            ssTot += (y - mean) * (y - mean)
            let dose = y * y
            let predicted = p * p
            absErr += abs(predicted - dose)
            if abs(predicted - dose) <= 0.2 * dose { within += 1 }
        }
        r2 = 1 - ssRes / ssTot
        maeMg = absErr / n
        within20 = Double(within) / n
    }

    init(_ model: any Regressor, patients: [WarfarinPatient]) {
        self.init(predictedSqrt: model.predict(IWPCDosing.design(patients)), actualSqrt: IWPCDosing.target(patients))
    }
}

/// A genotype the attacker wants to learn.
enum GenotypeTarget: String, CaseIterable {
    case vkorc1 = "VKORC1"
    case cyp2c9 = "CYP2C9"

    /// Names of the candidate values, in the order of posteriors.
    var values: [String] {
        switch self {
        case .vkorc1: return VKORC1.known.map(\.rawValue)
        case .cyp2c9: return CYP2C9.known.map(\.rawValue)
        }
    }

    /// The patient's genotype as an index into `values`, nil when not genotyped.
    func truth(_ p: WarfarinPatient) -> Int? {
        switch self {
        case .vkorc1: return VKORC1.known.firstIndex(of: p.vkorc1)
        case .cyp2c9: return CYP2C9.known.firstIndex(of: p.cyp2c9)
        }
    }

    /// The attacker's input rows: the patient's covariates with each candidate genotype in turn.
    func candidateRows(_ patients: [WarfarinPatient]) -> Matrix {
        var rows: [[Float]] = []
        for p in patients {
            switch self {
            case .vkorc1: rows += VKORC1.known.map { IWPCDosing.covariates(p, vkorc1: $0) }
            case .cyp2c9: rows += CYP2C9.known.map { IWPCDosing.covariates(p, cyp2c9: $0) }
            }
        }
        return Matrix(rowVectors: rows)
    }

    /// What the ideal classifier sees: every covariate except this genotype's, and sqrt(dose).
    func idealFeatures(_ patients: [WarfarinPatient]) -> Matrix {
        let drop = Set(IWPCDosing.columnNames.indices.filter { IWPCDosing.columnNames[$0].hasPrefix(rawValue.lowercased() + "_") })
        return Matrix(
            rowVectors: patients.map { p in
                let x = IWPCDosing.covariates(p)
                return x.indices.filter { !drop.contains($0) }.map { x[$0] } + [(p.weeklyDoseMg ?? .nan).squareRoot()]
            })
    }

    /// The marginals of the genotyped values in `patients` (what the attacker is assumed to know).
    func marginals(_ patients: [WarfarinPatient]) -> [Double] {
        var counts = [Double](repeating: 0, count: values.count)
        for p in patients { if let t = truth(p) { counts[t] += 1 } }
        let total = counts.reduce(0, +)
        return counts.map { $0 / total }
    }
}

/// Patients of a cohort whose target genotype is known: their true values, and what the attacker
/// submits (each candidate genotype in turn) and observes (sqrt of the stable dose). Built once,
/// attacked by every model.
struct Targets {
    let patients: [WarfarinPatient]
    let truth: [Int]
    let candidates: Matrix
    let observed: [Float]

    init(_ target: GenotypeTarget, _ cohort: [WarfarinPatient]) {
        patients = cohort.filter { target.truth($0) != nil }
        truth = patients.compactMap { target.truth($0) }
        candidates = target.candidateRows(patients)
        observed = IWPCDosing.target(patients)
    }
}

/// One row of attacks.csv.
struct AttackResult {
    let target: GenotypeTarget
    let cohort: String
    let method: String
    let score: AttributeScore
    let queries: Int
}

/// Fredrikson et al.'s inversion of `model` for one genotype, through a white-box oracle.
func invert(_ model: LinearRegression, targets: Targets, prior: [Double], sigma: Float) throws -> (score: AttributeScore, queries: Int) {
    let oracle = RegressionOracle(model, access: .whiteBox)
    let attack = RegressionInversion(prior: prior, sigma: Double(sigma))
    let inference = try attack.run(oracle, candidates: targets.candidates, observed: targets.observed)
    return (AttributeScore(inference, truth: targets.truth), oracle.queries)
}

/// The intercept and every covariate's coefficient, fitted here and published by the IWPC.
func coefficientRows(_ model: LinearRegression) -> [(name: String, fitted: Float, published: Float)] {
    [("intercept", model.intercept, IWPCDosing.publishedIntercept)]
        + IWPCDosing.columnNames.indices.map { (IWPCDosing.columnNames[$0], model.weights[$0], IWPCDosing.publishedWeights[$0]) }
}

/// Everything a run computed, as the outputs and the report read it.
struct Results {
    let trials: Int
    let splits: Int
    let cohort: IWPCCohort
    let training: [WarfarinPatient]
    let heldOut: [WarfarinPatient]
    let model: LinearRegression
    let sigma: Float
    let utility: [(model: String, patients: String, metrics: DosingMetrics)]
    let attacks: [AttackResult]
    let repeats: [SplitRepeat]
    let privacy: PrivacySweep

    /// The accuracy of `method` on `target` in `cohort`.
    func accuracy(_ target: GenotypeTarget, _ cohort: String, _ method: String) -> Double {
        attacks.first { $0.target == target && $0.cohort == cohort && $0.method == method }?.score.accuracy ?? .nan
    }

    /// How many patients of `cohort` were scored for `target`.
    func scored(_ target: GenotypeTarget, _ cohort: String) -> Int {
        attacks.first { $0.target == target && $0.cohort == cohort }?.score.count ?? 0
    }
}
