import Foundation
import MLCore
import Testing

@testable import ExperimentKit

/// The all-or-nothing output folder: checks before work, whole replacement, clean-up of what dead runs left.
@Suite(.serialized) struct OutputFolderTests {
    func temp() throws -> String {
        let dir = NSTemporaryDirectory() + "inversionlab-kit-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    func listing(_ dir: String) -> [String] {
        ((try? FileManager.default.subpathsOfDirectory(atPath: dir)) ?? []).sorted()
    }

    /// The id of a process that has just ended.
    func deadPID() throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/true")
        try p.run()
        p.waitUntilExit()
        return p.processIdentifier
    }

    @Test func writesAsideAndPutsTheFolderInPlaceWhole() throws {
        let root = try temp()
        defer { FileSystem.remove(root) }
        let first = try OutputFolder.prepare(root + "/out/Exp")
        #expect(first.partial == root + "/out/.Exp.partial-\(getpid())")
        try first.write(Array("experiment,Exp\n".utf8), to: "config.csv")
        try first.write(Array("old".utf8), to: "sub/stale.txt")
        #expect(FileSystem.kind(root + "/out/Exp") == .none)
        try first.commit()
        #expect(listing(root + "/out") == ["Exp", "Exp/config.csv", "Exp/sub", "Exp/sub/stale.txt"])

        // A second run replaces the folder whole: nothing of the first run survives beside it.
        let second = try OutputFolder.prepare(root + "/out/Exp")
        try second.write(Array("experiment,Exp\nseed,2\n".utf8), to: "config.csv")
        #expect(listing(root + "/out/Exp") == ["config.csv", "sub", "sub/stale.txt"])  // untouched until commit
        try second.commit()
        #expect(listing(root + "/out") == ["Exp", "Exp/config.csv"])
        #expect(try String(contentsOfFile: root + "/out/Exp/config.csv", encoding: .utf8) == "experiment,Exp\nseed,2\n")
    }

    @Test func discardLeavesThePreviousResultAndNoPartialFolder() throws {
        let root = try temp()
        defer { FileSystem.remove(root) }
        try FileSystem.writeFile(Array("experiment,Exp\n".utf8), to: root + "/Exp/config.csv")
        let run = try OutputFolder.prepare(root + "/Exp")
        try run.write([1, 2, 3], to: "a.bin")
        run.discard()
        #expect(listing(root) == ["Exp", "Exp/config.csv"])
        #expect(throws: RunError.self) { try run.write([1], to: "b.bin") }
        #expect(throws: RunError.self) { try run.commit() }
    }

    @Test func aPathThatCannotHoldTheResultsFailsAtOnceInWords() throws {
        let root = try temp()
        defer { FileSystem.remove(root) }
        try FileSystem.writeFile(Array("x".utf8), to: root + "/file")
        #expect { try OutputFolder.prepare(root + "/file") } throws: { e in
            "\(e)".contains(root + "/file") && "\(e)".contains("a file of that name is in the way") && "\(e)".contains("--out")
        }
        #expect { try OutputFolder.prepare(root + "/file/Exp") } throws: { e in
            "\(e)".contains("a part of the path is a file") && !"\(e)".contains("NSCocoaErrorDomain")
        }
        try FileSystem.writeFile(Array("mine".utf8), to: root + "/home/notes.txt")
        #expect { try OutputFolder.prepare(root + "/home") } throws: { "\($0)".contains("not an InversionLab run's output") }
        #expect(listing(root + "/home") == ["notes.txt"])
        #expect { try OutputFolder.prepare("/proc/inversionlab-test/Exp") } throws: { "\($0)".contains("/proc/inversionlab-test") }
    }

    @Test func anImmutableFolderIsNamedAsSuch() throws {
        let root = try temp()
        defer {
            _ = try? Self.chattr("-i", root + "/Exp")
            FileSystem.remove(root)
        }
        try FileSystem.writeFile(Array("experiment,Exp\n".utf8), to: root + "/Exp/config.csv")
        guard try Self.chattr("+i", root + "/Exp") else { return }  // a file system without the flag: nothing to test
        #expect { try OutputFolder.prepare(root + "/Exp") } throws: { "\($0)".contains("immutable") && "\($0)".contains("--out") }
        #expect(!listing(root).contains { $0.contains("partial") })
    }

    static func chattr(_ flag: String, _ path: String) throws -> Bool {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/chattr")
        p.arguments = [flag, path]
        p.standardError = FileHandle.nullDevice
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/chattr") else { return false }
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus == 0
    }

    @Test func partialFoldersOfDeadRunsAreSweptAndAFolderLeftAsideIsRestored() throws {
        let root = try temp()
        defer { FileSystem.remove(root) }
        let dead = try deadPID()
        try FileSystem.makeFolders(root + "/.Exp.partial-\(dead)/models")
        try FileSystem.makeFolders(root + "/.Exp.partial-1")  // pid 1 is alive: another run's, left alone
        try FileSystem.makeFolders(root + "/.Other.partial-\(dead)")  // another experiment's: not this run's business
        try FileSystem.writeFile(Array("experiment,Exp\n".utf8), to: root + "/.Exp.previous-\(dead)/config.csv")
        let run = try OutputFolder.prepare(root + "/Exp")
        let names = try FileManager.default.contentsOfDirectory(atPath: root).sorted()
        #expect(names == [".Exp.partial-1", ".Exp.partial-\(getpid())", ".Other.partial-\(dead)", "Exp"].sorted())
        #expect(listing(root + "/Exp") == ["config.csv"])
        run.discard()
    }

    @Test func findsThePackageRootFromTheExecutableOrTheCurrentFolder() throws {
        let root = try temp()
        defer { FileSystem.remove(root) }
        try FileSystem.writeFile(Array("let package = Package(\n    name: \"InversionLab\",\n)".utf8), to: root + "/pkg/Package.swift")
        try FileSystem.makeFolders(root + "/pkg/.build/release")
        try FileSystem.makeFolders(root + "/pkg/Sources/Deep")
        try FileSystem.makeFolders(root + "/elsewhere")
        #expect(PackageRoot.find(executable: root + "/pkg/.build/release/Exp", currentDirectory: root + "/elsewhere") == root + "/pkg")
        #expect(PackageRoot.find(executable: "/usr/bin/Exp", currentDirectory: root + "/pkg/Sources/Deep") == root + "/pkg")
        #expect(PackageRoot.find(executable: "/usr/bin/Exp", currentDirectory: root + "/elsewhere") == nil)
    }
}
