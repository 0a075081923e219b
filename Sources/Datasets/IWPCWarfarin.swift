import Foundation

/// One cleaning step of a loader: what it did to how many rows, and why.
public struct CleaningStep: Sendable, Equatable {
    /// What happens to the rows.
    public enum Action: String, Sendable {
        /// A cell was corrected in place.
        case repaired
        /// A value was mapped to another code.
        case recoded
        /// The rows left the cohort.
        case dropped
    }

    /// What was done.
    public let action: Action
    /// The rule, in words.
    public let reason: String
    /// Rows it touched.
    public let rows: Int
    /// Rows in the cohort after the step.
    public let remaining: Int
}

/// The patients a model can be fitted on, and how they were obtained from the table.
public struct IWPCCohort: Sendable {
    /// Patients with a stable dose and every covariate of the dosing algorithm.
    public let patients: [WarfarinPatient]
    /// Rows in the file.
    public let rowsRead: Int
    /// Every repair, recoding and drop, in order.
    public let steps: [CleaningStep]
}

/// Loads the IWPC table: typed columns, the three Excel-mangled cells repaired, missing kept missing.
public enum IWPCWarfarin {
    /// The file read from the dataset's folder.
    public static let fileName = "iwpc_data_7_3_09_revised.csv"

    /// Columns the loader reads (all must be in the header).
    enum Column {
        static let subject = "PharmGKB Subject ID"
        static let site = "Project Site"
        static let gender = "Gender"
        static let race = "Race (OMB)"
        static let age = "Age"
        static let height = "Height (cm)"
        static let weight = "Weight (kg)"
        static let amiodarone = "Amiodarone (Cordarone)"
        static let carbamazepine = "Carbamazepine (Tegretol)"
        static let phenytoin = "Phenytoin (Dilantin)"
        static let rifampin = "Rifampin or Rifampicin"
        static let inrRange = "Estimated Target INR Range Based on Indication"
        static let stable = "Subject Reached Stable Dose of Warfarin"
        static let dose = "Therapeutic Dose of Warfarin"
        static let cyp2c9 = "CYP2C9 consensus"
        static let vkorc1 = "VKORC1 -1639 consensus"
        static let all = [
            subject, site, gender, race, age, height, weight, amiodarone, carbamazepine, phenytoin,
            rifampin, inrRange, stable, dose, cyp2c9, vkorc1,
        ]
    }

    /// Excel turned these strings into dates when the sheet was exported; PROVENANCE.md gives the originals.
    static let repairs: [(column: String, mangled: String, original: String)] = [
        (Column.age, "19-Oct", "10 - 19"),
        (Column.inrRange, "3-Feb", "2-3"),
        (Column.inrRange, "4-Mar", "3-4"),
    ]

