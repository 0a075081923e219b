/// Parses CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF line ends).
public enum CSVReader {
    /// The rows of `text`, each a list of fields; `file` names the source in errors.
    public static func parse(_ text: String, file: String) throws -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var inQuotes = false
        var fieldWasQuoted = false
        var line = 1
        var chars = Array(text.unicodeScalars)[...]
        while let ch = chars.popFirst() {
            if inQuotes {
                if ch == "\"" {
                    if chars.first == "\"" {
                        field.unicodeScalars.append("\"")
                        chars.removeFirst()
                    } else {
                        inQuotes = false
                    }
                } else {
                    if ch == "\n" { line += 1 }
                    field.unicodeScalars.append(ch)
                }
                continue
            }
            switch ch {
            case "\"":
                guard field.isEmpty, !fieldWasQuoted else {
                    throw DatasetError.malformed(file: file, reason: "line \(line): a quote inside an unquoted field")
                }
                inQuotes = true
                fieldWasQuoted = true
            case ",":
                row.append(field)
                field = ""
                fieldWasQuoted = false
            case "\r":
                if chars.first == "\n" { continue }
                fallthrough
            case "\n":
                row.append(field)
                rows.append(row)
                row = []
                field = ""
                fieldWasQuoted = false
                line += 1
            default:
                guard !fieldWasQuoted else {
                    throw DatasetError.malformed(file: file, reason: "line \(line): text after a closing quote")
                }
                field.unicodeScalars.append(ch)
            }
        }
        guard !inQuotes else { throw DatasetError.malformed(file: file, reason: "line \(line): a quoted field is never closed") }
        if !field.isEmpty || !row.isEmpty || fieldWasQuoted {
            row.append(field)
            rows.append(row)
        }
        return rows
    }
}
