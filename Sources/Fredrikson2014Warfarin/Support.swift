// The pieces main.swift strings together: dosing metrics, the two genotype targets with the
// rows an attacker tries, and one attack run per target and cohort.

import Datasets
import Foundation
import Learning
import MLCore
import Privacy
import Reporting

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

    /// What the ideal classifier sees: every covariate except this genotype's (and the race columns
    /// without race), and sqrt(dose) unless the variant leaves it out.
    func idealFeatures(_ patients: [WarfarinPatient], _ variant: IdealVariant = .full) -> Matrix {
        let names = IWPCDosing.columnNames
        let kept = names.indices.filter {
            !(names[$0].hasPrefix(rawValue.lowercased() + "_") || (variant == .withoutRace && names[$0].hasPrefix("race_")))
        }
        return Matrix(
            rowVectors: patients.map { p in
                let x = IWPCDosing.covariates(p)
                let features = kept.map { x[$0] }
                return variant == .withoutDose ? features : features + [(p.weeklyDoseMg ?? .nan).squareRoot()]
            })
    }

    /// The attacker's prior for this genotype, counted on the genotyped patients of `training`.
    func prior(_ kind: AttackerPrior, _ training: Targets) throws -> AttributePrior {
        switch kind {
        case .marginal: return try .marginal(training.truth, valueCount: values.count)
        case .racePrior:
            return try .groupConditional(
                training.truth, groups: training.groups, groupCount: RaceGroup.allCases.count, valueCount: values.count, pseudocount: 1)
        case .uniform: return try .uniform(valueCount: values.count)
        }
    }
}

/// What the inversion's attacker believes about the genotype before the model answers.
enum AttackerPrior: String, CaseIterable {
    /// The genotype's frequencies in the training cohort (the paper's attacker).
    case marginal
    /// The genotype's frequencies within the patient's race group in the training cohort (add-one
    /// smoothed): what population genetics publishes about each population.
    case racePrior = "race_prior"
    /// Every genotype equally likely: the inversion is the likelihood's argmax.
    case uniform

    /// The method's name in attacks.csv.
    var method: AttackMethod { .inversion(self) }
}

/// What the ideal classifier is given: every covariate but the target genotype, and the dose.
enum IdealVariant: String, CaseIterable {
    /// Everything, the dose included (the paper's ideal).
    case full = "ideal"
    /// Without the race columns.
    case withoutRace = "ideal_without_race"
    /// Without the dose: demographics, medications and the other genotype only.
    case withoutDose = "ideal_without_dose"
}

/// Patients of a cohort whose target genotype is known: their true values and race groups, and what
/// the attacker submits (each candidate genotype in turn) and observes (sqrt of the stable dose).
/// Built once, attacked by every model.
struct Targets {
    let patients: [WarfarinPatient]
    let truth: [Int]
    /// Each patient's race group, as an index into `RaceGroup.allCases`.
    let groups: [Int]
    let candidates: Matrix
    let observed: [Float]

    init(_ target: GenotypeTarget, _ cohort: [WarfarinPatient]) {
        patients = cohort.filter { target.truth($0) != nil }
        truth = patients.compactMap { target.truth($0) }
        groups = patients.map { p in RaceGroup.allCases.firstIndex(of: p.race) ?? 0 }
        candidates = target.candidateRows(patients)
        observed = IWPCDosing.target(patients)
    }
}

/// One row of attacks.csv.
struct AttackResult {
    let target: GenotypeTarget
    let cohort: Cohort
    let method: AttackMethod
    let score: AttributeScore
    let queries: Int
}

/// Fredrikson et al.'s inversion of `model` for one genotype, through a white-box oracle.
func invert(_ model: LinearRegression, targets: Targets, prior: AttributePrior, sigma: Float) throws -> (
    score: AttributeScore, queries: Int
) {
    let oracle = WhiteBoxOracle(model)
    let attack = RegressionInversion(prior: prior, sigma: Double(sigma))
    let groups = prior.groupCount > 1 ? targets.groups : nil
    let inference = try attack.run(
        oracle,
        targets: AttributeTargets(candidates: targets.candidates, valueCount: prior.valueCount, observed: targets.observed, groups: groups))
    return (AttributeScore(inference, truth: targets.truth), oracle.queries)
}

/// Who guesses the genotype: the paper's inversion (its marginal prior), the inversion under each prior, the
/// baseline, each ideal classifier.
enum AttackMethod: Hashable, CustomStringConvertible {
    case modelInversion
    case inversion(AttackerPrior)
    case baseline
    case ideal(IdealVariant)

    /// Every method, in the order of attacks.csv.
    static let all: [AttackMethod] =
        [.modelInversion] + AttackerPrior.allCases.map { .inversion($0) } + [.baseline] + IdealVariant.allCases.map { .ideal($0) }

    /// The name in tables (`model_inversion`, `model_inversion_race`, `baseline`, `ideal_without_dose`).
    var description: String {
        switch self {
        case .modelInversion: return "model_inversion"
        case .inversion(let prior): return "model_inversion_\(prior.rawValue)"
        case .baseline: return "baseline"
        case .ideal(let variant): return variant.rawValue
        }
    }
}

/// The patients a method is scored on: the dosing model's training cohort, or the held-out patients.
enum Cohort: String, CaseIterable, CustomStringConvertible {
    case training
    case heldOut = "held_out"

    /// The name in tables.
    var description: String { rawValue }
}

