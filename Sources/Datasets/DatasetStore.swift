import Foundation
import MLCore

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Where the store found a dataset, and why that copy.
public struct DatasetLocation: Sendable, Equatable {
    /// The catalog name.
    public let name: String
    /// The folder holding the verified files.
    public let folder: String
    /// Why this copy was used, in words (e.g. "from --data", "downloaded from http://…").
    public let reason: String
    /// How many files were verified.
    public let files: Int
    /// The catalog's digest of the list of files and checksums (see `CatalogEntry.catalogDigest`).
    public let catalogDigest: String
}

/// Finds a dataset, verifies every file against the catalog, and downloads it when it can.
///
/// Lookup order (DESIGN.md section 4): the override (`--data` or `$INVERSIONLAB_DATA`, a folder or an
/// http(s) URL laid out like `data/`), then `data/<name>/`, then the catalog's canonical archive.
/// Every copy used is recorded in `locations` with the reason it was chosen, so a run can say which
/// copy it read. Downloads go to a partial folder (`data/.<name>.partial-<pid>`) that is removed on
/// any failure, are verified, then renamed into `data/<name>/`.
public final class DatasetStore {
    /// `--data` or `$INVERSIONLAB_DATA`: a folder or an http(s) URL, or nil.
    public let override: String?
    /// Where the override came from, for messages (`--data` or `INVERSIONLAB_DATA`).
    public let overrideSource: String
    /// The project's own store folder (`data/`).
    public let localRoot: String
    /// Whether the canonical archive may be downloaded.
    public let allowDownload: Bool
    /// Seconds a download waits for the server to answer (or to send more) before it fails.
    public let timeout: Double
    /// Every dataset located so far, in order, with the reason for the copy used.
    public private(set) var locations: [DatasetLocation] = []

    /// A store; `override` nil falls back to `$INVERSIONLAB_DATA`; `INVERSIONLAB_OFFLINE=1` forbids downloads.
    public init(
        override: String? = nil, localRoot: String = "data", allowDownload: Bool = true, timeout: Double = 30,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        let env = environment["INVERSIONLAB_DATA"].flatMap { $0.isEmpty ? nil : $0 }
        self.override = override ?? env
        self.overrideSource = override != nil ? "--data" : "INVERSIONLAB_DATA"
        self.localRoot = localRoot
        self.allowDownload = allowDownload && environment["INVERSIONLAB_OFFLINE"] != "1"
        self.timeout = timeout
    }

    /// The folder holding a verified copy of `entry`'s files; `locations` records which copy and why.
    public func locate(_ entry: CatalogEntry) throws -> String {
        let files = try entry.files()
        let local = (localRoot as NSString).appendingPathComponent(entry.name)
        var searched: [String] = []
        var fallbackReason = ""
        if let o = override {
            if DatasetStore.isURL(o) {
                let base = (o.hasSuffix("/") ? String(o.dropLast()) : o) + "/" + entry.name
                if FileManager.default.fileExists(atPath: local) {
                    try verify(entry, files: files, in: local)
                    return record(
                        entry, files, local,
                        "a verified copy already in \(localRoot)/ (the same SHA-256 as \(overrideSource) \(o) serves; "
                            + "delete the folder to download it again)")
                }
                try downloadFiles(entry, files: files, from: base)
                return record(entry, files, local, "downloaded from \(base) (\(overrideSource)) into \(localRoot)/")
            }
            let dir = (o as NSString).appendingPathComponent(entry.name)
            searched.append(dir + " (from \(overrideSource))")
            if FileManager.default.fileExists(atPath: dir) {
                try verify(entry, files: files, in: dir)
                return record(entry, files, dir, "from \(overrideSource)")
            }
            fallbackReason = "not in \(o) (\(overrideSource)); "
        }
        searched.append(local)
        if FileManager.default.fileExists(atPath: local) {
            try verify(entry, files: files, in: local)
            return record(entry, files, local, fallbackReason + "the project's store \(localRoot)/")
        }
        let hint =
            "Copy it into \(local)/ (source: \(entry.sourceURL)), or pass --data DIR (a folder holding \(entry.name)/) "
            + "or set INVERSIONLAB_DATA."
        if allowDownload, let archive = entry.archiveURL {
            searched.append(archive)
            do {
                try downloadArchive(entry, files: files, from: archive)
            } catch DatasetError.download(_, let reason) {
                throw DatasetError.missing(dataset: entry.name, searched: searched, hint: "The download failed: \(reason). " + hint)
            }
            return record(entry, files, local, fallbackReason + "downloaded from \(archive) into \(localRoot)/")
        }
        throw DatasetError.missing(dataset: entry.name, searched: searched, hint: hint)
    }

