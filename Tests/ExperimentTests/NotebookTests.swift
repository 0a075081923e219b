import Foundation
import Testing

/// The example notebooks in Scripts/notebooks run through Scripts/notebook.sh as a user runs them
/// (the script builds the libraries in release mode into .build-notebook/ first).
@Suite(.serialized) struct NotebookTests {
    static var data: String? { ExperimentProcess.data(holding: "att_faces") }

    func notebook(_ name: String, _ args: [String] = []) throws -> ExperimentProcess.Result {
        var env = ProcessInfo.processInfo.environment
        env["INVERSIONLAB_DATA"] = NotebookTests.data
        let script = ExperimentProcess.root.appendingPathComponent("Scripts/notebook.sh").path
        return try ExperimentProcess.launch(
            "/bin/bash", [script, "Scripts/notebooks/\(name)"] + args, environment: env, directory: ExperimentProcess.root.path)
    }

    @Test(.enabled(if: data != nil, "needs the AT&T faces and the IWPC table"))
    func theDatasetSummaryNotebookRuns() throws {
        let r = try notebook("dataset-summary.swift")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("AT&T faces: 400 images of 40 subjects, 92x112 pixels"))
        #expect(r.stdout.contains("IWPC warfarin: 5700 rows read, 4302 patients usable"))
    }

    @Test(.enabled(if: data != nil, "needs the AT&T faces"))
    func theInversionNotebookTrainsSavesInvertsAndWritesAFace() throws {
        let dir = ExperimentProcess.temp()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try notebook("invert-one-face.swift", [dir + "/model", "7", dir + "/face.png"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("training softmax regression") && r.stdout.contains("subject 7: confidence"))
        #expect(FileManager.default.fileExists(atPath: dir + "/model/layer0.weight.npy"))
        let png = try #require(FileManager.default.contents(atPath: dir + "/face.png"))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        // A second run finds the saved model and does not train again.
        let again = try notebook("invert-one-face.swift", [dir + "/model", "7", dir + "/face2.png"])
        #expect(again.status == 0 && !again.stdout.contains("training"))
        #expect(FileManager.default.contents(atPath: dir + "/face2.png") == png)
        let bad = try notebook("invert-one-face.swift", [dir + "/model", "41"])
        #expect(bad.status != 0 && bad.stdout.contains("1 to 40"))
    }
}
