/// One column of a result table: its name and cell in the CSV file, and its title and text on the console and in
/// the report. A column can be in the CSV file only (`csvOnly`) or shown only (`shown`).
public struct Column<Row> {
    /// The CSV header, or nil for a column that is only shown.
    public let name: String?
    /// The console's and the report's header, or nil for a column that is only in the CSV file.
    public let title: String?
    let field: ((Row) -> CSVField)?
    let text: ((Row) -> String)?

    init(name: String?, title: String?, field: ((Row) -> CSVField)?, text: ((Row) -> String)?) {
        self.name = name
        self.title = title
        self.field = field
        self.text = text
    }

    /// A text column, the same in the file and on screen.
    public static func text(_ name: String, title: String? = nil, _ value: @escaping (Row) -> String) -> Column {
        Column(name: name, title: title ?? name, field: { .text(value($0)) }, text: value)
    }

    /// An integer column.
    public static func int(_ name: String, title: String? = nil, _ value: @escaping (Row) -> Int) -> Column {
        Column(name: name, title: title ?? name, field: { .int(value($0)) }, text: { String(value($0)) })
    }

    /// A number with `decimals` decimals in the file, shown by `shown` (default: as in the file).
    public static func number(
        _ name: String, decimals: Int, title: String? = nil, shown: ((Double) -> String)? = nil, _ value: @escaping (Row) -> Double
    ) -> Column {
        let field: (Row) -> CSVField = { .number(value($0), decimals: decimals) }
        return Column(
            name: name, title: title ?? name, field: field, text: { row in shown.map { $0(value(row)) } ?? field(row).rendered })
    }

    /// A column with its own cell in the file and its own text on screen.
    public static func custom(
        _ name: String, title: String? = nil, field: @escaping (Row) -> CSVField, shown: @escaping (Row) -> String
    ) -> Column {
        Column(name: name, title: title ?? name, field: field, text: shown)
    }

    /// A column shown on the console and in the report but not written to the CSV file.
    public static func shown(_ title: String, _ text: @escaping (Row) -> String) -> Column {
        Column(name: nil, title: title, field: nil, text: text)
    }

    /// This column on the console and in the report only (for a table that is not written as CSV).
    public var shownOnly: Column { Column(name: nil, title: title, field: nil, text: text) }

    /// This column in the CSV file only.
    public var csvOnly: Column { Column(name: name, title: nil, field: field, text: nil) }
}

/// A result table declared once, by its columns and their formats, and rendered from that declaration to a CSV
/// file, an aligned console table and a Markdown table.
public struct ResultTable<Row> {
    /// The columns, in order.
    public let columns: [Column<Row>]

    /// A table of these columns.
    public init(_ columns: [Column<Row>]) {
        self.columns = columns
    }

    /// The CSV header: the names of the columns the file holds.
    public var header: [String] { columns.compactMap(\.name) }

    /// The CSV file of `rows`.
    public func csv(_ rows: [Row]) -> CSVTable {
        let filed = columns.filter { $0.name != nil }
        var table = CSVTable(header: filed.compactMap(\.name))
        for row in rows { table.append(filed.compactMap { $0.field?(row) }) }
        return table
    }

    /// The shown columns' titles and the rows' text, for the console and the report.
    public func shown(_ rows: [Row]) -> (header: [String], rows: [[String]]) {
        let shown = columns.filter { $0.title != nil }
        return (shown.compactMap(\.title), rows.map { row in shown.compactMap { $0.text?(row) } })
    }

    /// Prints `rows` as an aligned table.
    public func print(_ rows: [Row]) {
        let s = shown(rows)
        Console.table(s.header, s.rows)
    }

    /// Adds `rows` to a report as a Markdown table.
    public func markdown(_ rows: [Row], into report: inout MarkdownReport) {
        let s = shown(rows)
        report.table(s.header, s.rows)
    }
}