    private func record(_ entry: CatalogEntry, _ files: [CatalogFile], _ folder: String, _ reason: String) -> String {
        locations.append(
            DatasetLocation(name: entry.name, folder: folder, reason: reason, files: files.count, catalogDigest: entry.catalogDigest))
        return folder
    }

    /// Checks that every catalog file exists in `dir` with the right SHA-256.
    public func verify(_ entry: CatalogEntry, in dir: String) throws {
        try verify(entry, files: try entry.files(), in: dir)
    }

    private func verify(_ entry: CatalogEntry, files: [CatalogFile], in dir: String) throws {
        for file in files {
            let path = (dir as NSString).appendingPathComponent(file.path)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw DatasetError.missing(
                    dataset: entry.name, searched: [path],
                    hint: "The folder \(dir) is incomplete (\(files.count) files expected). \(entry.repairAdvice)")
            }
            let actual = SHA256Digest.hex([UInt8](data))
            guard actual == file.sha256 else {
                throw DatasetError.checksumMismatch(file: path, expected: file.sha256, actual: actual, advice: entry.repairAdvice)
            }
        }
    }

    /// True for http:// and https:// addresses.
    public static func isURL(_ s: String) -> Bool { s.hasPrefix("http://") || s.hasPrefix("https://") }

    /// Writes each (path, bytes) of a download into a fresh partial folder and renames it into
    /// `data/<name>/` only when all are there; on any failure (or error thrown by `produce`) nothing is left.
    private func commitDownload(_ entry: CatalogEntry, produce: (_ write: ([UInt8], String) throws -> Void) throws -> Void) throws {
        let final = (localRoot as NSString).appendingPathComponent(entry.name)
        FileSystem.sweepPartials(in: localRoot)
        let partial = (localRoot as NSString).appendingPathComponent(FileSystem.partialName(entry.name))
        FileSystem.remove(partial)
        do {
            try produce { bytes, relative in
                let path = (partial as NSString).appendingPathComponent(relative)
                try FileSystem.makeFolders((path as NSString).deletingLastPathComponent)
                guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
                    throw FileSystemError(path: path, reason: "cannot write the downloaded file")
                }
            }
            try FileSystem.rename(partial, to: final)
        } catch let e as FileSystemError {
            FileSystem.remove(partial)
            throw DatasetError.unreadable(file: e.path, reason: "cannot store the download: \(e.reason)")
        } catch {
            FileSystem.remove(partial)
            throw error
        }
    }

    private func downloadFiles(_ entry: CatalogEntry, files: [CatalogFile], from base: String) throws {
        try commitDownload(entry) { write in
            for file in files {
                let url = base + "/" + file.path
                let bytes = try DatasetStore.fetch(url, timeout: timeout)
                let actual = SHA256Digest.hex(bytes)
                guard actual == file.sha256 else {
                    throw DatasetError.checksumMismatch(
                        file: url, expected: file.sha256, actual: actual,
                        advice: "The mirror serves a different file: check that it holds the dataset as the store lays it out.")
                }
                try write(bytes, file.path)
            }
        }
    }

    private func downloadArchive(_ entry: CatalogEntry, files: [CatalogFile], from url: String) throws {
        let bytes = try DatasetStore.fetch(url, timeout: timeout)
        let zip = try ZipArchive(bytes, file: url)
        let byPath = Dictionary(
            zip.members.map { (DatasetStore.strippedPath($0.path, members: zip.members), $0.bytes) },
            uniquingKeysWith: { a, _ in a })
        try commitDownload(entry) { write in
            for file in files {
                guard let data = byPath[file.path] else {
                    throw DatasetError.malformed(file: url, reason: "the archive has no member \(file.path)")
                }
                let actual = SHA256Digest.hex(data)
                guard actual == file.sha256 else {
                    throw DatasetError.checksumMismatch(
                        file: "\(url):\(file.path)", expected: file.sha256, actual: actual,
                        advice: "The archive at the canonical address has changed; copy the dataset by hand and pass --data DIR.")
                }
                try write(data, file.path)
            }
        }
    }

    /// Drops a single top-level folder that every member shares (archives often wrap their files in one).
    static func strippedPath(_ path: String, members: [ZipArchive.Member]) -> String {
        let firsts = Set(members.map { $0.path.split(separator: "/", maxSplits: 1).first.map(String.init) ?? "" })
        guard firsts.count == 1, let top = firsts.first, members.allSatisfy({ $0.path.hasPrefix(top + "/") }) else { return path }
        return String(path.dropFirst(top.count + 1))
    }

    /// Fetches an http(s) URL. A status other than 200 is an error naming the status; a server that sends
    /// nothing for `timeout` seconds (or never answers at all) is an error saying so, in words.
    public static func fetch(_ address: String, timeout: Double = 30) throws -> [UInt8] {
        guard let url = URL(string: address), url.host != nil else {
            throw DatasetError.download(url: address, reason: "not a valid URL")
        }
        final class Box: @unchecked Sendable {
            var data: Data?
            var status = 0
            var error: Error?
        }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = max(3600, timeout)
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        let task = session.dataTask(with: URLRequest(url: url, timeoutInterval: timeout)) { data, response, error in
            box.data = data
            box.status = (response as? HTTPURLResponse)?.statusCode ?? 0
            box.error = error
            done.signal()
        }
        task.resume()
        // The session's own timer ends a silent transfer; this wait is a second guard in case it does not fire.
        if done.wait(timeout: .now() + timeout + 10) == .timedOut {
            task.cancel()
            throw DatasetError.download(url: address, reason: silence(timeout))
        }
        if let e = box.error { throw DatasetError.download(url: address, reason: words(e, timeout: timeout)) }
        guard box.status == 200, let data = box.data else {
            throw DatasetError.download(url: address, reason: "the server answered HTTP \(box.status)")
        }
        return [UInt8](data)
    }

    private static func silence(_ timeout: Double) -> String {
        "the server sent nothing for \(String(format: "%g", timeout)) s (it accepted the connection but did not answer); "
            + "check the mirror, or allow longer with --download-timeout"
    }

    /// A networking error in words.
    static func words(_ error: Error, timeout: Double) -> String {
        guard let e = error as? URLError else { return error.localizedDescription }
        switch e.code {
        case .timedOut: return silence(timeout)
        case .cannotConnectToHost: return "the connection was refused (no server listens at that address and port)"
        case .cannotFindHost, .dnsLookupFailed: return "the host name could not be resolved"
        case .notConnectedToInternet: return "this machine has no network connection"
        case .networkConnectionLost: return "the connection broke off during the transfer"
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate, .serverCertificateNotYetValid,
            .serverCertificateHasUnknownRoot:
            return "the TLS connection failed (certificate or protocol problem)"
        case .badServerResponse: return "the server's answer was not valid HTTP"
        default: return e.localizedDescription
        }
    }
}
