import Foundation
import MLCore

extension Catalog {
    /// UCI Adult (Census Income): 32,561 training and 16,281 test records, income above or below $50K.
    public static let uciAdult = CatalogEntry(
        name: "uci_adult",
        checksums: .resource(file: "uci_adult.sha256", sha256: "c2ed62fd46a340c7620a7e644d3462da0a8e96e60367b4b7143243a418461ca1"),
        sourceURL: "https://archive.ics.uci.edu/dataset/2/adult",
        archiveURL: nil,
        licence: "Creative Commons Attribution 4.0 International (CC BY 4.0).",
        citation: "B. Becker and R. Kohavi, Adult, UCI Machine Learning Repository, 1996, doi:10.24432/C5XW20.")
}

/// The UCI Adult files as `adult.names` describes them, encoded for a classifier: the six numeric columns
/// standardised with the training file's mean and standard deviation, each categorical column one-hot over
/// its documented values, `?` (missing) as all zeros in its group, the label 1 for `>50K`.
public enum UCIAdult {
    /// A categorical column and its values, in the order of `adult.names`.
    struct Categorical {
        let name: String
        let values: [String]
    }

    /// The fifteen columns: numeric ones by name, categorical ones with their values, then the label.
    static let numeric = ["age", "fnlwgt", "education-num", "capital-gain", "capital-loss", "hours-per-week"]
    static let categorical = [
        Categorical(
            name: "workclass",
            values: ["Private", "Self-emp-not-inc", "Self-emp-inc", "Federal-gov", "Local-gov", "State-gov", "Without-pay", "Never-worked"]),
        Categorical(
            name: "education",
            values: [
                "Bachelors", "Some-college", "11th", "HS-grad", "Prof-school", "Assoc-acdm", "Assoc-voc", "9th", "7th-8th", "12th",
                "Masters", "1st-4th", "10th", "Doctorate", "5th-6th", "Preschool",
            ]),
        Categorical(
            name: "marital-status",
            values: [
                "Married-civ-spouse", "Divorced", "Never-married", "Separated", "Widowed", "Married-spouse-absent", "Married-AF-spouse",
            ]),
        Categorical(
            name: "occupation",
            values: [
                "Tech-support", "Craft-repair", "Other-service", "Sales", "Exec-managerial", "Prof-specialty", "Handlers-cleaners",
                "Machine-op-inspct", "Adm-clerical", "Farming-fishing", "Transport-moving", "Priv-house-serv", "Protective-serv",
                "Armed-Forces",
            ]),
        Categorical(name: "relationship", values: ["Wife", "Own-child", "Husband", "Not-in-family", "Other-relative", "Unmarried"]),
        Categorical(name: "race", values: ["White", "Asian-Pac-Islander", "Amer-Indian-Eskimo", "Other", "Black"]),
        Categorical(name: "sex", values: ["Female", "Male"]),
        Categorical(
            name: "native-country",
            values: [
                "United-States", "Cambodia", "England", "Puerto-Rico", "Canada", "Germany", "Outlying-US(Guam-USVI-etc)", "India", "Japan",
                "Greece", "South", "China", "Cuba", "Iran", "Honduras", "Philippines", "Italy", "Poland", "Jamaica", "Vietnam", "Mexico",
                "Portugal", "Ireland", "France", "Dominican-Republic", "Laos", "Ecuador", "Taiwan", "Haiti", "Columbia", "Hungary",
                "Guatemala", "Nicaragua", "Scotland", "Thailand", "Yugoslavia", "El-Salvador", "Trinadad&Tobago", "Peru", "Hong",
                "Holand-Netherlands",
            ]),
    ]
    /// The columns in file order: a numeric column's index into `numeric`, or a categorical one's into `categorical`.
    enum Column {
        case numeric(Int)
        case categorical(Int)
    }
    static let layout: [Column] = [
        .numeric(0), .categorical(0), .numeric(1), .categorical(1), .numeric(2), .categorical(2), .categorical(3),
        .categorical(4), .categorical(5), .categorical(6), .numeric(3), .numeric(4), .numeric(5), .categorical(7),
    ]

    /// The encoded width: six numeric columns and every categorical value.
    public static var featureCount: Int { numeric.count + categorical.reduce(0) { $0 + $1.values.count } }

    /// The names of the encoded features (`age`, ..., `workclass=Private`, ...).
    public static var featureNames: [String] {
        numeric + categorical.flatMap { c in c.values.map { "\(c.name)=\($0)" } }
    }

