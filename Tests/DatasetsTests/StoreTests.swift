import Datasets
import Foundation
import Testing

/// The dataset store against hand-made datasets: folders, checksums, http mirrors and archives.
@Suite(.serialized) struct StoreTests {
    static let notes = Array(String(repeating: "tiny dataset for the store tests\n", count: 20).utf8)
    static let pgm: [UInt8] = Array("P5\n3 2\n255\n".utf8) + [0, 128, 255, 10, 20, 30]
    static let entry = CatalogEntry(
        name: "tiny",
        files: [
            CatalogFile(path: "notes.txt", sha256: "5391d3379838b9b1a57549c4126e82bb1ab5b2a757c4e4ccbb0d63b69eca6706"),
            CatalogFile(path: "img/a.pgm", sha256: "c9f9b5dad17d635b4a769751ec8f40fb901b35c23bee2dd16ec46779668df3a5"),
        ],
        sourceURL: "https://example.invalid/tiny", archiveURL: nil, licence: "test", citation: "test")

    func temp() -> String {
        let dir = NSTemporaryDirectory() + "inversionlab-store-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    func lay(_ root: String, notes: [UInt8] = StoreTests.notes) throws {
        try FileManager.default.createDirectory(atPath: root + "/tiny/img", withIntermediateDirectories: true)
        try Data(notes).write(to: URL(fileURLWithPath: root + "/tiny/notes.txt"))
        try Data(StoreTests.pgm).write(to: URL(fileURLWithPath: root + "/tiny/img/a.pgm"))
    }

    @Test func findsAVerifiedFolderThroughTheOverride() throws {
        let root = temp()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try lay(root + "/mirror")
        let store = DatasetStore(override: root + "/mirror", localRoot: root + "/data", allowDownload: false, environment: [:])
        #expect(try store.locate(StoreTests.entry) == root + "/mirror/tiny")
        let viaEnv = DatasetStore(localRoot: root + "/data", allowDownload: false, environment: ["INVERSIONLAB_DATA": root + "/mirror"])
        #expect(try viaEnv.locate(StoreTests.entry) == root + "/mirror/tiny")
    }

    @Test func fallsBackToTheLocalStore() throws {
        let root = temp()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try lay(root + "/data")
        let store = DatasetStore(override: root + "/elsewhere", localRoot: root + "/data", allowDownload: false, environment: [:])
        #expect(try store.locate(StoreTests.entry) == root + "/data/tiny")
    }

