import Foundation
import Reporting
import Testing

/// Runs the built Fredrikson2014Warfarin executable with --quick on the real IWPC table.
@Suite(.serialized) struct WarfarinExperimentTests {
    static let experiment = ExperimentProcess(name: "Fredrikson2014Warfarin")
    static var data: String? { ExperimentProcess.data(holding: "iwpc_warfarin") }
    static var ready: Bool { experiment.executable != nil && data != nil }

    static let csvs = [
        "config.csv", "cleaning.csv", "coefficients.csv", "dosing.csv", "attacks.csv", "priors.csv", "splits.csv", "paired.csv",
        "ideal_fit.csv",
        "privacy.csv",
        "privacy_trials.csv", "claims.csv", "timings.csv",
    ]

    @Test(.enabled(if: ready, "needs the built executable and the IWPC table"))
    func quickRunReproducesTheShapeOfThePaperAndTheSameSeedGivesTheSameFiles() throws {
        let (a, b, c) = (ExperimentProcess.temp(), ExperimentProcess.temp(), ExperimentProcess.temp())
        defer { for d in [a, b, c] { try? FileManager.default.removeItem(atPath: d) } }
        let data = try #require(WarfarinExperimentTests.data)
        let e = WarfarinExperimentTests.experiment
        let r1 = try e.run(["--quick", "--seed", "7", "--out", a, "--data", data])
        #expect(r1.status == 0, "stderr: \(r1.stderr)")
        for section in [
            "== 1. Data", "== 2. Dosing model", "== 3. Attacks", "== 4. What each piece of knowledge is worth",
            "== 5. Functional mechanism",
            "== 6. Write the results",
        ] {
            #expect(r1.stdout.contains(section))
        }
        #expect(try e.run(["--quick", "--seed", "7", "--out", b, "--data", data]).status == 0)
        for name in WarfarinExperimentTests.csvs {
            #expect(FileManager.default.fileExists(atPath: "\(a)/\(name)"), "\(name) is missing")
        }
        // Every file but timings.csv is byte-identical for one seed: the CSVs, the figure, the report.
        #expect(try ExperimentProcess.differences(a, b) == [])
        #expect(try e.run(["--quick", "--seed", "8", "--out", c, "--data", data]).status == 0)
        #expect(
            FileManager.default.contents(atPath: "\(a)/privacy_trials.csv")
                != FileManager.default.contents(atPath: "\(c)/privacy_trials.csv"))
        #expect(FileManager.default.contents(atPath: "\(a)/attacks.csv") != FileManager.default.contents(atPath: "\(c)/attacks.csv"))

        let claims = try CSVFile.checkClaims("\(a)/claims.csv")
        #expect(claims.rows.contains { $0["claim"] == "VKORC1: model inversion well above the baseline" && $0["verdict"] == "reproduced" })

