import Foundation

/// An output file could not be written; the message names it.
public struct OutputError: Error, CustomStringConvertible, Sendable {
    /// What went wrong and how to fix it.
    public let description: String
}

/// An experiment's output folder; every file appears whole or not at all (written aside, then renamed).
public struct RunDirectory: Sendable {
    /// The folder's path.
    public let path: String

    /// Creates the folder (and parents) if needed.
    public init(_ path: String) throws {
        self.path = path
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw OutputError(description: "cannot create output folder \(path): \(error.localizedDescription). Choose another with --out.")
        }
    }

    /// The full path of `name` inside the folder.
    public func url(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    /// Writes bytes to `name` atomically (a temporary file in the same folder, then rename).
    public func write(_ bytes: [UInt8], to name: String) throws {
        try RunDirectory.writeAtomically(bytes, to: url(name))
    }

    /// Writes text (UTF-8) to `name` atomically.
    public func write(_ text: String, to name: String) throws {
        try write(Array(text.utf8), to: name)
    }

    /// Writes a CSV table to `name` atomically.
    public func write(_ table: CSVTable, to name: String) throws {
        try write(table.rendered, to: name)
    }

    /// Writes an image as PNG to `name` atomically.
    public func write(_ image: Image8, to name: String) throws {
        try write(try PNG.encode(image), to: name)
    }

    /// Writes `bytes` to `path` through `path.partial` and a rename, creating parent folders.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        let tmp = path + ".partial"
        do {
            if !dir.isEmpty {
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            }
            try Data(bytes).write(to: URL(fileURLWithPath: tmp))
            guard rename(tmp, path) == 0 else {
                throw OutputError(description: "rename failed (errno \(errno))")
            }
        } catch {
            try? FileManager.default.removeItem(atPath: tmp)
            throw OutputError(description: "cannot write \(path): \(error). Check the folder is writable or choose another with --out.")
        }
    }
}