    /// The training and test files, encoded with the training file's statistics.
    public struct Split: Sendable {
        /// `adult.data`.
        public let train: LabeledData
        /// `adult.test`.
        public let test: LabeledData
        /// Records with at least one `?`, per file (kept, with the missing group all zeros).
        public let missing: (train: Int, test: Int)
    }

    /// Locates and verifies both files in the store, then parses and encodes them.
    public static func load(from store: DatasetStore) throws -> Split {
        let dir = try store.locate(Catalog.uciAdult)
        func text(_ name: String) throws -> (String, String) {
            let path = (dir as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw DatasetError.unreadable(file: path, reason: "missing or not readable")
            }
            return (String(decoding: data, as: UTF8.self), path)
        }
        let (trainText, trainPath) = try text("adult.data")
        let (testText, testPath) = try text("adult.test")
        return try encode(train: parse(trainText, file: trainPath), test: parse(testText, file: testPath))
    }

    /// One parsed record: numeric values, the index of each categorical value (nil for `?`), the label.
    struct Record {
        let numeric: [Double]
        let categories: [Int?]
        let label: Int
    }

    /// The records of one file. The test file's first line (`|1x3 Cross validator`) and trailing `.` on labels are
    /// accepted; blank lines are skipped; anything else that breaks the format is an error naming file, line and column.
    static func parse(_ text: String, file: String) throws -> [Record] {
        var records: [Record] = []
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        for (i, raw) in lines.enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || (i == 0 && line.hasPrefix("|")) { continue }
            func fail(_ reason: String) -> DatasetError { .malformed(file: file, reason: "line \(i + 1): \(reason)") }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 15 else { throw fail("\(fields.count) fields, expected 15 (14 attributes and the income)") }
            var numbers = [Double](repeating: 0, count: numeric.count)
            var categories = [Int?](repeating: nil, count: categorical.count)
            for (k, column) in layout.enumerated() {
                let value = fields[k]
                switch column {
                case .numeric(let n):
                    guard let x = Double(value), x.isFinite else {
                        throw fail("\(numeric[n]) is '\(value)', expected a number")
                    }
                    numbers[n] = x
                case .categorical(let c):
                    if value == "?" { continue }
                    guard let index = categorical[c].values.firstIndex(of: value) else {
                        throw fail(
                            "\(categorical[c].name) is '\(value)', an unknown category (expected one of "
                                + "\(categorical[c].values.joined(separator: ", ")), or ? for missing)")
                    }
                    categories[c] = index
                }
            }
            let income = fields[14].hasSuffix(".") ? String(fields[14].dropLast()) : fields[14]
            guard income == "<=50K" || income == ">50K" else {
                throw fail("the income is '\(fields[14])', expected <=50K or >50K (with a trailing . in adult.test)")
            }
            records.append(Record(numeric: numbers, categories: categories, label: income == ">50K" ? 1 : 0))
        }
        guard !records.isEmpty else { throw DatasetError.malformed(file: file, reason: "the file holds no records") }
        return records
    }

    /// Encodes both files with the training records' means and standard deviations.
    static func encode(train: [Record], test: [Record]) -> Split {
        let means = (0..<numeric.count).map { n in train.reduce(0.0) { $0 + $1.numeric[n] } / Double(train.count) }
        let sds = (0..<numeric.count).map { n -> Double in
            let v = train.reduce(0.0) { $0 + ($1.numeric[n] - means[n]) * ($1.numeric[n] - means[n]) } / Double(train.count)
            return v > 0 ? v.squareRoot() : 1
        }
        var offsets: [Int] = []
        var next = numeric.count
        for c in categorical {
            offsets.append(next)
            next += c.values.count
        }
        func data(_ records: [Record], name: String) -> LabeledData {
            var m = Matrix(rows: records.count, cols: featureCount)
            for (r, record) in records.enumerated() {
                for n in 0..<numeric.count { m[r, n] = Float((record.numeric[n] - means[n]) / sds[n]) }
                for (c, index) in record.categories.enumerated() {
                    if let index { m[r, offsets[c] + index] = 1 }
                }
            }
            return LabeledData(name: name, features: m, labels: records.map(\.label), classCount: 2)
        }
        let missing = (train.filter { $0.categories.contains(nil) }.count, test.filter { $0.categories.contains(nil) }.count)
        return Split(train: data(train, name: "uci_adult"), test: data(test, name: "uci_adult"), missing: missing)
    }
}
