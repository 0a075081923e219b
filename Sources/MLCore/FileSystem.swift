import Foundation

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// A file-system operation failed; the message names the path and the reason in words.
public struct FileSystemError: Error, CustomStringConvertible, Sendable {
    /// The path at fault.
    public let path: String
    /// What failed, in words (e.g. "permission denied").
    public let reason: String
    /// The C error number, when the failure came from the system.
    public let code: Int32?

    /// An error about `path`.
    public init(path: String, reason: String, code: Int32? = nil) {
        self.path = path
        self.reason = reason
        self.code = code
    }

    /// The user-facing message.
    public var description: String { "\(path): \(reason)" }
}

/// The few file-system steps the project's all-or-nothing writes stand on, with errors in words
/// rather than Foundation's error dumps: folders, atomic renames and exchanges, stale partial folders.
public enum FileSystem {
    /// A system error number in words, with what usually causes it.
    public static func words(_ code: Int32) -> String {
        switch code {
        case EACCES: return "permission denied (the folder is not writable by this user)"
        case EPERM: return "operation not permitted (the folder is marked immutable, e.g. chattr +i, or otherwise protected)"
        case EROFS: return "it is on a read-only file system"
        case ENOTDIR: return "a part of the path is a file, not a folder"
        case EEXIST: return "something already exists there"
        case ENOENT: return "a part of the path does not exist"
        case ENOSPC: return "the disk is full"
        case EDQUOT: return "the disk quota is exhausted"
        case EISDIR: return "it is a folder, where a file was expected"
        case ENAMETOOLONG: return "the path is too long"
        case ENOTEMPTY: return "the folder is not empty"
        case EXDEV: return "the two paths are on different file systems"
        case EBUSY: return "it is in use (a mount point?)"
        default: return String(cString: strerror(code))
        }
    }

    /// The absolute, standardised form of `path` (relative paths are taken from the current folder).
    public static func absolute(_ path: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        let full = expanded.hasPrefix("/") ? expanded : FileManager.default.currentDirectoryPath + "/" + expanded
        return (full as NSString).standardizingPath
    }

    /// What is at `path`: nothing, a folder or something else (a file, a device, ...).
    public enum Kind: Sendable, Equatable {
        /// Nothing exists at the path.
        case none
        /// A folder.
        case folder
        /// A file or anything else that is not a folder.
        case file
    }

    /// The kind of `path`, following symbolic links.
    public static func kind(_ path: String) -> Kind {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return .none }
        return isFolder.boolValue ? .folder : .file
    }

    /// Creates `path` and its missing parents; fails with the component that could not be made.
    public static func makeFolders(_ path: String) throws {
        let full = absolute(path)
        var current = ""
        for part in full.split(separator: "/") {
            current += "/" + part
            switch kind(current) {
            case .folder: continue
            case .file: throw FileSystemError(path: current, reason: words(ENOTDIR), code: ENOTDIR)
            case .none:
                if mkdir(current, 0o755) != 0 && errno != EEXIST {
                    let code = errno
                    throw FileSystemError(path: current, reason: "cannot create the folder: \(words(code))", code: code)
                }
            }
        }
    }

    /// Checks that the folder at `path` accepts writes (and renames of what it holds); the error says why not.
    public static func checkWritable(_ path: String) throws {
        if access(path, W_OK) != 0 {
            let code = errno
            throw FileSystemError(path: path, reason: "not writable: \(words(code))", code: code)
        }
    }

    /// Renames `from` to `to` (atomic within one file system); `to` must not be a non-empty folder.
    public static func rename(_ from: String, to: String) throws {
        if posixRename(from, to) != 0 {
            let code = errno
            throw FileSystemError(path: to, reason: "cannot move \(from) here: \(words(code))", code: code)
        }
    }

    /// Swaps two existing paths in one atomic step (Linux `renameat2` with `RENAME_EXCHANGE`).
    /// Returns false when the system or file system cannot exchange (the caller then renames in two steps).
    public static func exchange(_ a: String, _ b: String) throws -> Bool {
        guard let renameat2 = renameat2 else { return false }
        let renameExchange: UInt32 = 2  // RENAME_EXCHANGE in linux/fs.h
        if renameat2(AT_FDCWD, a, AT_FDCWD, b, renameExchange) == 0 { return true }
        let code = errno
        if code == EINVAL || code == ENOSYS || code == ENOTSUP { return false }
        throw FileSystemError(path: b, reason: "cannot exchange it with \(a): \(words(code))", code: code)
    }

    private static func posixRename(_ from: String, _ to: String) -> Int32 {
        #if canImport(Glibc)
            return Glibc.rename(from, to)
        #else
            return Darwin.rename(from, to)
        #endif
    }

    private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32

    /// glibc's `renameat2`, looked up at run time: the Glibc module does not declare it (it needs _GNU_SOURCE).
    private static let renameat2: RenameAt2? = {
        #if !os(Linux)
            return nil
        #endif
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return nil }
        return unsafeBitCast(symbol, to: RenameAt2.self)
    }()

    /// Writes `bytes` to `path` (created or truncated), creating missing parent folders.
    public static func writeFile(_ bytes: [UInt8], to path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty && kind(folder) != .folder { try makeFolders(folder) }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            let code = errno
            throw FileSystemError(path: path, reason: "cannot create the file: \(words(code))", code: code)
        }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in write(fd, raw.baseAddress! + offset, bytes.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                let code = errno
                throw FileSystemError(path: path, reason: "cannot write the file: \(words(code))", code: code)
            }
            offset += n
        }
    }

    /// Writes `bytes` to `path` through a temporary sibling and a rename, so readers see the old file or the
    /// whole new one, never a part.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let temporary = (path as NSString).deletingLastPathComponent + "/" + partialName((path as NSString).lastPathComponent)
        do {
            try writeFile(bytes, to: temporary)
            try rename(temporary, to: path)
        } catch {
            remove(temporary)
            throw error
        }
    }

    /// Removes `path` and everything under it; nothing happens when it does not exist.
    public static func remove(_ path: String) {
        guard kind(path) != .none || (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil else { return }
        try? FileManager.default.removeItem(atPath: path)
    }

    /// True while a process with this id exists (it may belong to another user).
    public static func isProcessAlive(_ pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    /// The name of a partial (in-progress) sibling of `name` that belongs to process `pid`: `.name.partial-pid`.
    public static func partialName(_ name: String, pid: Int32 = getpid()) -> String {
        ".\(name).partial-\(pid)"
    }

    /// Removes the partial siblings (`.NAME.partial-PID`) in `folder` whose process is gone (and this process's
    /// own when `includingOwn` is set), limited to names starting with `prefix`; returns the names removed.
    @discardableResult
    public static func sweepPartials(in folder: String, prefix: String = ".", includingOwn: Bool = false) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        var removed: [String] = []
        for name in names where name.hasPrefix(prefix) && name.hasPrefix(".") {
            guard let range = name.range(of: ".partial-", options: .backwards),
                let pid = Int32(name[range.upperBound...])
            else { continue }
            let own = pid == getpid()
            guard (own && includingOwn) || (!own && !isProcessAlive(pid)) else { continue }
            remove((folder as NSString).appendingPathComponent(name))
            removed.append(name)
        }
        return removed.sorted()
    }
}
