import Foundation
import Testing

/// Runs the built Fredrikson2015Faces executable as a user would, with --quick.
@Suite(.serialized) struct FacesExperimentTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The executable next to the test bundle (swift test builds it), or nil.
    static var executable: String? {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for dir in [here, here.deletingLastPathComponent(), root.appendingPathComponent(".build/debug")] {
            let p = dir.appendingPathComponent("Fredrikson2015Faces").path
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    static var data: String? {
        if let env = ProcessInfo.processInfo.environment["INVERSIONLAB_DATA"], !env.isEmpty { return env }
        let sibling = root.deletingLastPathComponent().appendingPathComponent("shared/datasets").path
        return FileManager.default.fileExists(atPath: sibling + "/att_faces") ? sibling : nil
    }

    static var ready: Bool { executable != nil && data != nil }

    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    func run(_ args: [String]) throws -> Run {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try #require(FacesExperimentTests.executable))
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["INVERSIONLAB_DATA"] = nil
        p.environment = env
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    func temp() -> String { NSTemporaryDirectory() + "inversionlab-exp-\(UUID().uuidString)" }

    /// A CSV file with every column whose name holds "seconds" removed (wall-clock time is the one
    /// thing a seed cannot fix).
    func withoutTimings(_ path: String) throws -> String {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        let drop = Set(header.indices.filter { header[$0].contains("seconds") })
        guard !drop.isEmpty else { return text }
        lines = lines.map { line in line.split(separator: ",", omittingEmptySubsequences: false).enumerated()
            .filter { !drop.contains($0.offset) }.map { String($0.element) }.joined(separator: ",") }
        return lines.joined(separator: "\n")
    }

    @Test(.enabled(if: ready, "needs the built executable and the AT&T faces"))
    func quickRunWritesEveryOutputAndTheSameSeedGivesTheSameCSVs() throws {
        let a = temp()
        let b = temp()
        let c = temp()
        defer { for d in [a, b, c] { try? FileManager.default.removeItem(atPath: d) } }
        let data = try #require(FacesExperimentTests.data)
        let r1 = try run(["--quick", "--seed", "7", "--out", a, "--data", data])
        #expect(r1.status == 0, "stderr: \(r1.stderr)")
        #expect(r1.stdout.contains("== 3. MI-Face"))
        #expect(r1.stdout.contains("BLAS: OpenBLAS core"))
        let r2 = try run(["--quick", "--seed", "7", "--out", b, "--data", data])
        #expect(r2.status == 0)
        let csvs = ["config.csv", "models.csv", "inversions.csv", "summary.csv", "references.csv", "variants.csv"]
        for name in csvs {
            #expect(try withoutTimings("\(a)/\(name)") == withoutTimings("\(b)/\(name)"), "\(name) differs between runs")
        }
        // Files without timing columns must be byte-identical.
        for name in ["config.csv", "references.csv"] {
            #expect(FileManager.default.contents(atPath: "\(a)/\(name)") == FileManager.default.contents(atPath: "\(b)/\(name)"))
        }
        let r3 = try run(["--quick", "--seed", "8", "--out", c, "--data", data])
        #expect(r3.status == 0)
        #expect(try withoutTimings("\(a)/inversions.csv") != withoutTimings("\(c)/inversions.csv"))

        let summary = try String(contentsOfFile: "\(a)/summary.csv", encoding: .utf8)
        #expect(summary.hasPrefix("model,access,rounding,test_accuracy,nn_identification,lineup_accuracy,eval_top1,mean_ssim,"
            + "mean_iterations,seconds_per_face,queries_per_face\n"))
        let inversions = try String(contentsOfFile: "\(a)/inversions.csv", encoding: .utf8)
        #expect(inversions.split(separator: "\n").count == 81)
        for model in ["softmax", "mlp"] {
            for s in [1, 40] {
                let png = "\(a)/\(model)/" + String(format: "s%02d.png", s)
                #expect(FileManager.default.fileExists(atPath: png))
                #expect(FileManager.default.fileExists(atPath: png.replacingOccurrences(of: ".png", with: ".npy")))
            }
            #expect(FileManager.default.fileExists(atPath: "\(a)/reconstructions-\(model).png"))
            #expect(FileManager.default.fileExists(atPath: "\(a)/models/\(model)/layer0.weight.npy"))
        }
        let report = try String(contentsOfFile: "\(a)/report.md", encoding: .utf8)
        #expect(report.contains("1298.7") && report.contains("mean_face"))
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: a).filter { $0.hasSuffix(".partial") }
        #expect(leftovers.isEmpty)
    }

    @Test(.enabled(if: FacesExperimentTests.executable != nil, "needs the built executable"))
    func badOptionsAndMissingDataGiveClearErrors() throws {
        let badValue = try run(["--cost", "bogus"])
        #expect(badValue.status != 0)
        #expect(badValue.stderr.contains("bogus") && badValue.stderr.contains("one-minus-p"))
        let badNumber = try run(["--alpha", "0"])
        #expect(badNumber.status != 0 && badNumber.stderr.contains("--alpha"))
        let out = temp()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let empty = temp()
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try #require(FacesExperimentTests.executable))
        p.arguments = ["--quick", "--out", out, "--data", empty + "/nothing-here"]
        p.currentDirectoryURL = URL(fileURLWithPath: empty)
        p.environment = ["PATH": "/usr/bin:/bin", "INVERSIONLAB_OFFLINE": "1"]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = Pipe()
        try p.run()
        let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus != 0)
        #expect(e.contains("att_faces") && e.contains("--data"))
        #expect(!e.contains("Fatal error") && !e.contains("Stack dump"))
    }
}
