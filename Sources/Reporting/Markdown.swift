/// Builds a Markdown report piece by piece.
public struct MarkdownReport: Sendable {
    /// The text so far.
    public private(set) var text = ""

    /// An empty report.
    public init() {}

    /// A heading of the given level.
    public mutating func heading(_ title: String, level: Int = 2) {
        text += String(repeating: "#", count: level) + " " + title + "\n\n"
    }

    /// A paragraph.
    public mutating func paragraph(_ body: String) {
        text += body + "\n\n"
    }

    /// A bulleted list.
    public mutating func bullets(_ items: [String]) {
        text += items.map { "- " + $0 }.joined(separator: "\n") + "\n\n"
    }

    /// A table with a header row.
    public mutating func table(_ header: [String], _ rows: [[String]]) {
        let esc = { (s: String) in s.replacingOccurrences(of: "|", with: "\\|") }
        text += "| " + header.map(esc).joined(separator: " | ") + " |\n"
        text += "|" + header.map { _ in "---|" }.joined() + "\n"
        for row in rows { text += "| " + row.map(esc).joined(separator: " | ") + " |\n" }
        text += "\n"
    }

    /// An image link.
    public mutating func image(_ path: String, alt: String) {
        text += "![\(alt)](\(path))\n\n"
    }
}
