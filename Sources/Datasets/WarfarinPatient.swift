/// VKORC1 -1639 G>A (rs9923231) genotype, as the IWPC algorithm codes it.
public enum VKORC1: String, CaseIterable, Sendable {
    /// G/G, the reference (highest dose).
    case gg = "G/G"
    /// A/G.
    case ag = "A/G"
    /// A/A (lowest dose).
    case aa = "A/A"
    /// Not genotyped.
    case unknown

    /// The genotyped values, in the order attacks and tables use.
    public static let known: [VKORC1] = [.gg, .ag, .aa]
}

/// CYP2C9 genotype (star alleles), as the IWPC algorithm codes it.
public enum CYP2C9: String, CaseIterable, Sendable {
    /// *1/*1, the reference.
    case star11 = "*1/*1"
    /// *1/*2.
    case star12 = "*1/*2"
    /// *1/*3.
    case star13 = "*1/*3"
    /// *2/*2.
    case star22 = "*2/*2"
    /// *2/*3.
    case star23 = "*2/*3"
    /// *3/*3.
    case star33 = "*3/*3"
    /// Not genotyped, or a rare allele (*5, *6, *11, *13, *14) the algorithm has no coefficient for.
    case unknown

    /// The genotyped values, in the order attacks and tables use.
    public static let known: [CYP2C9] = [.star11, .star12, .star13, .star22, .star23, .star33]
}

/// Race groups of the IWPC algorithm (from the OMB race column).
public enum RaceGroup: String, CaseIterable, Sendable {
    /// White, the reference.
    case white = "White"
    /// Asian.
    case asian = "Asian"
    /// Black or African American.
    case black = "Black or African American"
    /// Missing or mixed race (OMB "Unknown").
    case missingOrMixed = "Missing or mixed"
}

/// One patient of the IWPC table; `nil` means the cell was missing (never zero).
public struct WarfarinPatient: Sendable, Equatable {
    /// PharmGKB subject ID.
    public var subjectID: String
    /// Project site (1-21).
    public var site: Int?
    /// "male" or "female".
    public var gender: String?
    /// Race group.
    public var race: RaceGroup
    /// Age in decades: 1 for 10-19 years ... 9 for 90 or older.
    public var ageDecades: Int?
    /// Height in cm.
    public var heightCm: Float?
    /// Weight in kg.
    public var weightKg: Float?
    /// VKORC1 -1639 consensus genotype.
    public var vkorc1: VKORC1
    /// CYP2C9 consensus genotype.
    public var cyp2c9: CYP2C9
    /// The CYP2C9 consensus as written (keeps the rare alleles coded as unknown).
    public var cyp2c9Reported: String?
    /// Takes amiodarone (Cordarone).
    public var amiodarone: Bool?
    /// Takes carbamazepine (Tegretol).
    public var carbamazepine: Bool?
    /// Takes phenytoin (Dilantin).
    public var phenytoin: Bool?
    /// Takes rifampin or rifampicin.
    public var rifampin: Bool?
    /// Estimated target INR range from the indication, e.g. "2-3".
    public var targetINRRange: String?
    /// Reached a stable dose of warfarin.
    public var reachedStableDose: Bool?
    /// Therapeutic (stable) dose in mg/week.
    public var weeklyDoseMg: Float?

    /// Takes an enzyme inducer (carbamazepine, phenytoin or rifampin); the IWPC algorithm counts a
    /// missing answer as "no".
    public var enzymeInducer: Bool { carbamazepine == true || phenytoin == true || rifampin == true }
}