    /// Locates and verifies the file in the store, parses and cleans it.
    public static func load(from store: DatasetStore) throws -> IWPCCohort {
        let dir = try store.locate(Catalog.iwpcWarfarin)
        let path = (dir as NSString).appendingPathComponent(fileName)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DatasetError.unreadable(file: path, reason: "missing or not readable")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DatasetError.malformed(file: path, reason: "is not UTF-8 text")
        }
        return try load(csv: text, file: path)
    }

    /// Parses and cleans CSV text; `file` names the source in errors.
    public static func load(csv text: String, file: String) throws -> IWPCCohort {
        let (patients, repaired) = try parse(csv: text, file: file)
        return clean(patients, repairs: repaired)
    }

    /// Every row as a patient (missing cells as `nil`), and the repair steps applied.
    public static func parse(csv text: String, file: String) throws -> (patients: [WarfarinPatient], repairs: [CleaningStep]) {
        let rows = try CSVReader.parse(text, file: file)
        guard let header = rows.first else { throw DatasetError.malformed(file: file, reason: "is empty") }
        var index: [String: Int] = [:]
        for (i, name) in header.enumerated() { index[name] = i }
        let absent = Column.all.filter { index[$0] == nil }
        guard absent.isEmpty else {
            throw DatasetError.malformed(
                file: file,
                reason: "the header lacks column(s) \(absent.map { "'\($0)'" }.joined(separator: ", ")); "
                    + "is this the IWPC table?")
        }
        var repairCounts = [Int](repeating: 0, count: repairs.count)
        var patients: [WarfarinPatient] = []
        patients.reserveCapacity(rows.count - 1)
        for (r, fields) in rows.dropFirst().enumerated() {
            let line = r + 2
            guard fields.count == header.count else {
                throw DatasetError.malformed(file: file, reason: "line \(line) has \(fields.count) fields, the header has \(header.count)")
            }
            let cell = RowReader(fields: fields, index: index, file: file, line: line)
            func repaired(_ column: String) -> String? {
                let value = cell.text(column)
                guard let k = repairs.firstIndex(where: { $0.column == column && $0.mangled == value }) else { return value }
                repairCounts[k] += 1
                return repairs[k].original
            }
            let age = try repaired(Column.age).map { try ageDecades($0, cell: cell) }
            let inrRange = repaired(Column.inrRange)
            guard let subject = cell.text(Column.subject) else {
                throw DatasetError.malformed(file: file, reason: "line \(line): '\(Column.subject)' is empty")
            }
            let cypText = cell.text(Column.cyp2c9)
            patients.append(
                WarfarinPatient(
                    subjectID: subject,
                    site: try cell.number(Column.site).map { Int($0) },
                    gender: cell.text(Column.gender),
                    race: try race(cell),
                    ageDecades: age,
                    heightCm: try cell.number(Column.height),
                    weightKg: try cell.number(Column.weight),
                    vkorc1: try vkorc1(cell),
                    cyp2c9: try cyp2c9(cypText, cell: cell),
                    cyp2c9Reported: cypText,
                    amiodarone: try cell.flag(Column.amiodarone),
                    carbamazepine: try cell.flag(Column.carbamazepine),
                    phenytoin: try cell.flag(Column.phenytoin),
                    rifampin: try cell.flag(Column.rifampin),
                    targetINRRange: inrRange,
                    reachedStableDose: try cell.flag(Column.stable),
                    weeklyDoseMg: try cell.number(Column.dose)))
            if let d = patients.last?.weeklyDoseMg, d <= 0 {
                throw DatasetError.malformed(
                    file: file, reason: "line \(line): '\(Column.dose)' is \(d) mg/week; a stable dose must be positive")
            }
        }
        let steps = repairs.enumerated().map { k, fix in
            CleaningStep(
                action: .repaired, reason: "'\(fix.column)' = '\(fix.mangled)' (an Excel date) restored to '\(fix.original)'",
                rows: repairCounts[k], remaining: patients.count)
        }
        return (patients, steps)
    }

    /// Drops the patients the dosing algorithm cannot use, one documented rule at a time.
    public static func clean(_ all: [WarfarinPatient], repairs: [CleaningStep] = []) -> IWPCCohort {
        var steps = repairs
        var patients = all
        let rare = patients.filter { $0.cyp2c9 == .unknown && $0.cyp2c9Reported != nil }.count
        steps.append(
            CleaningStep(
                action: .recoded,
                reason: "CYP2C9 rare alleles (*5, *6, *11, *13, *14) coded as unknown: the algorithm has no coefficient for them",
                rows: rare, remaining: patients.count))
        let rules: [(String, (WarfarinPatient) -> Bool)] = [
            ("no therapeutic dose recorded", { $0.weeklyDoseMg != nil }),
            ("did not reach a stable dose (the dose is not a maintenance dose)", { $0.reachedStableDose != false }),
            ("age missing (a covariate of the algorithm)", { $0.ageDecades != nil }),
            ("height missing (a covariate of the algorithm)", { $0.heightCm != nil }),
            ("weight missing (a covariate of the algorithm)", { $0.weightKg != nil }),
        ]
        for (reason, keep) in rules {
            let before = patients.count
            patients = patients.filter(keep)
            steps.append(CleaningStep(action: .dropped, reason: reason, rows: before - patients.count, remaining: patients.count))
        }
        return IWPCCohort(patients: patients, rowsRead: all.count, steps: steps)
    }

    static func ageDecades(_ text: String, cell: RowReader) throws -> Int {
        if text == "90+" { return 9 }
        let parts = text.split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces) }
        if parts.count == 2, let lo = Int(parts[0]), let hi = Int(parts[1]), lo % 10 == 0, hi == lo + 9, (0...80).contains(lo) {
            return lo / 10
        }
        throw cell.error(Column.age, text, expected: "an age band like '60 - 69' or '90+'")
    }

    static func race(_ cell: RowReader) throws -> RaceGroup {
        switch cell.text(Column.race) {
        case "White": return .white
        case "Asian": return .asian
        case "Black or African American": return .black
        case "Unknown", nil: return .missingOrMixed
        case let other?: throw cell.error(Column.race, other, expected: "White, Asian, Black or African American, or Unknown")
        }
    }

    static func vkorc1(_ cell: RowReader) throws -> VKORC1 {
        switch cell.text(Column.vkorc1) {
        case "G/G": return .gg
        case "A/G", "G/A": return .ag
        case "A/A": return .aa
        case nil: return .unknown
        case let other?: throw cell.error(Column.vkorc1, other, expected: "A/A, A/G, G/G or NA")
        }
    }

    static func cyp2c9(_ text: String?, cell: RowReader) throws -> CYP2C9 {
        guard let text else { return .unknown }
        if let known = CYP2C9.known.first(where: { $0.rawValue == text }) { return known }
        let alleles = text.split(separator: "/")
        guard alleles.count == 2, alleles.allSatisfy({ $0.hasPrefix("*") && Int($0.dropFirst()) != nil }) else {
            throw cell.error(Column.cyp2c9, text, expected: "star alleles like '*1/*3', or NA")
        }
        return .unknown
    }
}

/// Typed access to one CSV row by column name; errors name the file, line, column and value.
struct RowReader {
    let fields: [String]
    let index: [String: Int]
    let file: String
    let line: Int

    /// The cell's text; `nil` for `NA` or an empty cell.
    func text(_ column: String) -> String? {
        guard let i = index[column] else { return nil }
        let v = fields[i].trimmingCharacters(in: .whitespaces)
        return v.isEmpty || v == "NA" ? nil : v
    }

    func number(_ column: String) throws -> Float? {
        guard let t = text(column) else { return nil }
        guard let v = Float(t), v.isFinite else { throw error(column, t, expected: "a number or NA") }
        return v
    }

    func flag(_ column: String) throws -> Bool? {
        switch text(column) {
        case nil: return nil
        case "0": return false
        case "1": return true
        case let other?: throw error(column, other, expected: "0, 1 or NA")
        }
    }

    func error(_ column: String, _ value: String, expected: String) -> DatasetError {
        .malformed(file: file, reason: "line \(line), column '\(column)': '\(value)' is not \(expected)")
    }
}
