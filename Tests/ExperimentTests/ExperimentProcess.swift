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

    /// The executable in `$INVERSIONLAB_BIN` when that is set (CI points it at the release builds), else the one next
    /// to the test bundle (swift test builds it), or nil.
    var executable: String? {
        if let bin = ProcessInfo.processInfo.environment["INVERSIONLAB_BIN"], !bin.isEmpty {
            let p = URL(fileURLWithPath: bin).appendingPathComponent(name).path
            return FileManager.default.isExecutableFile(atPath: p) ? p : nil
        }
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
        let deadline = Date().addingTimeInterval(300)
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
            _ = FileManager.default.fileExists(atPath: dir + "/" + name, isDirectory: &isFolder)
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

    /// The folder of a run the tests share (`.build/experiment-tests/NAME`): each run replaces it whole, so the
    /// last one stays there to look at.
    static func shared(_ name: String) -> String {
        root.appendingPathComponent(".build/experiment-tests/\(name)").path
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

/// A CSV file the run wrote, read by column name.
struct CSVFile {
    let header: [String]
    let rows: [[String: String]]

    /// The fields of one line: commas inside double quotes do not split, and `""` inside quotes is a quote.
    static func fields(_ line: Substring) -> [String] {
        let chars = Array(line)
        var out: [String] = []
        var field = ""
        var quoted = false
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if quoted && c == "\"" && i + 1 < chars.count && chars[i + 1] == "\"" {
                field.append(c)
                i += 1
            } else if c == "\"" {
                quoted.toggle()
            } else if c == "," && !quoted {
                out.append(field)
                field = ""
            } else {
                field.append(c)
            }
            i += 1
        }
        out.append(field)
        return out
    }

    /// Reads `path`; a missing file or a row of another width is a test failure.
    init(_ path: String) throws {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(CSVFile.fields)
        header = lines.first ?? []
        for (i, line) in lines.enumerated() where line.count != header.count {
            Issue.record("\(path) line \(i + 1) has \(line.count) values, the header \(header.count)")
        }
        let names = header
        rows = lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(names, $0)) }
    }

    /// The rows whose columns have these values.
    func rows(where match: [String: String]) -> [[String: String]] {
        rows.filter { r in match.allSatisfy { r[$0.key] == $0.value } }
    }

    /// The one row whose columns have these values (a test failure unless exactly one has).
    func row(_ match: [String: String]) -> [String: String] {
        let found = rows(where: match)
        if found.count != 1 { Issue.record("expected one row with \(match), found \(found.count)") }
        return found.first ?? [:]
    }

    /// Column `column` of the one row matching `match`, as a number (NaN when absent).
    func number(_ column: String, _ match: [String: String]) -> Double {
        Double(row(match)[column] ?? "") ?? .nan
    }

    /// The distinct values of a column, in order of appearance.
    func values(_ column: String) -> [String] {
        var seen = Set<String>()
        return rows.compactMap { $0[column] }.filter { seen.insert($0).inserted }
    }
}

extension CSVFile {
    /// Checks a claims.csv: its columns, a verdict from the fixed set on every row, the figures numbers or empty.
    static func checkClaims(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> CSVFile {
        let claims = try CSVFile(path)
        #expect(claims.header == ["claim", "paper", "ours", "unit", "verdict", "note", "measured"], sourceLocation: sourceLocation)
        #expect(!claims.rows.isEmpty, sourceLocation: sourceLocation)
        let verdicts: Set = ["reproduced", "partly", "not reproduced", "not applicable"]
        for row in claims.rows {
            #expect(verdicts.contains(row["verdict"] ?? ""), "\(row)", sourceLocation: sourceLocation)
            for figure in ["paper", "ours"] {
                let v = row[figure] ?? ""
                #expect(v.isEmpty || Double(v) != nil || v == "nan", "\(figure) in \(row)", sourceLocation: sourceLocation)
            }
            #expect(row["ours"] == "" || row["unit"] != "", "a figure without a unit: \(row)", sourceLocation: sourceLocation)
        }
        return claims
    }
}
