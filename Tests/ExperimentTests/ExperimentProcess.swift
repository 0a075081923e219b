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
        var env = environment ?? ProcessInfo.processInfo.environment
        if environment == nil { env["INVERSIONLAB_DATA"] = nil }
        return try ExperimentProcess.launch(try #require(executable), args, environment: env, directory: directory)
    }

    /// Runs `executable` with `args` to the end and returns what it printed.
    static func launch(_ executable: String, _ args: [String], environment: [String: String], directory: String? = nil) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = args
        p.environment = environment
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

    /// Starts a run with `INVERSIONLAB_PAUSE_AT` set, waits until it pauses there, sends `signal`, and returns
    /// its exit status and what it printed to standard error.
    func interrupt(_ args: [String], pauseAt point: String, signal: Int32, data: String) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try #require(executable))
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["INVERSIONLAB_DATA"] = data
        env["INVERSIONLAB_PAUSE_AT"] = point
        p.environment = env
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        final class Collected: @unchecked Sendable {
            let lock = NSLock()
            var err = Data()
            var out = Data()
        }
        let collected = Collected()
        err.fileHandleForReading.readabilityHandler = { h in
            let d = h.availableData
            collected.lock.lock()
            collected.err.append(d)
            collected.lock.unlock()
        }
        out.fileHandleForReading.readabilityHandler = { h in
            let d = h.availableData
            collected.lock.lock()
            collected.out.append(d)
            collected.lock.unlock()
        }
        try p.run()
        let deadline = Date().addingTimeInterval(120)
        var paused = false
        while Date() < deadline && p.isRunning {
            collected.lock.lock()
            paused = String(decoding: collected.err, as: UTF8.self).contains("paused at \(point)")
            collected.lock.unlock()
            if paused { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        if paused { kill(p.processIdentifier, signal) } else { p.terminate() }
        p.waitUntilExit()
        err.fileHandleForReading.readabilityHandler = nil
        out.fileHandleForReading.readabilityHandler = nil
        collected.lock.lock()
        defer { collected.lock.unlock() }
        #expect(paused, "the run never paused at \(point)")
        return Result(
            status: p.terminationStatus, stdout: String(decoding: collected.out, as: UTF8.self),
            stderr: String(decoding: collected.err, as: UTF8.self))
    }

    /// Every file under `dir` with its bytes (relative paths).
    static func snapshot(_ dir: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.subpathsOfDirectory(atPath: dir) {
            var isFolder: ObjCBool = false
            FileManager.default.fileExists(atPath: dir + "/" + name, isDirectory: &isFolder)
            if !isFolder.boolValue { files[name] = FileManager.default.contents(atPath: dir + "/" + name) }
        }
        return files
    }

    /// The names of the files that differ between two output folders, timings.csv (wall-clock times) apart.
    static func differences(_ a: String, _ b: String) throws -> [String] {
        let x = try snapshot(a)
        let y = try snapshot(b)
        return Set(x.keys).union(y.keys).filter { $0 != "timings.csv" && x[$0] != y[$0] }.sorted()
    }

    /// Partial folders (`.NAME.partial-PID`) or folders left aside next to `dir`.
    static func partials(beside dir: String) throws -> [String] {
        let parent = (dir as NSString).deletingLastPathComponent
        let name = (dir as NSString).lastPathComponent
        return try FileManager.default.contentsOfDirectory(atPath: parent).filter { $0.hasPrefix("." + name + ".") }
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

    /// Files left half-written (`*.partial*`) under `dir`.
    static func leftovers(in dir: String) throws -> [String] {
        try FileManager.default.subpathsOfDirectory(atPath: dir).filter { $0.contains(".partial") }
    }
}
