import Datasets
import Foundation
import MLCore
import Testing

struct SHA256Tests {
    @Test func knownVectors() {
        #expect(SHA256Digest.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256Digest.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256Digest.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(
            SHA256Digest.hex([UInt8](repeating: 0x61, count: 1000))
                == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}

struct PGMTests {
    @Test func parsesBinaryAndPlainFilesWithComments() throws {
        let p5 = try PGM.parse([UInt8](try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("binary.pgm")))), file: "binary.pgm")
        #expect(p5.width == 2 && p5.height == 2 && p5.maxval == 255)
        #expect(p5.values == [0, 64 / 255, 128 / 255, 1])
        let p2 = try PGM.parse([UInt8](try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("plain.pgm")))), file: "plain.pgm")
        #expect(p2.width == 4 && p2.height == 2 && p2.maxval == 15)
        #expect(zip(p2.values, [0, 1, 2, 3, 15, 14, 13, 12].map { Float($0) / 15 }).allSatisfy { abs($0 - $1) < 1e-6 })
        let wide = try PGM.parse(Array("P5 1 1 65535\n".utf8) + [0x80, 0x00], file: "16bit.pgm")
        #expect(abs(wide.values[0] - Float(0x8000) / 65535) < 1e-6)
    }

    @Test(
        arguments: [
            (Array("P6\n2 1\n255\n".utf8) + [1, 2, 3, 4, 5, 6], "magic number"),
            (Array("P5\n2 2\n255\n".utf8) + [1, 2, 3], "truncated image"),
            (Array("P5\n2 1\n255\n".utf8) + [1, 2, 3], "unexpected bytes"),
            (Array("P5\n2 1\n0\n".utf8) + [0, 0], "maxval"),
            (Array("P5\n0 1\n255\n".utf8), "positive"),
            (Array("P5\n2".utf8), "truncated"),
            (Array("P5\nab 1\n255\n".utf8), "not a number"),
            (Array("P2\n2 1\n9\n3 10\n".utf8), "above maxval"),
            (Array("P2\n2 2\n9\n1 2 3\n".utf8), "truncated image"),
            (Array("P5\n1 1\n16\n".utf8) + [17], "above maxval"),
        ] as [([UInt8], String)])
    func brokenFilesNameTheFileAndTheProblem(bytes: [UInt8], expected: String) {
        #expect { try PGM.parse(bytes, file: "faces/s9/3.pgm") } throws: { error in
            "\(error)".contains("faces/s9/3.pgm") && "\(error)".contains(expected)
        }
    }
}

struct CSVReaderTests {
    @Test func quotedFieldsAndLineEnds() throws {
        let rows = try CSVReader.parse("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\n\"multi\nline\",2,3", file: "t.csv")
        #expect(rows == [["a", "b", "c"], ["x, y", "say \"hi\"", ""], ["multi\nline", "2", "3"]])
    }

    @Test func malformedQuotingIsAnError() {
        #expect { try CSVReader.parse("a,\"open\n", file: "bad.csv") } throws: {
            "\($0)".contains("bad.csv") && "\($0)".contains("never closed")
        }
        #expect(throws: DatasetError.self) { try CSVReader.parse("a\"b\n", file: "bad.csv") }
        #expect(throws: DatasetError.self) { try CSVReader.parse("\"a\"b\n", file: "bad.csv") }
    }
}

/// The shared dataset mirror (CI sets INVERSIONLAB_DATA; on these machines it is ../shared/datasets).
enum SharedData {
    /// A store over the mirror when it holds `dataset`, else nil (the test is then skipped).
    static func store(holding dataset: String) -> DatasetStore? {
        let env = ProcessInfo.processInfo.environment["INVERSIONLAB_DATA"]
        let sibling = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/datasets").path
        for root in [env, sibling].compactMap({ $0 }) where !root.isEmpty && FileManager.default.fileExists(atPath: root + "/" + dataset) {
            return DatasetStore(override: root, allowDownload: false)
        }
        return nil
    }
}

/// The real AT&T faces, from the shared mirror.
struct RealFacesTests {
    static var store: DatasetStore? { SharedData.store(holding: "att_faces") }

    @Test(.enabled(if: store != nil, "needs the AT&T faces: set INVERSIONLAB_DATA"))
    func loadsAllFourHundredVerifiedFacesAndSplitsThemSevenThree() throws {
        let faces = try ATTFaces.load(from: try #require(RealFacesTests.store))
        #expect(faces.images.rows == 400 && faces.images.cols == 92 * 112)
        #expect(faces.labels.filter { $0 == 39 }.count == 10)
        #expect(faces.images.data.allSatisfy { $0 >= 0 && $0 <= 1 })
        let mean = Statistics.mean(faces.images.data) * 255
        #expect(abs(mean - 112.63) < 0.05)  // the provenance note's pixel mean over all 400 images
        var rng = SeededGenerator(seed: 1)
        let (train, test) = faces.splitPerClass(trainPerClass: 7, using: &rng)
        #expect(train.images.rows == 280 && test.images.rows == 120)
        #expect(Set(train.sources).isDisjoint(with: Set(test.sources)))
        for c in 0..<40 { #expect(train.labels.filter { $0 == c }.count == 7) }
    }

    @Test(.enabled(if: store != nil, "needs the AT&T faces: set INVERSIONLAB_DATA"))
    func aTruncatedFaceInACopyIsNamed() throws {
        let source = try #require(RealFacesTests.store?.override)
        let dir = NSTemporaryDirectory() + "inversionlab-faces-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for s in 1...40 {
            try FileManager.default.createDirectory(atPath: "\(dir)/s\(s)", withIntermediateDirectories: true)
            for i in 1...10 {
                try FileManager.default.copyItem(atPath: "\(source)/att_faces/s\(s)/\(i).pgm", toPath: "\(dir)/s\(s)/\(i).pgm")
            }
        }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/s7/4.pgm"))
        try bytes.prefix(5000).write(to: URL(fileURLWithPath: "\(dir)/s7/4.pgm"))
        #expect { try ATTFaces.load(folder: dir) } throws: { "\($0)".contains("s7/4.pgm") && "\($0)".contains("truncated image") }
    }
}
