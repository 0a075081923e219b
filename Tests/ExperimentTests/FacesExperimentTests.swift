import Foundation
import Testing

/// Runs the built Fredrikson2015Faces executable as a user would, with --quick.
@Suite(.serialized) struct FacesExperimentTests {
    static let experiment = ExperimentProcess(name: "Fredrikson2015Faces")
    static var data: String? { ExperimentProcess.data(holding: "att_faces") }
    static var ready: Bool { experiment.executable != nil && data != nil }

    func run(_ args: [String]) throws -> ExperimentProcess.Result { try FacesExperimentTests.experiment.run(args) }
    func temp() -> String { ExperimentProcess.temp() }

    /// A CSV file with every column whose name holds "seconds" removed (wall-clock time is the one
    /// thing a seed cannot fix).
    func withoutTimings(_ path: String) throws -> String {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        let drop = Set(header.indices.filter { header[$0].contains("seconds") })
        guard !drop.isEmpty else { return text }
        lines = lines.map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).enumerated()
                .filter { !drop.contains($0.offset) }.map { String($0.element) }.joined(separator: ",")
        }
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
        #expect(
            summary.hasPrefix(
                "model,access,rounding,test_accuracy,nn_identification,lineup_accuracy,eval_top1,mean_ssim,"
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
        #expect(try ExperimentProcess.leftovers(in: a).isEmpty)
    }

    @Test(.enabled(if: FacesExperimentTests.experiment.executable != nil, "needs the built executable"))
    func badOptionsAndMissingDataGiveClearErrors() throws {
        let badValue = try run(["--cost", "bogus"])
        #expect(badValue.status != 0)
        #expect(badValue.stderr.contains("bogus") && badValue.stderr.contains("one-minus-p"))
        let badNumber = try run(["--alpha", "0"])
        #expect(badNumber.status != 0 && badNumber.stderr.contains("--alpha"))
        let out = temp()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let missing = try FacesExperimentTests.experiment.runWithoutData(out: out)
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("att_faces") && missing.stderr.contains("--data"))
        #expect(!missing.stderr.contains("Fatal error") && !missing.stderr.contains("Stack dump"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
