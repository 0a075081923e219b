import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Runs the built Fredrikson2015Faces executable as a user would, with --quick.
@Suite(.serialized) struct FacesExperimentTests {
    static let experiment = ExperimentProcess(name: "Fredrikson2015Faces")
    static var data: String? { ExperimentProcess.data(holding: "att_faces") }
    static var ready: Bool { experiment.executable != nil && data != nil }

    func run(_ args: [String]) throws -> ExperimentProcess.Result { try FacesExperimentTests.experiment.run(args) }
    func temp() -> String { ExperimentProcess.temp() }

    @Test(.enabled(if: ready, "needs the built executable and the AT&T faces"))
    func quickRunWritesEveryOutputAndTheSameSeedGivesTheSameFiles() throws {
        let a = temp()
        let b = temp()
        let c = temp()
        defer { for d in [a, b, c] { try? FileManager.default.removeItem(atPath: d) } }
        let data = try #require(FacesExperimentTests.data)
        let r1 = try run(["--quick", "--seed", "7", "--out", a, "--data", data])
        #expect(r1.status == 0, "stderr: \(r1.stderr)")
        #expect(r1.stdout.contains("== 3. MI-Face"))
        #expect(r1.stdout.contains("BLAS: OpenBLAS core"))
        #expect(r1.stdout.contains("att_faces: \(data)/att_faces (from --data; 401 files verified by SHA-256)"))
        let r2 = try run(["--quick", "--seed", "7", "--out", b, "--data", data])
        #expect(r2.status == 0)
        // Every file but timings.csv (the wall-clock times) is byte-identical: CSVs, PNGs, .npy, the report.
        #expect(try ExperimentProcess.differences(a, b) == [])
        let r3 = try run(["--quick", "--seed", "8", "--out", c, "--data", data])
        #expect(r3.status == 0)
        #expect(try ExperimentProcess.differences(a, c).contains("inversions.csv"))

        let summary = try String(contentsOfFile: "\(a)/summary.csv", encoding: .utf8)
        #expect(
            summary.hasPrefix(
                "model,access,rounding,test_accuracy,nn_identification,lineup_accuracy,eval_top1,mean_ssim,mean_iterations,queries_per_face,"
                    + "method,faces\n"))
        #expect(summary.contains("softmax,black-box,none,") && summary.contains("softmax,black-box,0.1,"))
        // The rounding sweep: 6 steps x 2 models x 3 attacks; white-box rows identical at every r.
        let rounding = try String(contentsOfFile: "\(a)/rounding.csv", encoding: .utf8).split(separator: "\n").map {
            $0.split(separator: ",")
        }
        #expect(rounding.count == 37)
        let whiteIDs = Set(rounding.filter { $0.count > 3 && $0[1] == "white_box" && $0[0] == "softmax" }.map { $0[3] })
        #expect(whiteIDs.count == 1)
        let monitor = try String(contentsOfFile: "\(a)/monitor.csv", encoding: .utf8)
        #expect(monitor.contains("\nbenign,3,0,") && monitor.contains("\nblack_box,1,1,"))
        for name in ["rounding.png", "rounding-surrogate.png", "surrogates.csv"] {
            #expect(FileManager.default.fileExists(atPath: "\(a)/\(name)"), "\(name) missing")
        }
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
        let timings = try String(contentsOfFile: "\(a)/timings.csv", encoding: .utf8)
        #expect(
            timings.hasPrefix("what,seconds,paper_seconds\n") && timings.contains("mi_face_mlp_per_face,") && timings.contains(",1298.7\n"))
        for name in [
            "models.csv", "inversions.csv", "summary.csv", "variants.csv", "config.csv", "rounding.csv", "monitor.csv", "surrogates.csv",
        ] {
            let header = try String(contentsOfFile: "\(a)/\(name)", encoding: .utf8).prefix { $0 != "\n" }
            #expect(!header.contains("seconds"), "\(name) holds a wall-clock column: \(header)")
        }
        let report = try String(contentsOfFile: "\(a)/report.md", encoding: .utf8)
        #expect(report.contains("1298.7") && report.contains("mean_face") && report.contains("The paper's claims beside ours"))
        let claims = try String(contentsOfFile: "\(a)/claims.csv", encoding: .utf8)
        #expect(claims.hasPrefix("claim,measured,verdict\n") && claims.contains("line-up"))
        #expect(try ExperimentProcess.leftovers(in: a).isEmpty)
        #expect(try ExperimentProcess.partials(beside: a).isEmpty)
    }

    @Test(.enabled(if: ready, "needs the built executable and the AT&T faces"))
    func explicitOptionsWinOverQuickAndTheReportUsesTheResolvedSettings() throws {
        let out = temp()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let data = try #require(FacesExperimentTests.data)
        let r = try run(["--quick", "--alpha", "40", "--lineups", "3", "--gamma", "2", "--out", out, "--data", data])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("--quick: mlp_hidden 300 (default 3000"))
        #expect(!r.stdout.contains("--quick: alpha"))
        let config = try String(contentsOfFile: "\(out)/config.csv", encoding: .utf8)
        #expect(
            config.contains("\nalpha,40,option\n") && config.contains("\nlineups,3,option\n") && config.contains("\ngamma,2.0,option\n"))
        #expect(config.contains("\nmlp_hidden,300,quick\n") && config.contains("\nbeta,100,default\n"))
        let iterations = try String(contentsOfFile: "\(out)/inversions.csv", encoding: .utf8).split(separator: "\n").dropFirst()
            .compactMap { Int($0.split(separator: ",")[3]) }
        #expect(iterations.count == 80 && iterations.allSatisfy { $0 <= 40 })
        let report = try String(contentsOfFile: "\(out)/report.md", encoding: .utf8)
        #expect(report.contains("gamma 2.0 read as a confidence threshold") && report.contains("gamma = 2.000"))
        #expect(!report.contains("gamma 0.99") && !report.contains("gamma = 0.99"))
    }

    @Test(.enabled(if: ready, "needs the built executable and the AT&T faces"))
    func aRunStoppedAtAnyPointLeavesTheEarlierResultsByteIdentical() throws {
        let out = temp()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let data = try #require(FacesExperimentTests.data)
        let e = FacesExperimentTests.experiment
        let first = try e.run(["--quick", "--seed", "3", "--alpha", "30", "--out", out, "--data", data])
        #expect(first.status == 0, "stderr: \(first.stderr)")
        let before = try ExperimentProcess.snapshot(out)
        #expect(before.count > 150)
        // During training, during the attack, and while writing (the models and faces are in the partial folder then).
        for (point, signal) in [("section-2", SIGTERM), ("section-3", SIGINT), ("report.md", SIGTERM), ("section-5", SIGHUP)] {
            let r = try e.interrupt(["--quick", "--seed", "4", "--out", out], pauseAt: point, signal: signal, data: data)
            #expect(r.status == 128 + signal, "\(point): exit \(r.status), stderr \(r.stderr)")
            #expect(r.stderr.contains("the partial results were removed"))
            #expect(!r.stderr.contains("Fatal error") && !r.stderr.contains("Stack dump"))
            #expect(try ExperimentProcess.snapshot(out) == before, "\(point): the earlier results changed")
            #expect(try ExperimentProcess.partials(beside: out) == [], "\(point): a partial folder was left")
        }
    }

    @Test(.enabled(if: FacesExperimentTests.experiment.executable != nil, "needs the built executable"))
    func anOutputFolderThatCannotBeWrittenFailsBeforeAnyWork() throws {
        let root = temp()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: root + "/taken"))
        for (out, reason) in [
            (root + "/taken", "a file of that name is in the way"), (root + "/taken/Exp", "a part of the path is a file"),
            ("/proc/inversionlab/Exp", "/proc/inversionlab"),
        ] {
            let start = Date()
            let r = try run(["--quick", "--out", out, "--data", root])
            #expect(r.status != 0)
            #expect(Date().timeIntervalSince(start) < 5, "\(out): failed only after \(Date().timeIntervalSince(start)) s")
            #expect(
                r.stderr.contains("cannot write the results to") && r.stderr.contains(reason) && r.stderr.contains("--out"), "\(r.stderr)")
            #expect(!r.stdout.contains("== 1.") && !r.stderr.contains("NSCocoaErrorDomain"))
        }
    }

    @Test(.enabled(if: FacesExperimentTests.experiment.executable != nil, "needs the built executable"))
    func badOptionsMissingDataAndHelpSpeakPlainly() throws {
        let help = try run(["--help"])
        #expect(help.status == 0 && help.stdout.contains("USAGE: Fredrikson2015Faces "))
        #expect(help.stdout.contains("--quick: 300"))
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
        #expect(try ExperimentProcess.partials(beside: out) == [])
    }
}
