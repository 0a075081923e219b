import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Finds a dataset, verifies every file against the catalog, and downloads it when it can.
///
/// Lookup order (DESIGN.md section 4): the override (`--data` or `$INVERSIONLAB_DATA`, a folder or an
/// http(s) URL laid out like `data/`), then `data/<name>/`, then the catalog's canonical archive.
/// Downloads go to `*.partial`, are verified, then renamed into `data/<name>/`.
public struct DatasetStore: Sendable {
    /// `--data` or `$INVERSIONLAB_DATA`: a folder or an http(s) URL, or nil.
    public let override: String?
    /// The project's own store folder (`data/`).
    public let localRoot: String
    /// Whether the canonical archive may be downloaded.
    public let allowDownload: Bool

    /// A store; `override` nil falls back to `$INVERSIONLAB_DATA`; `INVERSIONLAB_OFFLINE=1` forbids downloads.
    public init(
        override: String? = nil, localRoot: String = "data", allowDownload: Bool = true,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        let env = environment["INVERSIONLAB_DATA"].flatMap { $0.isEmpty ? nil : $0 }
        self.override = override ?? env
        self.localRoot = localRoot
        self.allowDownload = allowDownload && environment["INVERSIONLAB_OFFLINE"] != "1"
    }

    /// The folder holding a verified copy of `entry`'s files.
    public func locate(_ entry: CatalogEntry) throws -> String {
        var searched: [String] = []
        if let o = override {
            if DatasetStore.isURL(o) {
                let base = o.hasSuffix("/") ? String(o.dropLast()) : o
                let local = (localRoot as NSString).appendingPathComponent(entry.name)
                if FileManager.default.fileExists(atPath: local) {
                    try verify(entry, in: local)
                    return local
                }
                try downloadFiles(entry, from: base + "/" + entry.name)
                return local
            }
            let dir = (o as NSString).appendingPathComponent(entry.name)
            searched.append(dir + " (from --data / INVERSIONLAB_DATA)")
            if FileManager.default.fileExists(atPath: dir) {
                try verify(entry, in: dir)
                return dir
            }
        }
        let local = (localRoot as NSString).appendingPathComponent(entry.name)
        searched.append(local)
        if FileManager.default.fileExists(atPath: local) {
            try verify(entry, in: local)
            return local
        }
        let hint =
            "Copy it into \(local)/ (source: \(entry.sourceURL)), or pass --data DIR (a folder holding \(entry.name)/) "
            + "or set INVERSIONLAB_DATA."
        if allowDownload, let archive = entry.archiveURL {
            searched.append(archive)
            do {
                try downloadArchive(entry, from: archive)
            } catch DatasetError.download(_, let reason) {
                throw DatasetError.missing(dataset: entry.name, searched: searched, hint: "The download failed: \(reason). " + hint)
            }
            return local
        }
        throw DatasetError.missing(dataset: entry.name, searched: searched, hint: hint)
    }

    /// Checks that every catalog file exists in `dir` with the right SHA-256.
    public func verify(_ entry: CatalogEntry, in dir: String) throws {
        for file in entry.files {
            let path = (dir as NSString).appendingPathComponent(file.path)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw DatasetError.missing(
                    dataset: entry.name, searched: [path],
                    hint: "The folder \(dir) is incomplete (\(entry.files.count) files expected); copy the dataset again.")
            }
            let actual = SHA256Digest.hex([UInt8](data))
            guard actual == file.sha256 else {
                throw DatasetError.checksumMismatch(file: path, expected: file.sha256, actual: actual)
            }
        }
    }

    /// True for http:// and https:// addresses.
    public static func isURL(_ s: String) -> Bool { s.hasPrefix("http://") || s.hasPrefix("https://") }

    private func downloadFiles(_ entry: CatalogEntry, from base: String) throws {
        let final = (localRoot as NSString).appendingPathComponent(entry.name)
        let partial = final + ".partial"
        try? FileManager.default.removeItem(atPath: partial)
        for file in entry.files {
            let url = base + "/" + file.path
            let bytes = try DatasetStore.fetch(url)
            let actual = SHA256Digest.hex(bytes)
            guard actual == file.sha256 else {
                try? FileManager.default.removeItem(atPath: partial)
                throw DatasetError.checksumMismatch(file: url, expected: file.sha256, actual: actual)
            }
            try DatasetStore.writeFile(bytes, to: (partial as NSString).appendingPathComponent(file.path))
        }
        try DatasetStore.commit(partial, to: final)
    }

    private func downloadArchive(_ entry: CatalogEntry, from url: String) throws {
        let final = (localRoot as NSString).appendingPathComponent(entry.name)
        let partial = final + ".partial"
        let bytes = try DatasetStore.fetch(url)
        let zip = try ZipArchive(bytes, file: url)
        let byPath = Dictionary(
            zip.members.map { (DatasetStore.strippedPath($0.path, members: zip.members), $0.bytes) },
            uniquingKeysWith: { a, _ in a })
        try? FileManager.default.removeItem(atPath: partial)
        for file in entry.files {
            guard let data = byPath[file.path] else {
                try? FileManager.default.removeItem(atPath: partial)
                throw DatasetError.malformed(file: url, reason: "the archive has no member \(file.path)")
            }
            let actual = SHA256Digest.hex(data)
            guard actual == file.sha256 else {
                try? FileManager.default.removeItem(atPath: partial)
                throw DatasetError.checksumMismatch(file: "\(url):\(file.path)", expected: file.sha256, actual: actual)
            }
            try DatasetStore.writeFile(data, to: (partial as NSString).appendingPathComponent(file.path))
        }
        try DatasetStore.commit(partial, to: final)
    }

    /// Drops a single top-level folder that every member shares (archives often wrap their files in one).
    static func strippedPath(_ path: String, members: [ZipArchive.Member]) -> String {
        let firsts = Set(members.map { $0.path.split(separator: "/", maxSplits: 1).first.map(String.init) ?? "" })
        guard firsts.count == 1, let top = firsts.first, members.allSatisfy({ $0.path.hasPrefix(top + "/") }) else { return path }
        return String(path.dropFirst(top.count + 1))
    }

    private static func writeFile(_ bytes: [UInt8], to path: String) throws {
        do {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        } catch {
            throw DatasetError.unreadable(file: path, reason: "cannot write: \(error.localizedDescription)")
        }
    }

    private static func commit(_ partial: String, to final: String) throws {
        guard rename(partial, final) == 0 else {
            throw DatasetError.unreadable(file: final, reason: "cannot move \(partial) into place (errno \(errno))")
        }
    }

    /// Fetches an http(s) URL; a status other than 200 is an error naming the status.
    public static func fetch(_ address: String) throws -> [UInt8] {
        guard let url = URL(string: address) else { throw DatasetError.download(url: address, reason: "not a valid URL") }
        final class Box: @unchecked Sendable {
            var data: Data?
            var status = 0
            var error: Error?
        }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        var request = URLRequest(url: url)
        request.timeoutInterval = 60
        let task = URLSession.shared.dataTask(with: request) { data, response, error in
            box.data = data
            box.status = (response as? HTTPURLResponse)?.statusCode ?? 0
            box.error = error
            done.signal()
        }
        task.resume()
        done.wait()
        if let e = box.error { throw DatasetError.download(url: address, reason: e.localizedDescription) }
        guard box.status == 200, let data = box.data else {
            throw DatasetError.download(url: address, reason: "the server answered HTTP \(box.status)")
        }
        return [UInt8](data)
    }
}
