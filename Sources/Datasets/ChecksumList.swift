import Foundation

/// A dataset's checksum list in the `SHA256SUMS` format that `sha256sum` writes and checks:
/// one line per file, `<64 hex digits><two spaces or space-star><path>`.
///
/// The lists live in `Sources/Datasets/Checksums/` (written by `Scripts/checksums.sh`) and ship as a
/// package resource; each catalog entry pins the list's own SHA-256, so an edited list is caught
/// before any dataset file is trusted because of it.
public enum ChecksumList {
    /// Parses the text of a list; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws -> [CatalogFile] {
        var files: [CatalogFile] = []
        var seen = Set<String>()
        // "\r\n" is one Character in Swift, so both line ends are named here.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        for (i, line) in lines.enumerated() {
            if line.isEmpty { continue }
            func bad(_ why: String) -> DatasetError {
                .malformed(file: file, reason: "line \(i + 1): \(why) (expected '<64 hex digits>  <path>', as sha256sum writes)")
            }
            let chars = Array(line.utf8)
            guard chars.count > 66 else { throw bad("too short") }
            let hex = chars[0..<64]
            guard hex.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
                throw bad("the digest is not 64 lower-case hex digits")
            }
            guard chars[64] == 0x20, chars[65] == 0x20 || chars[65] == 0x2A else { throw bad("no separator after the digest") }
            let path = String(decoding: chars[66...], as: UTF8.self)
            guard !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else {
                throw bad("the path '\(path)' leaves the dataset's folder")
            }
            guard seen.insert(path).inserted else { throw bad("'\(path)' is listed twice") }
            files.append(CatalogFile(path: path, sha256: String(decoding: hex, as: UTF8.self)))
        }
        guard !files.isEmpty else { throw DatasetError.malformed(file: file, reason: "the checksum list is empty") }
        return files
    }

    /// Reads the list `name` shipped with the package and checks it against its pinned SHA-256.
    public static func resource(_ name: String, sha256 pinned: String) throws -> [CatalogFile] {
        guard let path = locate(name) else {
            throw DatasetError.unreadable(
                file: "Checksums/\(name)",
                reason: "the package's checksum list is missing next to the executable and in the sources; rebuild with swift build")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DatasetError.unreadable(file: path, reason: "not readable")
        }
        let actual = SHA256Digest.hex([UInt8](data))
        guard actual == pinned else {
            throw DatasetError.checksumMismatch(
                file: path, expected: pinned, actual: actual,
                advice: "This checksum list was edited after its digest was pinned in the catalog. Restore it with git checkout, "
                    + "or regenerate it with Scripts/checksums.sh and pin the digest it prints.")
        }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    /// Where the list `name` is: in the resource bundle next to the executable (SwiftPM's layout), else in
    /// the source tree this library was built from (notebooks, tests).
    static func locate(_ name: String) -> String? {
        let executableDir = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent("InversionLab_Datasets.resources/Checksums/\(name)").path,
            executableDir.appendingPathComponent("InversionLab_Datasets.resources/Checksums/\(name)").path,
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Checksums/\(name)").path,
        ]
        return candidates.first { FileManager.default.isReadableFile(atPath: $0) }
    }
}
