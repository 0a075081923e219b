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

    /// The one `--quick` run (seed 7) that the output checks read, made the first time a test asks for it.
    static let quick: (folder: String, result: ExperimentProcess.Result)? = {
        guard ready, let data else { return nil }
        let folder = ExperimentProcess.shared("Fredrikson2015Faces-quick")
        guard let r = try? experiment.run(["--quick", "--seed", "7", "--out", folder, "--data", data]) else { return nil }
        return (folder, r)
    }()

    /// Options that keep a run to seconds where its outputs are not what a test reads: one subject and two
    /// rounding steps in the sweep, one benign client, short black-box descents.
    static let short = [
        "--quick", "--alpha", "30", "--sweep-faces", "1", "--roundings", "0", "0.1", "--benign-clients", "1", "--black-box-alpha", "5",
        "--black-box-mlp-alpha", "5", "--lineups", "5",
    ]

    @Test(.enabled(if: ready, "needs the built executable and the AT&T faces"))
    func theQuickRunWritesEveryOutputAndShowsThePapersPattern() throws {
        let (a, r1) = try #require(FacesExperimentTests.quick)
        let data = try #require(FacesExperimentTests.data)
        #expect(r1.status == 0, "stderr: \(r1.stderr)")
        #expect(r1.stdout.contains("== 3. MI-Face"))
        #expect(r1.stdout.contains("BLAS: OpenBLAS core"))
        #expect(r1.stdout.contains("att_faces: \(data)/att_faces (from --data; 401 files verified by SHA-256)"))

        // The target models classify far above chance (2.5 %).
        let models = try CSVFile("\(a)/models.csv")
        let targets = models.values("model").filter { $0 != "evaluator" }
        #expect(targets == ["softmax", "mlp"])
        for m in targets { #expect(models.number("test_accuracy", ["model": m]) > 0.8, "\(m)") }

        let summary = try CSVFile("\(a)/summary.csv")
        #expect(
            summary.header == [
                "model", "access", "rounding", "test_accuracy", "nn_identification", "lineup_accuracy", "eval_top1", "mean_ssim",
                "mean_iterations", "queries_per_face", "method", "faces",
            ])
        // White-box and unrounded black-box MI-Face identify; rounding to 0.1 stops the black-box attack on softmax.
        for row in summary.rows(where: ["rounding": "none"]) {
            #expect((Double(row["nn_identification"] ?? "") ?? 0) >= 0.5, "\(row)")
        }
        #expect(summary.number("nn_identification", ["model": "softmax", "access": "black-box", "rounding": "0.1"]) < 0.5)

        // The rounding sweep: every step x model x attack; the white-box rows do not depend on r.
        let rounding = try CSVFile("\(a)/rounding.csv")
        #expect(rounding.values("r").count == 6 && Set(rounding.values("attack")) == ["black_box", "surrogate", "white_box"])
        #expect(rounding.rows.count == rounding.values("r").count * targets.count * 3)
        #expect(Set(rounding.rows(where: ["model": "softmax", "attack": "white_box"]).map { $0["nn_identification"] }).count == 1)

        // The query monitor flags no benign client and catches the black-box attack.
        let monitor = try CSVFile("\(a)/monitor.csv")
        #expect(monitor.row(["client": "benign"])["flagged"] == "0")
        #expect(monitor.row(["client": "black_box"])["flagged"] == "1")
        for name in ["rounding.png", "rounding-surrogate.png", "surrogates.csv", "references.csv", "variants.csv"] {
            #expect(FileManager.default.fileExists(atPath: "\(a)/\(name)"), "\(name) missing")
        }
        // One inversion per subject and target model.
        let inversions = try CSVFile("\(a)/inversions.csv")
        #expect(inversions.rows.count == 40 * targets.count)
        for model in targets {
            for s in [1, 40] {
                let png = "\(a)/\(model)/" + String(format: "s%02d.png", s)
                #expect(FileManager.default.fileExists(atPath: png))
                #expect(FileManager.default.fileExists(atPath: png.replacingOccurrences(of: ".png", with: ".npy")))
            }
            #expect(FileManager.default.fileExists(atPath: "\(a)/reconstructions-\(model).png"))
            #expect(FileManager.default.fileExists(atPath: "\(a)/models/\(model)/layer0.weight.npy"))
            #expect(FileManager.default.fileExists(atPath: "\(a)/models/\(model)/layers.txt"))
        }
        let timings = try CSVFile("\(a)/timings.csv")
        #expect(timings.header == ["what", "seconds", "paper_seconds"])
        #expect(timings.row(["what": "mi_face_mlp_per_face"])["paper_seconds"] == "1298.7")
        for name in [
            "models.csv", "inversions.csv", "summary.csv", "variants.csv", "config.csv", "rounding.csv", "monitor.csv", "surrogates.csv",
        ] {
            #expect(!(try CSVFile("\(a)/\(name)")).header.contains { $0.contains("seconds") }, "\(name) holds a wall-clock column")
        }
        let report = try String(contentsOfFile: "\(a)/report.md", encoding: .utf8)
        #expect(report.contains("1298.7") && report.contains("mean_face") && report.contains("The paper's claims beside ours"))
        let claims = try CSVFile.checkClaims("\(a)/claims.csv")
        #expect(claims.rows.contains { $0["claim"]?.contains("line-up") == true && $0["paper"] == "0.8000" })
        #expect(try ExperimentProcess.leftovers(in: a).isEmpty)
        #expect(try ExperimentProcess.partials(beside: a).isEmpty)
    }

    @Test(.enabled(if: ready, "needs the built executable and the AT&T faces"))
    func theSameSeedGivesTheSameFilesAndAnotherSeedOthers() throws {
        let (a, b, c) = (temp(), temp(), temp())
        defer { for d in [a, b, c] { try? FileManager.default.removeItem(atPath: d) } }
        let data = try #require(FacesExperimentTests.data)
        let short = FacesExperimentTests.short + ["--data", data]
        #expect(try run(short + ["--seed", "3", "--out", a]).status == 0)
        #expect(try run(short + ["--seed", "3", "--out", b]).status == 0)
        // Every file but timings.csv (the wall-clock times) is byte-identical: CSVs, PNGs, .npy, the report.
        #expect(try ExperimentProcess.differences(a, b) == [])
        #expect(try run(short + ["--seed", "4", "--out", c]).status == 0)
        #expect(try ExperimentProcess.differences(a, c).contains("inversions.csv"))
    }

    @Test(.enabled(if: ready, "needs the built executable and the AT&T faces"))
    func explicitOptionsWinOverQuickAndTheReportUsesTheResolvedSettings() throws {
        let out = temp()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let data = try #require(FacesExperimentTests.data)
        let r = try run(FacesExperimentTests.short + ["--alpha", "40", "--lineups", "3", "--gamma", "2", "--out", out, "--data", data])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("--quick: mlp_hidden 300 (default 3000"))
        #expect(!r.stdout.contains("--quick: alpha"))
        let config = try String(contentsOfFile: "\(out)/config.csv", encoding: .utf8)
        #expect(
            config.contains("\nalpha,40,option\n") && config.contains("\nlineups,3,option\n") && config.contains("\ngamma,2.0,option\n"))
        #expect(config.contains("\nmlp_hidden,300,quick\n") && config.contains("\nbeta,100,default\n"))
        let iterations = try CSVFile("\(out)/inversions.csv").rows.compactMap { Int($0["iterations"] ?? "") }
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
        let first = try e.run(FacesExperimentTests.short + ["--seed", "3", "--out", out, "--data", data])
        #expect(first.status == 0, "stderr: \(first.stderr)")
        let before = try ExperimentProcess.snapshot(out)
        #expect(before.count > 150)
        // During training, during the attack, and while writing (the models and faces are in the partial folder then).
        for (point, signal) in [("section-2", SIGTERM), ("section-3", SIGINT), ("report.md", SIGTERM), ("section-5", SIGHUP)] {
            let r = try e.interrupt(FacesExperimentTests.short + ["--seed", "4", "--out", out], pauseAt: point, signal: signal, data: data)
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
