import Foundation

/// One cell of a CSV table, formatted the same way on every run.
public enum CSVField: Sendable, Equatable {
    /// Text, quoted when it holds a comma, quote or line break (RFC 4180).
    case text(String)
    /// An integer.
    case int(Int)
    /// A number with a fixed count of decimals; NaN is written as `NaN`.
    case number(Double, decimals: Int)
    /// A missing value (an empty cell).
    case missing

    /// The cell as it appears in the file.
    public var rendered: String {
        switch self {
        case .text(let s): return CSVTable.quote(s)
        case .int(let i): return String(i)
        case .number(let x, let d):
            if x.isNaN { return "NaN" }
            if x.isInfinite { return x > 0 ? "Inf" : "-Inf" }
            let s = String(format: "%.\(d)f", x)
            return s.hasPrefix("-") && s.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) ? String(s.dropFirst()) : s
        case .missing: return ""
        }
    }
}

/// A CSV table with a fixed header; rendering is deterministic (LF line ends, fixed number formats).
public struct CSVTable: Sendable {
    /// Column names, in order.
    public let header: [String]
    /// Rows, each with one field per column.
    public private(set) var rows: [[CSVField]] = []

    /// An empty table with these columns.
    public init(header: [String]) {
        self.header = header
    }

    /// Appends a row; it must have one field per column.
    public mutating func append(_ row: [CSVField]) {
        precondition(row.count == header.count, "CSV row has \(row.count) fields for \(header.count) columns")
        rows.append(row)
    }

    /// The whole file as text.
    public var rendered: String {
        var out = header.map(CSVTable.quote).joined(separator: ",") + "\n"
        for row in rows {
            out += row.map(\.rendered).joined(separator: ",") + "\n"
        }
        return out
    }

    /// Quotes a field when RFC 4180 requires it.
    public static func quote(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
