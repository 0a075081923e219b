import ArgumentParser
import Foundation
import MLCore
import Reporting
import Testing

@testable import ExperimentKit

/// A stand-in experiment for the kit's tests.
struct Toy: ExperimentDescription {
    static let name = "Toy"
    static let defaultSeed: UInt64 = 7
}

@Suite(.serialized) struct ExperimentRunTests {
    func temp() -> String { NSTemporaryDirectory() + "inversionlab-run-\(UUID().uuidString)" }

    func table(_ path: String) throws -> [[String]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
    }

    @Test func explicitOptionsWinOverQuickAndEverySettingIsRecordedWithItsSource() throws {
        let out = temp()
        defer { FileSystem.remove(out) }
        let common = try CommonOptions<Toy>.parse(["--quick", "--out", out, "--seed", "9"])
        try ExperimentRun.perform(common, title: "test") { run in
            #expect(run.setting("alpha", given: 1000, default: 5000, quick: 300) == 1000)
            #expect(run.setting("trials", given: nil as Int?, default: 50, quick: 5) == 5)
            #expect(run.setting("beta", given: nil as Int?, default: 100) == 100)
            run.record("x0", "zeros")
            run.timings.record("train", seconds: 1.5, paper: 2)
            run.claims = [
                Claim("a claim", paper: 0.042, ours: 0.05, unit: "fraction", measured: "5 %", verdict: .partly, note: "close"),
                Claim("a question, with a comma", ours: nil, unit: "", measured: "n/a", verdict: .notApplicable),
            ]
            run.headline = "one sentence"
            try run.write("report\n", to: "report.md")
        }
        let config = try table(out + "/config.csv")
        #expect(config[0] == ["key", "value", "source"])
        let rows = Dictionary(uniqueKeysWithValues: config.dropFirst().map { ($0[0], Array($0.dropFirst())) })
        #expect(rows["experiment"] == ["Toy", "run"])
        #expect(rows["seed"] == ["9", "option"])
        #expect(rows["alpha"] == ["1000", "option"])
        #expect(rows["trials"] == ["5", "quick"])
        #expect(rows["beta"] == ["100", "default"])
        #expect(rows["x0"] == ["zeros", "fixed"])
        let timings = try table(out + "/timings.csv")
        #expect(timings[0] == ["what", "seconds", "paper_seconds"] && timings[1] == ["train", "1.5000", "2.0"])
        #expect(timings.last?.first == "whole_run")
        #expect(
            try String(contentsOfFile: out + "/claims.csv", encoding: .utf8)
                == "claim,paper,ours,unit,verdict,note,measured\na claim,0.0420,0.0500,fraction,partly,close,5 %\n"
                + "\"a question, with a comma\",,,,not applicable,,n/a\n")
        #expect(try String(contentsOfFile: out + "/headline.txt", encoding: .utf8) == "one sentence\n")
    }

    @Test func anErrorInTheBodyLeavesThePreviousResultsAndNoPartialFolder() throws {
        let out = temp()
        defer { FileSystem.remove(out) }
        let common = try CommonOptions<Toy>.parse(["--out", out])
        try ExperimentRun.perform(common, title: "first") { try $0.write("first\n", to: "report.md") }
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try ExperimentRun.perform(common, title: "second") { run in
                try run.write("second\n", to: "report.md")
                throw Boom()
            }
        }
        #expect(try String(contentsOfFile: out + "/report.md", encoding: .utf8) == "first\n")
        let parent = (out as NSString).deletingLastPathComponent
        let name = (out as NSString).lastPathComponent
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent).filter { $0.hasPrefix("." + name) }.isEmpty)
    }

    @Test func commonOptionsRejectNonsense() {
        #expect(throws: (any Error).self) { try CommonOptions<Toy>.parse(["--download-timeout", "0"]) }
        #expect(throws: (any Error).self) { try CommonOptions<Toy>.parse(["--seed", "minus one"]) }
        #expect(throws: (any Error).self) { try CommonOptions<Toy>.parse(["--out", " "]) }
        #expect((try? CommonOptions<Toy>.parse([]))?.seed == 7)
    }

    @Test func timingsAndClaimsRenderTheirTables() {
        var t = Timings()
        t.record("a", seconds: 0.12345)
        t.record("b", seconds: 2, paper: 1298.7)
        #expect(t.table.rendered == "what,seconds,paper_seconds\na,0.1235,\nb,2.0000,1298.7\n")
        #expect(t.seconds("b") == 2)
        var md = MarkdownReport()
        md.claims([Claim("x", ours: 1, unit: "u", measured: "y", verdict: .reproduced, note: "why")], paper: "P")
        #expect(md.text == "| claim (P) | measured here | verdict |\n|---|---|---|\n| x | y | reproduced (why) |\n\n")
        #expect(Verdict.allCases.map(\.rawValue) == ["reproduced", "partly", "not reproduced", "not applicable"])
    }
}

@Suite(.serialized) struct SettingTests {
    static let trials = Setting("trials", "Seeded trials", default: 50, quick: 5, must: .atLeast(1), hint: "20 or more are stable")
    static let share = Setting("held_out", "Share held out", default: 0.2, must: .open(0, 1))
    static let steps = ListSetting(
        "roundings", "Rounding steps", default: [Float(0), 0.1], quick: [Float(0)], must: .halfOpen(0, 1), example: "0 0.1",
        format: { $0 > 0 ? String($0) : "none" })

    @Test func theHelpSaysTheDefaultAndTheQuickValueFromTheDeclaration() {
        #expect(Self.trials.help.abstract == "Seeded trials (default 50; --quick: 5).")
        #expect(Self.share.help.abstract == "Share held out (default 0.2).")
        #expect(Self.steps.help.abstract == "Rounding steps (default none 0.1; --quick: none).")
    }

    @Test func aGivenValueIsCheckedAgainstTheRuleAndTheRefusalSaysWhy() throws {
        #expect(try Self.trials.parse("7") == 7)
        #expect(throws: (any Error).self) { try Self.trials.parse("0") }
        #expect(Self.trials.refusal(0) == "must be at least 1 (got 0); 20 or more are stable")
        #expect(Self.share.refusal(1) == "must be between 0 and 1 (got 1.0)")
        #expect(throws: (any Error).self) { try Self.trials.parse("seven") }
        #expect(throws: (any Error).self) { try Self.steps.parse("1.5") }
        #expect(try Self.steps.parse("0.01") == 0.01)
        #expect(throws: (any Error).self) { try Self.steps.check([0.1, 0.1]) }
        try Self.steps.check([0, 0.1])
        try Self.steps.check([])
    }

    @Test func aDeclaredSettingResolvesAndLandsInConfigWithItsSource() throws {
        let out = NSTemporaryDirectory() + "inversionlab-setting-\(UUID().uuidString)"
        defer { FileSystem.remove(out) }
        let common = try CommonOptions<Toy>.parse(["--quick", "--out", out])
        try ExperimentRun.perform(common, title: "test") { run in
            #expect(run.value(Self.trials, given: nil) == 5)
            #expect(run.value(Self.share, given: 0.3) == 0.3)
            #expect(run.values(Self.steps, given: []) == [0])
            #expect(run.values(Self.steps, given: [0.1, 0]) == [0.1, 0])
        }
        let config = try String(contentsOfFile: out + "/config.csv", encoding: .utf8)
        #expect(config.contains("trials,5,quick\n") && config.contains("held_out,0.3,option\n"))
        #expect(config.contains("roundings,none,quick\n") && config.contains("roundings,0.1 none,option\n"))
    }
}
