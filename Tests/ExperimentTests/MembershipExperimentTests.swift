import Foundation
import Testing

/// Runs the built Shokri2017Membership executable end to end, in quick mode with tiny pools (this is the debug
/// build; CI also runs the release build with --quick alone and checks what it wrote).
@Suite(.serialized) struct MembershipExperimentTests {
    static let experiment = ExperimentProcess(name: "Shokri2017Membership")
    static var data: String? { ExperimentProcess.data(holding: "location") }
    static var ready: Bool { experiment.executable != nil && data != nil }
    static let tiny = [
        "--quick", "--datasets", "location", "adult", "--models", "4", "--targets", "1", "--shadows", "1", "--location-pool", "200",
        "--adult-pool", "200", "--epochs", "2", "--probes", "2", "--population", "50",
    ]

    func rows(_ path: String) throws -> [[String]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
    }

    @Test(.enabled(if: ready, "needs the built executable and the Location and Adult data"))
    func aRunWritesEveryOutputTheSameSeedGivesTheSameFilesAndCachedModelsChangeNothing() throws {
        let (a, b, c, d) = (ExperimentProcess.temp(), ExperimentProcess.temp(), ExperimentProcess.temp(), ExperimentProcess.temp())
        let (cacheA, cacheB) = (ExperimentProcess.temp(), ExperimentProcess.temp())
        defer { for p in [a, b, c, d, cacheA, cacheB] { try? FileManager.default.removeItem(atPath: p) } }
        let data = try #require(Self.data)
        let e = Self.experiment
        let first = try e.run(Self.tiny + ["--seed", "5", "--out", a, "--model-cache", cacheA, "--data", data])
        #expect(first.status == 0, "stderr: \(first.stderr)")
        for section in ["== 1. Data", "== 2. Train", "== 3. Attacks", "== 4. LiRA and RMIA", "== 5. Write"] {
            #expect(first.stdout.contains(section))
        }
        #expect(first.stdout.contains("(0 from the cache)"))
        // The same seed with freshly trained models, and again with the models of the first run's cache.
        #expect(try e.run(Self.tiny + ["--seed", "5", "--out", b, "--model-cache", cacheB, "--data", data]).status == 0)
        let cached = try e.run(Self.tiny + ["--seed", "5", "--out", c, "--model-cache", cacheA, "--data", data])
        #expect(cached.status == 0 && cached.stdout.contains("(4 from the cache)") && !cached.stdout.contains("train location models"))
        #expect(try ExperimentProcess.differences(a, b) == [])
        #expect(try ExperimentProcess.differences(a, c) == [])
        #expect(try e.run(Self.tiny + ["--seed", "6", "--out", d, "--model-cache", cacheA, "--data", data]).status == 0)
        #expect(try ExperimentProcess.differences(a, d).contains("attacks.csv"))

        let attacks = try rows("\(a)/attacks.csv")
        #expect(
            attacks[0].prefix(8) == [
                "dataset", "attack", "output", "auc", "auc_sd", "balanced_accuracy", "balanced_accuracy_sd", "advantage",
            ])
        #expect(attacks[0].suffix(4) == ["n_members", "n_nonmembers", "targets", "queries_per_record"])
        #expect(attacks[0].contains("tpr_at_0.1pct_fpr") && attacks[0].contains("tpr_at_0pct_fpr_sd"))
        let names = Set(attacks.dropFirst().map { $0[1] })
        for name in [
            "shokri", "ml_leaks", "ml_leaks_max", "loss", "confidence", "confidence_class", "entropy", "entropy_class", "mentr",
            "mentr_class", "lira_online", "lira_offline", "lira_online_fixed", "lira_offline_fixed", "rmia", "rmia_offline", "label_gap",
            "label_robustness",
        ] {
            #expect(names.contains(name), "attacks.csv lacks \(name)")
        }
        #expect(attacks.dropFirst().filter { $0[1] == "label_gap" }.allSatisfy { $0[2] == "labels" })
        #expect(try rows("\(a)/scores.csv").count == 1 + 200 + 200)
        for file in [
            "models.csv", "references.csv", "claims.csv", "report.md", "roc-location.png", "roc-adult.png", "attacks.png",
            "gap.png", "lira-vs-references.png",
        ] {
            #expect(FileManager.default.fileExists(atPath: "\(a)/\(file)"), "\(file) is missing")
        }
        let report = try String(contentsOfFile: "\(a)/report.md", encoding: .utf8)
        #expect(
            report.contains("location: attacks ranked by TPR at 0.1 % FPR") && report.contains("(1 + train accuracy - test accuracy) / 2"))
        #expect(try ExperimentProcess.leftovers(in: a).isEmpty && ExperimentProcess.partials(beside: a).isEmpty)
    }

    @Test(.enabled(if: experiment.executable != nil, "needs the built executable"))
    func badOptionsAreNamed() throws {
        let e = Self.experiment
        let help = try e.run(["--help"])
        #expect(help.status == 0 && help.stdout.contains("USAGE: Shokri2017Membership "))
        let unknown = try e.run(["--datasets", "cifar"])
        #expect(unknown.status != 0 && unknown.stderr.contains("cifar") && unknown.stderr.contains("location"))
        let few = try e.run(["--models", "2"])
        #expect(few.status != 0 && few.stderr.contains("--models"))
        let crowded = try e.run(["--models", "8", "--targets", "5", "--shadows", "5"])
        #expect(crowded.status != 0 && crowded.stderr.contains("--targets 5 and --shadows 5"))
        let twice = try e.run(["--datasets", "adult", "adult"])
        #expect(twice.status != 0 && twice.stderr.contains("twice"))
    }
}
