import Datasets
import Foundation
import Testing

/// The SHA256SUMS-format checksum lists: hand-made lists, broken ones, and the lists the package ships.
struct ChecksumListTests {
    static let a = String(repeating: "a", count: 64)
    static let b = String(repeating: "0123456789abcdef", count: 4)

    @Test func parsesWhatSha256sumWrites() throws {
        let text = "\(Self.a)  README\n\(Self.b) *s1/1.pgm\r\n\n"
        let files = try ChecksumList.parse(text, file: "x.sha256")
        #expect(files == [CatalogFile(path: "README", sha256: Self.a), CatalogFile(path: "s1/1.pgm", sha256: Self.b)])
    }

    @Test func brokenListsNameTheLineAndTheFault() {
        let cases: [(String, String)] = [
            ("\(Self.a)  ok\nshort\n", "line 2: too short"),
            (String(repeating: "A", count: 64) + "  upper\n", "line 1: the digest is not 64 lower-case hex"),
            (String(repeating: "g", count: 64) + "  nothex\n", "line 1: the digest is not 64"),
            ("\(Self.a)\tfile\n", "line 1: no separator"),
            ("\(Self.a)  /etc/passwd\n", "leaves the dataset's folder"),
            ("\(Self.a)  a/../../b\n", "leaves the dataset's folder"),
            ("\(Self.a)  f\n\(Self.b)  f\n", "line 2: 'f' is listed twice"),
            ("\n\n", "the checksum list is empty"),
        ]
        for (text, expected) in cases {
            #expect(throws: DatasetError.self) { try ChecksumList.parse(text, file: "bad.sha256") }
            do {
                _ = try ChecksumList.parse(text, file: "bad.sha256")
            } catch {
                #expect("\(error)".contains("bad.sha256") && "\(error)".contains(expected), "\(error)")
            }
        }
    }

    @Test func theShippedListsMatchTheirPinnedDigests() throws {
        let faces = try Catalog.attFaces.files()
        #expect(faces.count == 401)
        #expect(faces.contains(CatalogFile(path: "s1/1.pgm", sha256: "0198d5a79bb658bd75a79448880d9cf47d76c558c1a927244c004d26fb1e0499")))
        #expect(try Catalog.iwpcWarfarin.files().map(\.path) == ["iwpc_data_7_3_09_revised.csv"])
    }

    @Test func aListWhoseDigestIsNotThePinnedOneIsRefused() {
        #expect { try ChecksumList.resource("att_faces.sha256", sha256: Self.a) } throws: { error in
            let m = "\(error)"
            return m.contains("att_faces.sha256") && m.contains("edited") && m.contains("Scripts/checksums.sh")
        }
        #expect { try ChecksumList.resource("no_such_list.sha256", sha256: Self.a) } throws: { "\($0)".contains("no_such_list") }
    }
}
