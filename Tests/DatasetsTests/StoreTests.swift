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
        #expect(!FileManager.default.fileExists(atPath: root + "/data/tiny.partial"))
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
        #expect(!FileManager.default.fileExists(atPath: root + "/data/tiny"))
        #expect(!FileManager.default.fileExists(atPath: root + "/data/tiny.partial"))
    }

    @Test func httpNotFoundIsAClearError() throws {
        let server = try LocalHTTPServer(files: [:])
        defer { server.stop() }
        let root = temp()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = DatasetStore(override: server.baseURL, localRoot: root + "/data", environment: [:])
        #expect { try store.locate(StoreTests.entry) } throws: { "\($0)".contains("HTTP 404") && "\($0)".contains("notes.txt") }
    }

    @Test func downloadsAndUnpacksTheCanonicalArchive() throws {
        let zip = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("tiny_dataset.zip")))
        let server = try LocalHTTPServer(files: ["/pub/tiny_dataset.zip": [UInt8](zip)])
        defer { server.stop() }
        let root = temp()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let e = StoreTests.entry
        let withArchive = CatalogEntry(
            name: e.name, files: e.files, sourceURL: e.sourceURL,
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
    }
}

enum Fixtures {
    static func path(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent(name).path
    }
}
