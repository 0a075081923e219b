import Foundation
import Testing

/// `Scripts/experiments.list` is the one list of experiments: Package.swift, the README's table and each
/// experiment's own README agree with it, and every listed executable answers `--help` with the common options.
struct ExperimentListTests {
    static func text(_ path: String) throws -> String {
        try String(contentsOf: ExperimentProcess.root.appendingPathComponent(path), encoding: .utf8)
    }

    /// The names in the list, in order.
    static func listed() throws -> [String] {
        try text("Scripts/experiments.list").split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }

    /// The names that `pattern`'s first capture finds in `text`, in order.
    static func captures(_ pattern: String, in text: String) throws -> [String] {
        let re = try NSRegularExpression(pattern: pattern)
        let ns = text as NSString
        return re.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range(at: 1)) }
    }

    @Test func packageReadmeAndFoldersAgreeWithTheList() throws {
        let list = try Self.listed()
        #expect(list.count >= 3 && Set(list).count == list.count, "\(list)")
        // Every executable target but the benchmarks is a listed experiment, in the same order.
        let targets = try Self.captures(#"\.executableTarget\(\s*name: "([A-Za-z0-9]+)""#, in: try Self.text("Package.swift"))
        #expect(targets.filter { $0 != "Benchmarks" } == list)
        // The README's table links each listed experiment's README, and no other experiment has one.
        let row = #"\n\| `([A-Za-z0-9]+)` \|[^\n]*\[README\]\(Sources/[A-Za-z0-9]+/README\.md\)"#
        let rows = try Self.captures(row, in: try Self.text("README.md"))
        #expect(rows.filter { $0 != "Benchmarks" } == list)
        for name in list {
            let readme = try Self.text("Sources/\(name)/README.md")
            #expect(readme.contains(name), "Sources/\(name)/README.md does not name its experiment")
            #expect(try Self.text("README.md").contains("(Sources/\(name)/README.md)"))
        }
    }

    @Test func everyListedExperimentAnswersHelpWithTheCommonOptions() throws {
        for name in try Self.listed() {
            let e = ExperimentProcess(name: name)
            guard e.executable != nil else {
                Issue.record("\(name) is listed but not built (swift build --product \(name))")
                continue
            }
            let r = try e.run(["--help"])
            #expect(r.status == 0, "\(name) --help: \(r.stderr)")
            for option in ["--seed", "--quick", "--out", "--data"] { #expect(r.stdout.contains(option), "\(name) --help lacks \(option)") }
        }
    }
}
