import Foundation
import Testing

/// Runs a built experiment executable as a user would and reads what it wrote.
struct ExperimentProcess {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// What a run printed and returned.
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    let name: String

    /// The executable next to the test bundle (swift test builds it), or nil.
    var executable: String? {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for dir in [here, here.deletingLastPathComponent(), ExperimentProcess.root.appendingPathComponent(".build/debug")] {
            let p = dir.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    /// The dataset mirror holding `dataset`: $INVERSIONLAB_DATA, else ../shared/datasets.
    static func data(holding dataset: String) -> String? {
        if let env = ProcessInfo.processInfo.environment["INVERSIONLAB_DATA"], !env.isEmpty { return env }
        let sibling = root.deletingLastPathComponent().appendingPathComponent("shared/datasets").path
        return FileManager.default.fileExists(atPath: sibling + "/" + dataset) ? sibling : nil
    }

    /// Runs with `args`; `environment` nil inherits this process's, minus INVERSIONLAB_DATA.
    func run(_ args: [String], environment: [String: String]? = nil, directory: String? = nil) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try #require(executable))
        p.arguments = args
        var env = environment ?? ProcessInfo.processInfo.environment
        if environment == nil { env["INVERSIONLAB_DATA"] = nil }
        p.environment = env
        if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    /// A fresh path under the temporary folder.
    static func temp() -> String { NSTemporaryDirectory() + "inversionlab-exp-\(UUID().uuidString)" }

    /// Runs with no dataset anywhere (offline, in an empty folder) and returns what it printed.
    func runWithoutData(out: String) throws -> Result {
        let empty = ExperimentProcess.temp()
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: empty) }
        return try run(
            ["--quick", "--out", out, "--data", empty + "/nothing-here"],
            environment: ["PATH": "/usr/bin:/bin", "INVERSIONLAB_OFFLINE": "1"], directory: empty)
    }

    /// Files left half-written (`*.partial`) under `dir`.
    static func leftovers(in dir: String) throws -> [String] {
        try FileManager.default.subpathsOfDirectory(atPath: dir).filter { $0.hasSuffix(".partial") }
    }
}
