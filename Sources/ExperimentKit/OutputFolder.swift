import Foundation
import MLCore

/// An experiment's output folder, written all at once.
///
/// Files go into a fresh sibling, `.<name>.partial-<pid>`, and only `commit()` puts it in place of
/// `<name>`: one atomic exchange where the file system offers it (Linux `renameat2`), else the old
/// folder is renamed aside, the new one in, and the old one removed. So a reader (or a later run) sees
/// the previous complete result or the new complete result, never a mixture and never stale files of
/// an earlier run. `discard()` (on an error or a signal) removes the partial folder; `prepare` sweeps
/// partial folders that dead processes left behind and restores a folder a kill left aside.
public final class OutputFolder: @unchecked Sendable {
    /// Where the result lands (absolute).
    public let target: String
    /// Where it is written meanwhile (absolute).
    public let partial: String
    private let lock = NSLock()
    private var state = State.open
    private enum State { case open, committed, discarded }

    private init(target: String, partial: String) {
        self.target = target
        self.partial = partial
    }

    /// Checks `path` before any work and makes the partial folder: a path occupied by a file, a folder that
    /// is not a run's output, or one that cannot be written, renamed or created fails at once with the reason.
    public static func prepare(_ path: String) throws -> OutputFolder {
        let target = FileSystem.absolute(path)
        let name = (target as NSString).lastPathComponent
        let parent = (target as NSString).deletingLastPathComponent
        func fail(_ reason: String) -> RunError {
            RunError("cannot write the results to \(target): \(reason). Choose another folder with --out.")
        }
        guard target != "/", !name.isEmpty else { throw fail("that is the root of the file system") }
        do {
            try FileSystem.makeFolders(parent)
            try FileSystem.checkWritable(parent)
        } catch let e as FileSystemError {
            throw fail(e.path == parent ? e.reason : "\(e.path): \(e.reason)")
        }
        restoreAside(parent: parent, name: name, target: target)
        FileSystem.sweepPartials(in: parent, prefix: "." + name + ".")
        switch FileSystem.kind(target) {
        case .file:
            throw fail("a file of that name is in the way (--out needs a folder; move the file or pick another path)")
        case .folder:
            do { try FileSystem.checkWritable(target) } catch let e as FileSystemError { throw fail(e.reason) }
            guard isReplaceable(target) else {
                throw fail(
                    "the folder holds files that are not an InversionLab run's output (no config.csv naming an experiment), "
                        + "and a run replaces its output folder whole; pick a new or empty folder")
            }
        case .none:
            break
        }
        let partial = (parent as NSString).appendingPathComponent(FileSystem.partialName(name))
        FileSystem.remove(partial)
        do {
            try FileSystem.makeFolders(partial)
        } catch let e as FileSystemError {
            throw fail(e.reason)
        }
        return OutputFolder(target: target, partial: partial)
    }

    /// An empty folder, or one whose config.csv names an experiment (an earlier run's output).
    static func isReplaceable(_ folder: String) -> Bool {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        if names.isEmpty { return true }
        guard let text = try? String(contentsOfFile: (folder as NSString).appendingPathComponent("config.csv"), encoding: .utf8) else {
            return false
        }
        return text.split(separator: "\n").prefix(3).contains { $0.hasPrefix("experiment,") }
    }

    /// The name a folder being replaced takes while the new one moves in (only where exchange is unavailable).
    static func asideName(_ name: String, pid: Int32 = getpid()) -> String { ".\(name).previous-\(pid)" }

    /// A kill between the two renames of a replacement leaves the old result aside: put it back when the target
    /// is missing, else remove it (the new result is complete).
    static func restoreAside(parent: String, name: String, target: String) {
        let prefix = "." + name + ".previous-"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return }
        for entry in names.sorted() where entry.hasPrefix(prefix) {
            guard let pid = Int32(entry.dropFirst(prefix.count)), !FileSystem.isProcessAlive(pid) else { continue }
            let path = (parent as NSString).appendingPathComponent(entry)
            if FileSystem.kind(target) == .none {
                try? FileSystem.rename(path, to: target)
            } else {
                FileSystem.remove(path)
            }
        }
    }

    /// Writes `bytes` to `relative` inside the partial folder (parents created as needed).
    public func write(_ bytes: [UInt8], to relative: String) throws {
        Interruptions.pauseIfAsked(at: relative)
        lock.lock()
        defer { lock.unlock() }
        guard state == .open else { throw RunError("the run was stopped; \(relative) was not written") }
        let path = (partial as NSString).appendingPathComponent(relative)
        do {
            try FileSystem.writeFile(bytes, to: path)
        } catch let e as FileSystemError {
            throw RunError("cannot write \(relative) of the results (in \(partial)): \(e.reason)")
        }
    }

    /// Puts the partial folder in place of the target in one step and removes the previous result.
    public func commit() throws {
        lock.lock()
        guard state == .open else {
            lock.unlock()
            throw RunError("the run was stopped before its results were complete")
        }
        let old: String
        do {
            if FileSystem.kind(target) == .folder {
                if try FileSystem.exchange(partial, target) {
                    old = partial
                } else {
                    let parent = (target as NSString).deletingLastPathComponent
                    old = (parent as NSString).appendingPathComponent(OutputFolder.asideName((target as NSString).lastPathComponent))
                    try FileSystem.rename(target, to: old)
                    do {
                        try FileSystem.rename(partial, to: target)
                    } catch {
                        try? FileSystem.rename(old, to: target)
                        throw error
                    }
                }
            } else {
                try FileSystem.rename(partial, to: target)
                old = ""
            }
        } catch let e as FileSystemError {
            state = .discarded
            lock.unlock()
            FileSystem.remove(partial)
            throw RunError("cannot put the results in place at \(target): \(e.reason); the previous results are untouched")
        }
        state = .committed
        lock.unlock()
        if !old.isEmpty { FileSystem.remove(old) }
    }

    /// Removes the partial folder unless the result was committed; later writes fail. Safe from any thread.
    public func discard() {
        lock.lock()
        defer { lock.unlock() }
        guard state == .open else { return }
        state = .discarded
        FileSystem.remove(partial)
    }

    /// For a signal: like `discard()`, but the lock stays held so that nothing more is written before the process exits.
    func discardAndHold() {
        lock.lock()
        if state == .open {
            state = .discarded
            FileSystem.remove(partial)
        }
    }
}
