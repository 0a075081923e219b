import MLCore

/// The covariates of the IWPC pharmacogenetic dosing algorithm (NEJM 2009, appendix), which
/// predicts sqrt(weekly dose in mg) linearly from them.
public enum IWPCDosing {
    /// Column names of `covariates`, in order.
    public static let columnNames = [
        "age_decades", "height_cm", "weight_kg",
        "vkorc1_AG", "vkorc1_AA", "vkorc1_unknown",
        "cyp2c9_12", "cyp2c9_13", "cyp2c9_22", "cyp2c9_23", "cyp2c9_33", "cyp2c9_unknown",
        "race_asian", "race_black", "race_missing_or_mixed",
        "enzyme_inducer", "amiodarone",
    ]

    /// The published algorithm: intercept 5.6044 and one coefficient per column of `columnNames`
    /// (IWPC, N Engl J Med 2009;360:753-64, supplementary appendix).
    public static let publishedIntercept: Float = 5.6044
    /// The published coefficients, in the order of `columnNames`.
    public static let publishedWeights: [Float] = [
        -0.2614, 0.0087, 0.0128,
        -0.8677, -1.6974, -0.4854,
        -0.5211, -0.9357, -1.0616, -1.9206, -2.3312, -0.2188,
        -0.1092, -0.2760, -0.1032,
        1.1816, -0.5503,
    ]

    /// Range of each covariate fixed in advance from clinical plausibility, not from the data (a
    /// differentially private fit may not look at the data to scale it): age 0-9 decades, height
    /// 100-220 cm, weight 20-250 kg, indicators 0-1.
    public static let publicBounds: [ClosedRange<Float>] = [0...9, 100...220, 20...250] + Array(repeating: 0...1, count: 14)

    /// Range of the target sqrt(mg/week), fixed in advance: 0 to 20 (up to 400 mg/week).
    public static let publicTargetBounds: ClosedRange<Float> = 0...20

    /// One patient's covariates; `vkorc1` / `cyp2c9` replace the patient's genotypes when given
    /// (an attacker trying each value). Medications count missing as "no", as the IWPC algorithm does.
    public static func covariates(_ p: WarfarinPatient, vkorc1: VKORC1? = nil, cyp2c9: CYP2C9? = nil) -> [Float] {
        let v = vkorc1 ?? p.vkorc1
        let c = cyp2c9 ?? p.cyp2c9
        func flag(_ b: Bool) -> Float { b ? 1 : 0 }
        return [
            p.ageDecades.map(Float.init) ?? .nan, p.heightCm ?? .nan, p.weightKg ?? .nan,
            flag(v == .ag), flag(v == .aa), flag(v == .unknown),
            flag(c == .star12), flag(c == .star13), flag(c == .star22), flag(c == .star23), flag(c == .star33), flag(c == .unknown),
            flag(p.race == .asian), flag(p.race == .black), flag(p.race == .missingOrMixed),
            flag(p.enzymeInducer), flag(p.amiodarone == true),
        ]
    }

    /// The design matrix of `patients`, one row each (NaN where age, height or weight is missing).
    public static func design(_ patients: [WarfarinPatient]) -> Matrix {
        Matrix(rowVectors: patients.map { covariates($0) })
    }

    /// The regression target: sqrt of the weekly dose (NaN when missing).
    public static func target(_ patients: [WarfarinPatient]) -> [Float] {
        patients.map { ($0.weeklyDoseMg ?? .nan).squareRoot() }
    }
}