/// One genotype's targets in both cohorts of a split, built once and used by every method.
struct SplitTargets {
    let target: GenotypeTarget
    let training: Targets
    let heldOut: Targets

    /// Both genotypes' targets for this split.
    static func all(training: [WarfarinPatient], heldOut: [WarfarinPatient]) -> [SplitTargets] {
        GenotypeTarget.allCases.map { SplitTargets(target: $0, training: Targets($0, training), heldOut: Targets($0, heldOut)) }
    }
}

/// Every method against one genotype: priors and ideal classifiers from the training cohort, each
/// scored on both cohorts. `model_inversion` is the paper's attacker and so the marginal prior's row again.
func attackAll(_ s: SplitTargets, model: LinearRegression, sigma: Float, ideal: IdealClassifier) throws -> [AttackResult] {
    let target = s.target
    let priors = try AttackerPrior.allCases.map { ($0, try target.prior($0, s.training)) }
    // Each ideal variant's features for each cohort, computed once: the training ones both fit and score.
    let features = IdealVariant.allCases.map { v in
        (target.idealFeatures(s.training.patients, v), target.idealFeatures(s.heldOut.patients, v))
    }
    let classifiers = try features.map { f in try ideal.fit(x: f.0, labels: s.training.truth, classCount: target.values.count) }
    var out: [AttackResult] = []
    for (cohort, t) in [(Cohort.training, s.training), (.heldOut, s.heldOut)] {
        let inversions = try priors.map { kind, prior in
            let r = try invert(model, targets: t, prior: prior, sigma: sigma)
            return (kind, AttackResult(target: target, cohort: cohort, method: kind.method, score: r.score, queries: r.queries))
        }
        if let paper = inversions.first(where: { $0.0 == .marginal })?.1 {
            out.append(AttackResult(target: target, cohort: cohort, method: .modelInversion, score: paper.score, queries: paper.queries))
        }
        out += inversions.map(\.1)
        if let marginal = priors.first(where: { $0.0 == .marginal })?.1 {
            let baseline = MostFrequentValue(prior: marginal.distribution(group: 0)).run(count: t.patients.count)
            out.append(
                AttackResult(
                    target: target, cohort: cohort, method: .baseline, score: AttributeScore(baseline, truth: t.truth), queries: 0))
        }
        for (v, (c, f)) in zip(IdealVariant.allCases, zip(classifiers, features)) {
            let score = AttributeScore(c.run(cohort == .training ? f.0 : f.1), truth: t.truth)
            out.append(AttackResult(target: target, cohort: cohort, method: .ideal(v), score: score, queries: 0))
        }
    }
    return out
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
    let utility: [DosingRow]
    let attacks: [AttackResult]
    let priors: [PriorRow]
    let repeats: [SplitRepeat]
    let paired: [PairedSummary]
    let fits: [IdealFitRow]
    let idealL2: Double
    let privacy: PrivacySweep

    /// The accuracy of `method` on `target` in `cohort`.
    func accuracy(_ target: GenotypeTarget, _ cohort: Cohort, _ method: AttackMethod) -> Double {
        attacks.first { $0.target == target && $0.cohort == cohort && $0.method == method }?.score.accuracy ?? .nan
    }

    /// The summary over redrawn splits of `method` on `target` in `cohort`.
    func paired(_ target: GenotypeTarget, _ method: AttackMethod, _ cohort: Cohort = .training) -> PairedSummary? {
        paired.first { $0.target == target && $0.method == method && $0.cohort == cohort }
    }

    /// `a` minus `b` on `target` in `cohort`, paired over the redrawn splits: mean and spread.
    func difference(_ target: GenotypeTarget, _ a: AttackMethod, _ b: AttackMethod, _ cohort: Cohort = .training) -> (
        mean: Double, sd: Double
    ) {
        PairedSummary.difference(repeats, target, a, b, cohort)
    }

    /// How many patients of `cohort` were scored for `target`.
    func scored(_ target: GenotypeTarget, _ cohort: Cohort) -> Int {
        attacks.first { $0.target == target && $0.cohort == cohort }?.score.count ?? 0
    }
}

/// One distribution of an attacker's prior: for a target, a prior kind and a group (a race, or "all").
struct PriorRow {
    let target: GenotypeTarget
    let prior: AttackerPrior
    let group: String
    /// Genotyped training patients the distribution was counted on (0 for uniform).
    let patients: Int
    let probabilities: [Double]

    /// Every prior of both genotypes, as counted on the training cohort.
    static func all(_ splits: [SplitTargets]) throws -> [PriorRow] {
        var rows: [PriorRow] = []
        for s in splits {
            let (target, t) = (s.target, s.training)
            for kind in AttackerPrior.allCases {
                let prior = try target.prior(kind, t)
                if kind == .racePrior {
                    for (g, race) in RaceGroup.allCases.enumerated() {
                        rows.append(
                            PriorRow(
                                target: target, prior: kind, group: race.rawValue, patients: t.groups.filter { $0 == g }.count,
                                probabilities: prior.distribution(group: g)))
                    }
                } else {
                    rows.append(
                        PriorRow(
                            target: target, prior: kind, group: "all", patients: kind == .uniform ? 0 : t.truth.count,
                            probabilities: prior.distribution(group: 0)))
                }
            }
        }
        return rows
    }

    /// "GG 45.1%, AG 35.0%, ...": the distribution with the genotype names.
    var text: String { zip(target.values, probabilities).map { "\($0) \(Format.pct($1))" }.joined(separator: ", ") }

}