    @Test func missingDatasetSaysWhereItLookedAndWhatToDo() {
        let root = temp()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = DatasetStore(override: root + "/none", localRoot: root + "/data", allowDownload: false, environment: [:])
        #expect { try store.locate(StoreTests.entry) } throws: { error in
            let m = "\(error)"
            return m.contains("'tiny' was not found") && m.contains(root + "/none/tiny") && m.contains(root + "/data/tiny")
                && m.contains("--data")
        }
    }

    @Test func checksumMismatchNamesTheFileAndBothDigests() throws {
        let root = temp()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try lay(root, notes: Array("tampered\n".utf8))
        let store = DatasetStore(override: root, localRoot: root + "/data", allowDownload: false, environment: [:])
        #expect { try store.locate(StoreTests.entry) } throws: { error in
            let m = "\(error)"
            return m.contains(root + "/tiny/notes.txt") && m.contains("5391d3379838b9b1") && m.contains("SHA-256 mismatch")
                && m.contains(SHA256Digest.hex(Array("tampered\n".utf8)))
        }
    }

    @Test func incompleteFolderNamesTheMissingFile() throws {
        let root = temp()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try lay(root)
        try FileManager.default.removeItem(atPath: root + "/tiny/img/a.pgm")
        let store = DatasetStore(override: root, localRoot: root + "/data", allowDownload: false, environment: [:])
        #expect { try store.locate(StoreTests.entry) } throws: { "\($0)".contains("img/a.pgm") && "\($0)".contains("incomplete") }
    }

    @Test func downloadsFromAnHTTPMirrorVerifiesAndRenames() throws {
        let server = try LocalHTTPServer(files: ["/mirror/tiny/notes.txt": StoreTests.notes, "/mirror/tiny/img/a.pgm": StoreTests.pgm])
        defer { server.stop() }
        let root = temp()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = DatasetStore(override: server.baseURL + "/mirror", localRoot: root + "/data", environment: [:])
        #expect(try store.locate(StoreTests.entry) == root + "/data/tiny")
        #expect(FileManager.default.contents(atPath: root + "/data/tiny/img/a.pgm") == Data(StoreTests.pgm))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/data") == ["tiny"])
        #expect(server.requestLog.contains("/mirror/tiny/notes.txt"))
        // A second lookup uses the verified local copy without asking the server again.
        let before = server.requestLog.count
        _ = try store.locate(StoreTests.entry)
        #expect(server.requestLog.count == before)
    }

    @Test func httpMirrorWithACorruptFileLeavesNothingBehind() throws {
        let server = try LocalHTTPServer(files: ["/m/tiny/notes.txt": Array("wrong".utf8), "/m/tiny/img/a.pgm": StoreTests.pgm])
        defer { server.stop() }
        let root = temp()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = DatasetStore(override: server.baseURL + "/m", localRoot: root + "/data", environment: [:])
        #expect { try store.locate(StoreTests.entry) } throws: { "\($0)".contains("/m/tiny/notes.txt") && "\($0)".contains("mismatch") }
        #expect((try? FileManager.default.contentsOfDirectory(atPath: root + "/data")) ?? [] == [])
    }

    @Test func httpNotFoundIsAClearErrorAndLeavesNothingBehind() throws {
        // The first file downloads, the second answers 404: nothing of the first may stay in data/.
        let server = try LocalHTTPServer(files: ["/m/tiny/notes.txt": StoreTests.notes])
        defer { server.stop() }
        let root = temp()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/data", withIntermediateDirectories: true)
        let store = DatasetStore(override: server.baseURL + "/m", localRoot: root + "/data", environment: [:])
        #expect { try store.locate(StoreTests.entry) } throws: { "\($0)".contains("HTTP 404") && "\($0)".contains("img/a.pgm") }
        #expect(server.requestLog == ["/m/tiny/notes.txt", "/m/tiny/img/a.pgm"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/data") == [])
    }

    @Test func aMirrorThatNeverAnswersFailsWithinTheTimeoutInWords() throws {
        let server = try LocalHTTPServer(files: [:], silent: true)
        defer { server.stop() }
        let root = temp()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = DatasetStore(override: server.baseURL, localRoot: root + "/data", timeout: 1, environment: [:])
        let start = Date()
        #expect { try store.locate(StoreTests.entry) } throws: { error in
            let m = "\(error)"
            return m.contains("sent nothing for 1 s") && m.contains("--download-timeout") && !m.contains("NSURLErrorDomain")
        }
        #expect(Date().timeIntervalSince(start) < 8)
        #expect(!FileManager.default.fileExists(atPath: root + "/data/tiny"))
        #expect((try? FileManager.default.contentsOfDirectory(atPath: root + "/data")) ?? [] == [])
    }

    @Test func aRefusedConnectionIsDescribedInWords() throws {
        let server = try LocalHTTPServer(files: [:])
        let address = server.baseURL
        server.stop()  // nothing listens on that port any more
        #expect { try DatasetStore.fetch(address + "/x", timeout: 2) } throws: { "\($0)".contains("refused") }
    }

    @Test func theStoreSaysWhichCopyItUsedAndWhy() throws {
        let server = try LocalHTTPServer(files: [:])
        defer { server.stop() }
        let root = temp()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try lay(root + "/data")
        // A URL override with a verified copy in data/: the copy is used (same checksums), and the run is told so.
        let viaURL = DatasetStore(override: server.baseURL, localRoot: root + "/data", environment: [:])
        #expect(try viaURL.locate(StoreTests.entry) == root + "/data/tiny")
        #expect(server.requestLog.isEmpty)
        let reason = try #require(viaURL.locations.first?.reason)
        #expect(reason.contains("already in") && reason.contains("--data") && reason.contains("delete the folder"))
        // A folder override without the dataset falls back to data/ and says so.
        let viaEnv = DatasetStore(localRoot: root + "/data", environment: ["INVERSIONLAB_DATA": root + "/empty"])
        _ = try viaEnv.locate(StoreTests.entry)
        #expect(viaEnv.locations.first?.reason.contains("not in \(root)/empty (INVERSIONLAB_DATA)") == true)
        #expect(viaEnv.locations.first?.files == 2)
        #expect(viaEnv.locations.first?.catalogDigest == StoreTests.entry.catalogDigest)
    }

    @Test func checksumAdviceFitsWhetherTheDatasetCanBeDownloaded() throws {
        let root = temp()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try lay(root, notes: Array("tampered\n".utf8))
        let store = DatasetStore(override: root, localRoot: root + "/data", allowDownload: false, environment: [:])
        #expect { try store.locate(StoreTests.entry) } throws: { "\($0)".contains("cannot download") && !"\($0)".contains("Delete the") }
        let e = StoreTests.entry
        let downloadable = CatalogEntry(
            name: e.name, files: try e.files(), sourceURL: e.sourceURL, archiveURL: "https://example.invalid/tiny.zip",
            licence: e.licence, citation: e.citation)
        #expect { try store.locate(downloadable) } throws: { "\($0)".contains("Delete the dataset's folder") }
    }

    @Test func downloadsAndUnpacksTheCanonicalArchive() throws {
        let zip = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("tiny_dataset.zip")))
        let server = try LocalHTTPServer(files: ["/pub/tiny_dataset.zip": [UInt8](zip)])
        defer { server.stop() }
        let root = temp()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let e = StoreTests.entry
        let withArchive = CatalogEntry(
            name: e.name, files: try e.files(), sourceURL: e.sourceURL,
            archiveURL: server.baseURL + "/pub/tiny_dataset.zip", licence: e.licence, citation: e.citation)
        let store = DatasetStore(override: nil, localRoot: root + "/data", environment: [:])
        #expect(try store.locate(withArchive) == root + "/data/tiny")
        #expect(FileManager.default.contents(atPath: root + "/data/tiny/notes.txt") == Data(StoreTests.notes))
        // Without permission to download, the same lookup is a clear "missing".
        let offline = DatasetStore(override: nil, localRoot: root + "/other", allowDownload: false, environment: [:])
        #expect(throws: DatasetError.self) { try offline.locate(withArchive) }
    }

    @Test func truncatedArchiveIsRejected() throws {
        let zip = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("tiny_dataset.zip"))))
        #expect(try ZipArchive(zip, file: "t.zip").members.map(\.path) == ["tiny/notes.txt", "tiny/img/a.pgm"])
        #expect { try ZipArchive(Array(zip.prefix(zip.count - 30)), file: "t.zip") } throws: { "\($0)".contains("t.zip") }
        var corrupt = zip
        corrupt[90] ^= 0xFF  // inside the deflated member (bytes 79..120)
        #expect(throws: DatasetError.self) { try ZipArchive(corrupt, file: "t.zip") }
        // Found by Scripts/fuzz.sh: a member whose declared size is smaller than what it unpacks to (a bomb is the
        // extreme case) stops at the declared size; a member without a name is refused.
        // notes.txt's central-directory entry: signature PK\u{1}\u{2}, uncompressed size at +24, name length at +28, name at +46.
        let signature: [UInt8] = [0x50, 0x4B, 1, 2]
        let name = Array("tiny/notes.txt".utf8)
        func isNotesEntry(_ o: Int) -> Bool {
            Array(zip[o..<(o + 4)]) == signature && Array(zip[(o + 46)..<(o + 60)]) == name
        }
        let central = try #require((0..<(zip.count - 60)).first(where: isNotesEntry))
        var small = zip
        small[central + 24] = 10
        small[central + 25] = 0
        small[central + 26] = 0
        small[central + 27] = 0
        #expect { try ZipArchive(small, file: "t.zip") } throws: { "\($0)".contains("more than the 10 bytes expected") }
        var unnamed = zip
        unnamed[central + 28] = 0  // name length 0
        unnamed[central + 29] = 0
        #expect(throws: DatasetError.self) { try ZipArchive(unnamed, file: "t.zip") }
    }
}

enum Fixtures {
    static func path(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent(name).path
    }
}
