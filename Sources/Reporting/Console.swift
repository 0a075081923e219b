import Foundation
import MLCore

/// Everything an experiment prints goes through here: sections, lines, warnings, tables.
public enum Console {
    /// Prints a numbered section heading, e.g. `== 2. Train target models ==`.
    public static func section(_ number: Int, _ title: String) {
        line("")
        line("== \(number). \(title) ==")
    }

    /// Prints one line and flushes (stdout is block-buffered when piped).
    public static func line(_ text: String) {
        print(text)
        fflush(stdout)
    }

    /// Prints the BLAS core and thread count of a run's header, and a warning when the core is a
    /// generic one (about 4x slower; the warning says how to fix it).
    public static func blas(_ info: BLASInfo) {
        line(
            "BLAS: OpenBLAS core \(info.coreName), \(info.threads) thread(s)"
                + (info.coreTypeVariable.map { " (OPENBLAS_CORETYPE=\($0))" } ?? ""))
        if let w = info.warning { warning(w) }
    }

    /// Prints a warning to standard error.
    public static func warning(_ text: String) {
        FileHandle.standardError.write(Data("warning: \(text)\n".utf8))
    }

    /// Prints rows as an aligned plain-text table.
    public static func table(_ header: [String], _ rows: [[String]]) {
        var widths = header.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        func render(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ")
        }
        line("  " + render(header))
        for row in rows { line("  " + render(row)) }
    }

    /// True when standard output is a terminal.
    public static var isTerminal: Bool { isatty(STDOUT_FILENO) != 0 }
}

/// A progress bar with rate and ETA on a terminal; plain lines (about every 10 %) when piped.
public final class Progress {
    private let title: String
    private let total: Int
    private let unit: String
    private let start = Date()
    private var lastPrinted = Date.distantPast
    private var lastDecile = -1
    private let interactive: Bool

    /// Starts a bar for `total` steps of `unit`.
    public init(_ title: String, total: Int, unit: String = "it", interactive: Bool = Console.isTerminal) {
        self.title = title
        self.total = max(total, 1)
        self.unit = unit
        self.interactive = interactive
    }

    /// Reports that `done` steps of the total are finished.
    public func update(_ done: Int) {
        let now = Date()
        let elapsed = now.timeIntervalSince(start)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let eta = rate > 0 ? Double(total - done) / rate : 0
        if interactive {
            guard now.timeIntervalSince(lastPrinted) > 0.1 || done >= total else { return }
            lastPrinted = now
            let width = 30
            let filled = Int(Double(width) * Double(done) / Double(total))
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            let text = "\r  \(title) [\(bar)] \(done)/\(total) \(Progress.format(rate)) \(unit)/s ETA \(Progress.duration(eta))  "
            FileHandle.standardOutput.write(Data(text.utf8))
        } else {
            let decile = done * 10 / total
            guard decile > lastDecile else { return }
            lastDecile = decile
            Console.line(
                "  \(title): \(done)/\(total) (\(decile * 10)%), \(Progress.format(rate)) \(unit)/s, ETA \(Progress.duration(eta))")
        }
    }

    /// Ends the bar, printing the total time.
    public func finish() {
        let elapsed = Date().timeIntervalSince(start)
        if interactive { FileHandle.standardOutput.write(Data("\n".utf8)) }
        Console.line("  \(title): done in \(Progress.duration(elapsed))")
    }

    static func format(_ x: Double) -> String { x >= 100 ? String(format: "%.0f", x) : String(format: "%.1f", x) }

    static func duration(_ s: Double) -> String {
        s < 60 ? String(format: "%.1fs", s) : String(format: "%dm%02ds", Int(s) / 60, Int(s) % 60)
    }
}