        // attacks.csv: every target x cohort x method, and the paper's pattern on real data.
        let attacks = try CSVFile("\(a)/attacks.csv")
        #expect(attacks.header == ["target", "cohort", "method", "accuracy", "auc", "n"])
        let methods = attacks.values("method")
        #expect(methods.count == 8 && attacks.values("target") == ["VKORC1", "CYP2C9"] && attacks.values("cohort").count == 2)
        #expect(attacks.rows.count == 2 * 2 * methods.count)
        func accuracy(_ t: String, _ cohort: String, _ m: String) -> Double {
            attacks.number("accuracy", ["target": t, "cohort": cohort, "method": m])
        }
        for cohort in ["training", "held_out"] {
            #expect(accuracy("VKORC1", cohort, "model_inversion") > accuracy("VKORC1", cohort, "baseline") + 0.1)
            #expect(accuracy("VKORC1", cohort, "ideal") >= accuracy("VKORC1", cohort, "model_inversion"))
            #expect(abs(accuracy("CYP2C9", cohort, "model_inversion") - accuracy("CYP2C9", cohort, "baseline")) < 0.03)
            for t in ["VKORC1", "CYP2C9"] {
                // The paper's attacker is the marginal prior's.
                let paper = attacks.row(["target": t, "cohort": cohort, "method": "model_inversion"])
                let marginal = attacks.row(["target": t, "cohort": cohort, "method": "model_inversion_marginal"])
                #expect(paper["accuracy"] == marginal["accuracy"] && paper["auc"] == marginal["auc"])
            }
            // Race-group genotype frequencies carry what the marginal attacker misses; the dose adds to demographics.
            #expect(
                accuracy("VKORC1", cohort, "model_inversion_race_prior") > accuracy("VKORC1", cohort, "model_inversion_marginal") + 0.05)
            #expect(accuracy("VKORC1", cohort, "ideal") > accuracy("VKORC1", cohort, "ideal_without_dose"))
            #expect(accuracy("VKORC1", cohort, "ideal") > accuracy("VKORC1", cohort, "ideal_without_race"))
        }
        // With the race-conditional prior the VKORC1 inversion comes within 5 points of the ideal classifier.
        #expect(accuracy("VKORC1", "training", "ideal") - accuracy("VKORC1", "training", "model_inversion_race_prior") <= 0.05)

        // Paired summaries over the redrawn splits: the ideal's gap to itself is zero; every split and method is there.
        let paired = try CSVFile("\(a)/paired.csv")
        #expect(paired.header.prefix(4) == ["target", "method", "cohort", "splits"])
        #expect(paired.rows.count == 2 * methods.count * 2)
        for p in paired.rows(where: ["method": "ideal"]) { #expect(p["gap_to_ideal_mean"] == "0.0000" && p["splits"] == "5") }
        let splits = try CSVFile("\(a)/splits.csv")
        #expect(splits.values("split").count == 5 && splits.rows.count == 5 * 2 * methods.count)
        let own = try CSVFile("\(a)/ideal_fit.csv").rows(where: ["run_setting": "yes"])
        #expect(own.count == 2 && own.allSatisfy { (Double($0["largest_gradient"] ?? "") ?? 1) < 1e-9 && $0["stopping"] == "converged" })
        let priors = try CSVFile("\(a)/priors.csv")
        let asian = priors.rows(where: ["target": "VKORC1", "prior": "race_prior", "group": "Asian", "genotype": "A/A"])
        #expect(asian.count == 1 && (Double(asian.first?["probability"] ?? "") ?? 0) > 0.7)
        let bars = try PNG.read("\(a)/priors.png", channels: 3)
        #expect(bars.width == 2 * 640)

        // The fitted model is the IWPC algorithm's: VKORC1 A/A and weight close to the published values.
        let coefficients = try CSVFile("\(a)/coefficients.csv")
        #expect(coefficients.header == ["coefficient", "fitted", "published_iwpc"])
        for name in ["vkorc1_AA", "weight_kg"] {
            let fitted = coefficients.number("fitted", ["coefficient": name])
            #expect(abs(fitted - coefficients.number("published_iwpc", ["coefficient": name])) < 0.2, "\(name)")
        }

        // privacy.csv: the non-private row and five budgets; the smallest budget costs attack and dosing alike.
        let privacy = try CSVFile("\(a)/privacy.csv")
        #expect(privacy.header.prefix(4) == ["epsilon", "trials", "vkorc1_accuracy_mean", "vkorc1_accuracy_sd"])
        #expect(privacy.values("epsilon") == ["non_private", "0.25", "1", "5", "20", "100"])
        func privateMean(_ column: String, _ epsilon: String) -> Double { privacy.number(column, ["epsilon": epsilon]) }
        #expect(privateMean("vkorc1_accuracy_mean", "0.25") < privateMean("vkorc1_accuracy_mean", "non_private") - 0.05)
        #expect(privateMean("within_20_percent_mean", "0.25") < privateMean("within_20_percent_mean", "non_private"))
        let trials = try CSVFile("\(a)/privacy_trials.csv")
        #expect(trials.rows.count == 1 + (privacy.values("epsilon").count - 1) * 5)

        let figure = try PNG.read("\(a)/privacy.png", channels: 3)
        #expect(figure.width == 3 * 560 && figure.height == 520)
        let report = try String(contentsOfFile: "\(a)/report.md", encoding: .utf8)
        #expect(report.contains("The paper's claims beside ours") && report.contains("privacy.png") && report.contains("5.6044"))
        #expect(report.contains("priors.png") && report.contains("Yeom"))
        #expect(try ExperimentProcess.leftovers(in: a).isEmpty)
        let config = try String(contentsOfFile: "\(a)/config.csv", encoding: .utf8)
        #expect(
            config.contains(
                "\ndataset_iwpc_warfarin_catalog_sha256,868b701959f06c439b48651d1b324c8397da9a745bcdd647ebe4d51f6493098d,catalog\n"))
        #expect(config.contains("\ntrials,5,quick\n"))
    }

    @Test(.enabled(if: experiment.executable != nil, "needs the built executable"))
    func badOptionsMissingAndCorruptDataGiveClearErrors() throws {
        let e = WarfarinExperimentTests.experiment
        let badEpsilon = try e.run(["--epsilons", "-1"])
        #expect(badEpsilon.status != 0 && badEpsilon.stderr.contains("--epsilons"))
        let badL2 = try e.run(["--ideal-l2", "-1"])
        #expect(badL2.status != 0 && badL2.stderr.contains("--ideal-l2"))
        let badShare = try e.run(["--held-out", "1.5"])
        #expect(badShare.status != 0 && badShare.stderr.contains("--held-out"))
        let help = try e.run(["--help"])
        #expect(help.status == 0 && help.stdout.contains("USAGE: Fredrikson2014Warfarin "))
        let notANumber = try e.run(["--trials", "many"])
        #expect(notANumber.status != 0 && notANumber.stderr.contains("many"))

        let out = ExperimentProcess.temp()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let missing = try e.runWithoutData(out: out)
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("iwpc_warfarin") && missing.stderr.contains("--data"))
        #expect(!missing.stderr.contains("Fatal error") && !missing.stderr.contains("Stack dump"))
        #expect(!FileManager.default.fileExists(atPath: out))

        // A truncated copy of the table fails its checksum, and the message names the file.
        guard let data = WarfarinExperimentTests.data else { return }
        let copy = ExperimentProcess.temp()
        defer { try? FileManager.default.removeItem(atPath: copy) }
        try FileManager.default.createDirectory(atPath: copy + "/iwpc_warfarin", withIntermediateDirectories: true)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: "\(data)/iwpc_warfarin/iwpc_data_7_3_09_revised.csv"))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: "\(copy)/iwpc_warfarin/iwpc_data_7_3_09_revised.csv"))
        let corrupt = try e.run(["--quick", "--out", out, "--data", copy])
        #expect(corrupt.status != 0)
        #expect(corrupt.stderr.contains("iwpc_data_7_3_09_revised.csv") && corrupt.stderr.contains("SHA-256"))
        // The table is never downloaded: the advice is to copy it again, not to let the store fetch it.
        #expect(corrupt.stderr.contains("cannot download this dataset") && !corrupt.stderr.contains("let the store download"))
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(try ExperimentProcess.partials(beside: out) == [])
    }
}
