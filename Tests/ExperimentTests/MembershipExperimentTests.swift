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
    /// Defences on the tiny runs: worlds of 5 models (distinct from the 4 of the attack comparison), one target.
    static let defences = ["--defence-models", "5", "--defence-targets", "1", "--l2", "1e-2", "--epsilons", "2"]

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
        let first = try e.run(Self.tiny + ["--seed", "5", "--out", a, "--model-cache", cacheA, "--data", data, "--defences", "none"])
        #expect(first.status == 0, "stderr: \(first.stderr)")
        for section in ["== 1. Data", "== 2. Train", "== 3. Attacks", "== 4. LiRA and RMIA", "== 6. Write"] {
            #expect(first.stdout.contains(section))
        }
        #expect(!first.stdout.contains("== 5. Defences") && !FileManager.default.fileExists(atPath: "\(a)/defences.csv"))
        #expect(first.stdout.contains("(0 from the cache)"))
        // The same seed with freshly trained models, and again with the models of the first run's cache.
        let none = ["--defences", "none"]
        #expect(try e.run(Self.tiny + none + ["--seed", "5", "--out", b, "--model-cache", cacheB, "--data", data]).status == 0)
        let cached = try e.run(Self.tiny + none + ["--seed", "5", "--out", c, "--model-cache", cacheA, "--data", data])
        #expect(cached.status == 0 && cached.stdout.contains("(4 from the cache)") && !cached.stdout.contains("train location models"))
        #expect(try ExperimentProcess.differences(a, b) == [])
        #expect(try ExperimentProcess.differences(a, c) == [])
        let defended = try e.run(Self.tiny + Self.defences + ["--seed", "6", "--out", d, "--model-cache", cacheA, "--data", data])
        #expect(defended.status == 0 && defended.stdout.contains("== 5. Defences"), "stderr: \(defended.stderr)")
        #expect(try ExperimentProcess.differences(a, d).contains("attacks.csv"))
        try checkDefences(d)

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

    /// defences.csv has a row per policy and training defence with the attack columns, and dp_audit.csv finds every
    /// DP model within its bound.
    func checkDefences(_ folder: String) throws {
        let table = try CSVFile("\(folder)/defences.csv")
        #expect(
            table.header.prefix(10) == [
                "dataset", "defence", "setting", "train_accuracy", "test_accuracy", "epsilon", "delta", "shokri_auc",
                "shokri_tpr_at_1pct_fpr", "shokri_advantage",
            ])
        let location = table.rows(where: ["dataset": "location"]).map { "\($0["defence"] ?? "") \($0["setting"] ?? "")" }
        #expect(
            location == [
                "none ", "output_policy top-1", "output_policy top-3", "output_policy round-0.1", "output_policy round-0.001",
                "output_policy temp-5", "output_policy temp-20", "output_policy label", "l2 0.01", "early_stopping patience 5",
                "dropout 0.5", "dp_sgd eps 2",
            ], "\(location)")
        // Adult has two classes: no top-3.
        #expect(table.rows(where: ["dataset": "adult", "setting": "top-3"]).isEmpty)
        let dp = table.row(["dataset": "location", "defence": "dp_sgd"])
        let epsilon = Double(dp["epsilon"] ?? "") ?? .nan
        #expect(epsilon <= 2 && epsilon > 1.9 && dp["delta"] == "0.001")
        try checkLabelsOnly(table)
        let audit = try CSVFile("\(folder)/dp_audit.csv")
        #expect(!audit.rows.isEmpty && audit.rows.allSatisfy { $0["verdict"] == "within bound" })
        #expect(FileManager.default.fileExists(atPath: "\(folder)/defences.png"))
    }

    /// Under labels only, the confidence attacks are empty and the label attacks score as without a policy.
    func checkLabelsOnly(_ table: CSVFile) throws {
        let label = table.row(["dataset": "location", "setting": "label"])
        let none = table.row(["dataset": "location", "defence": "none"])
        #expect(label["lira_online_auc"] == "" && none["lira_online_auc"] != "")
        #expect(label["label_robustness_auc"] != nil && label["label_robustness_auc"] == none["label_robustness_auc"])
    }

    /// The plain `--quick` run as a user makes it (every dataset, every defence), once: what it wrote and the
    /// pattern of the papers on real data.
    @Test(.enabled(if: ready, "needs the built executable and the four datasets"))
    func theQuickRunWritesEveryOutputAndEveryDefenceHolds() throws {
        let data = try #require(Self.data)
        let out = ExperimentProcess.shared("Shokri2017Membership-quick")
        let cache = ExperimentProcess.shared("Shokri2017Membership-quick-models")
        try? FileManager.default.removeItem(atPath: cache)
        let r = try Self.experiment.run(["--quick", "--seed", "2017", "--out", out, "--model-cache", cache, "--data", data])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        for f in [
            "config.csv", "timings.csv", "claims.csv", "headline.txt", "report.md", "models.csv", "attacks.csv", "scores.csv",
            "references.csv", "roc-location.png", "roc-adult.png", "roc-mnist.png", "roc-faces.png", "attacks.png", "gap.png",
            "lira-vs-references.png", "exposed-mnist.png", "exposed-faces.png", "defences.csv", "dp_audit.csv", "defences.png",
        ] {
            #expect(((try? FileManager.default.attributesOfItem(atPath: "\(out)/\(f)")[.size] as? Int) ?? 0) > 0, "\(f) missing or empty")
        }
        let claims = try CSVFile.checkClaims("\(out)/claims.csv")
        #expect(
            claims.rows.contains { $0["claim"]?.contains("Kairouz") == true && $0["ours"] == "0.0000" && $0["verdict"] == "reproduced" })
        let attacks = try CSVFile("\(out)/attacks.csv")
        #expect(attacks.values("dataset") == ["location", "adult", "mnist", "faces"])
        // Every attack on every dataset (the faces add the mirror-augmented LiRA rows).
        let perDataset = attacks.rows(where: ["dataset": "location"]).count
        #expect(perDataset == 18)
        for d in ["adult", "mnist"] { #expect(attacks.rows(where: ["dataset": d]).count == perDataset) }
        #expect(attacks.rows(where: ["dataset": "faces"]).count == perDataset + 2)
        // Location leaks (RMIA AUC above 0.9, the loss attack above 0.8); Adult barely generalises worse than it fits.
        #expect(attacks.number("auc", ["dataset": "location", "attack": "rmia"]) > 0.9)
        #expect(attacks.number("auc", ["dataset": "location", "attack": "loss"]) > 0.8)
        for row in attacks.rows(where: ["dataset": "adult"]) { #expect((Double(row["auc"] ?? "") ?? 1) <= 0.65, "\(row)") }
        // No attack beats a DP model's (epsilon, delta) bound, and every DP world reaches its target epsilon.
        let audit = try CSVFile("\(out)/dp_audit.csv")
        #expect(!audit.rows.isEmpty)
        for row in audit.rows {
            #expect(row["verdict"] == "within bound", "\(row)")
            #expect((Double(row["epsilon"] ?? "") ?? .infinity) <= (Double(row["target_epsilon"] ?? "") ?? 0) + 0.001, "\(row)")
        }
        let defences = try CSVFile("\(out)/defences.csv")
        // none, 7 output policies, 4 L2 strengths, early stopping, dropout, 4 DP budgets.
        #expect(defences.rows(where: ["dataset": "location"]).count == 18)
        try checkLabelsOnly(defences)
        #expect(try ExperimentProcess.partials(beside: out).isEmpty)
    }

    /// Models trained in three shards (three processes sharing one cache folder) give byte-identical results to models
    /// trained in one process; each shard trains only its own models.
    @Test(.enabled(if: ready, "needs the built executable and the Location and Adult data"))
    func threeShardsThenScoringEqualOneProcess() throws {
        let (whole, scored, cacheWhole, cacheShared) = (
            ExperimentProcess.temp(), ExperimentProcess.temp(), ExperimentProcess.temp(), ExperimentProcess.temp()
        )
        let shardOuts = (1...3).map { _ in ExperimentProcess.temp() }
        defer { for p in [whole, scored, cacheWhole, cacheShared] + shardOuts { try? FileManager.default.removeItem(atPath: p) } }
        let data = try #require(Self.data)
        let e = Self.experiment
        let settings = Self.tiny + Self.defences + ["--seed", "9", "--data", data, "--policies", "top-1", "--defences", "policies", "dp"]
        #expect(try e.run(settings + ["--out", whole, "--model-cache", cacheWhole]).status == 0)
        var trained = 0
        for k in 1...3 {
            let shard = try e.run(settings + ["--shard", "\(k)/3", "--out", shardOuts[k - 1], "--model-cache", cacheShared])
            #expect(shard.status == 0, "shard \(k): \(shard.stderr)")
            #expect(!shard.stdout.contains("== 3. Attacks"))
            let listed = try rows("\(shardOuts[k - 1])/shard.csv").dropFirst()
            #expect(listed.allSatisfy { Int($0[1])! % 3 == k - 1 && $0[2] == "trained" })
            trained += listed.count
        }
        // Two datasets, each with 4 models and two defence worlds (none, dp) of 5: 28 models over the shards.
        #expect(trained == 28)
        let scoring = try e.run(settings + ["--out", scored, "--model-cache", cacheShared])
        #expect(scoring.status == 0 && !scoring.stdout.contains("train location") && !scoring.stdout.contains("train adult"))
        #expect(try ExperimentProcess.differences(whole, scored) == [])
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
        for (options, words) in [
            (["--shard", "4/3"], "--shard"), (["--shard", "two"], "--shard"), (["--policies", "top-0"], "--policies"),
            (["--policies", "blur"], "--policies"), (["--epsilons", "-1"], "--epsilons"), (["--dropout", "1"], "--dropout"),
            (["--defences", "none", "dp"], "--defences none"), (["--dp-delta", "2"], "--dp-delta"), (["--dp-clip", "0"], "--dp-clip"),
        ] {
            let bad = try e.run(options)
            #expect(bad.status != 0 && bad.stderr.contains(words), "\(options): \(bad.stderr)")
        }
    }
}
