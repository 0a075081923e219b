import Foundation
import MLCore
import Testing

@testable import Datasets

/// The Location, UCI Adult and MNIST (IDX) parsers on hand-made files and broken ones.
struct LocationParserTests {
    static func line(_ label: String, ones: Set<Int> = [0, 5, 445]) -> String {
        ([label] + (0..<446).map { ones.contains($0) ? "1" : "0" }).joined(separator: ",")
    }

    @Test func parsesQuotedClassesAndBinaryFeatures() throws {
        let text = [Self.line("\"1\""), Self.line("\"30\"", ones: [2]), ""].joined(separator: "\n")
        let data = try Location.parse(Array(text.utf8), file: "bangkok")
        #expect(data.count == 2 && data.features.cols == 446 && data.classCount == 30)
        #expect(data.labels == [0, 29])
        #expect(data.features[0, 0] == 1 && data.features[0, 5] == 1 && data.features[0, 445] == 1 && data.features[0, 1] == 0)
        #expect(data.features.row(1).reduce(0, +) == 1)
    }

    @Test(arguments: [
        ("\"1\",0,1\n", "line 1: 3 fields, expected 447"),
        (line("\"31\""), "line 1: the class is '\"31\"', expected \"1\" to \"30\""),
        (line("\"x\""), "the class is '\"x\"'"),
        (line("\"1\"").replacingOccurrences(of: ",1,", with: ",2,"), "feature"),
        ("", "the file holds no rows"),
        (line("\"1\"") + "\n" + line("\"2\"").dropLast(2), "line 2: 446 fields"),
    ])
    func brokenFilesNameTheLineAndWhatWasExpected(_ text: String, _ expected: String) {
        #expect { try Location.parse(Array(text.utf8), file: "bangkok") } throws: { error in
            "\(error)".contains("bangkok") && "\(error)".contains(expected)
        }
    }
}

struct AdultParserTests {
    static let row =
        "39, State-gov, 77516, Bachelors, 13, Never-married, Adm-clerical, Not-in-family, White, Male, 2174, 0, 40, United-States, <=50K"
    static let rich =
        "50, Self-emp-not-inc, 83311, Masters, 14, Married-civ-spouse, Exec-managerial, Husband, White, Male, 0, 0, 60, ?, >50K"

    @Test func encodesOneHotStandardisesOnTrainingAndHandlesTheTestFile() throws {
        let train = try UCIAdult.parse([Self.row, Self.rich, ""].joined(separator: "\n"), file: "adult.data")
        let test = try UCIAdult.parse(
            ["|1x3 Cross validator", Self.rich.replacingOccurrences(of: ">50K", with: ">50K.")].joined(separator: "\n"), file: "adult.test")
        let split = UCIAdult.encode(train: train, test: test)
        #expect(split.train.features.cols == UCIAdult.featureCount && UCIAdult.featureCount == 105)
        #expect(split.train.labels == [0, 1] && split.test.labels == [1])
        #expect(split.missing.train == 1 && split.missing.test == 1)
        let names = UCIAdult.featureNames
        let age = try #require(names.firstIndex(of: "age"))
        // Two training ages, 39 and 50: standardised to -1 and +1 (population standard deviation 5.5).
        #expect(abs(split.train.features[0, age] + 1) < 1e-6 && abs(split.train.features[1, age] - 1) < 1e-6)
        #expect(abs(split.test.features[0, age] - 1) < 1e-6)  // the test file uses the training statistics
        let masters = try #require(names.firstIndex(of: "education=Masters"))
        #expect(split.train.features[1, masters] == 1 && split.train.features[0, masters] == 0)
        // "?" leaves its whole group at zero.
        let countries = names.indices.filter { names[$0].hasPrefix("native-country=") }
        #expect(countries.allSatisfy { split.train.features[1, $0] == 0 } && countries.contains { split.train.features[0, $0] == 1 })
    }

    @Test(arguments: [
        (row.replacingOccurrences(of: "State-gov", with: "Space-agency"), "workclass is 'Space-agency', an unknown category"),
        (row.replacingOccurrences(of: ", 40, United-States", with: ", forty, United-States"), "hours-per-week is 'forty'"),
        (row.replacingOccurrences(of: "<=50K", with: "rich"), "the income is 'rich'"),
        (row + ", extra", "16 fields, expected 15"),
        ("\n\n", "the file holds no records"),
    ])
    func brokenRowsNameTheFileLineAndColumn(_ text: String, _ expected: String) {
        #expect { try UCIAdult.parse(text, file: "adult.data") } throws: { "\($0)".contains("adult.data") && "\($0)".contains(expected) }
    }
}

struct IDXParserTests {
    /// An unsigned-byte IDX file with these dimensions and values.
    static func idx(_ dims: [Int], _ values: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0, 0, 8, UInt8(dims.count)]
        for d in dims { out += [UInt8(d >> 24), UInt8((d >> 16) & 255), UInt8((d >> 8) & 255), UInt8(d & 255)] }
        return out + values
    }

    @Test func parsesImagesAndLabelsThatAgree() throws {
        let pixels = (0..<(2 * 28 * 28)).map { UInt8($0 % 256) }
        let data = try MNIST.parse(
            images: Self.idx([2, 28, 28], pixels), imagesFile: "img", labels: Self.idx([2], [7, 0]), labelsFile: "lab")
        #expect(data.count == 2 && data.features.cols == 784 && data.labels == [7, 0] && data.imageSize?.width == 28)
        #expect(data.features[0, 255] == 1 && data.features[0, 0] == 0)
    }

    @Test func brokenFilesSayWhichCheckFailed() {
        let good = Self.idx([2, 2], [1, 2, 3, 4])
        let cases: [([UInt8], String)] = [
            ([0, 0, 8], "only 3 bytes"),
            ([1, 0, 8, 1, 0, 0, 0, 1, 9], "magic number starts with 1"),
            ([0, 0, 0x0D, 1, 0, 0, 0, 1, 9], "type byte is 13"),
            ([0, 0, 8, 9], "9 dimensions"),
            ([0, 0, 8, 2, 0, 0], "header ends early"),
            (Array(good.dropLast()), "3 bytes of data, the dimensions [2, 2] need 4"),
            (good + [0], "1 bytes after the 4"),
            (Self.idx([0, 2], []), "dimension 1 is 0"),
        ]
        for (bytes, expected) in cases {
            #expect { try IDX.parse(bytes, file: "t.idx") } throws: { "\($0)".contains("t.idx") && "\($0)".contains(expected) }
        }
        #expect { try IDX.gunzip([0x1F, 0x8C] + [UInt8](repeating: 0, count: 20), file: "x.gz") } throws: {
            "\($0)".contains("not a gzip file")
        }
        let images = Self.idx([2, 28, 28], [UInt8](repeating: 0, count: 2 * 784))
        #expect { try MNIST.parse(images: images, imagesFile: "img", labels: Self.idx([3], [1, 2, 3]), labelsFile: "lab") } throws: {
            "\($0)".contains("3 labels for the 2 images")
        }
        #expect { try MNIST.parse(images: images, imagesFile: "img", labels: Self.idx([2], [1, 12]), labelsFile: "lab") } throws: {
            "\($0)".contains("label 1 is 12")
        }
        #expect {
            try MNIST.parse(images: Self.idx([2, 2], [1, 2, 3, 4]), imagesFile: "img", labels: Self.idx([2], [1, 2]), labelsFile: "lab")
        } throws: {
            "\($0)".contains("expected images of 28x28")
        }
    }
}

/// The real files, through the shared mirror, with the counts their PROVENANCE.md documents.
@Suite(.serialized) struct RealMembershipDataTests {
    static var mirror: String? {
        let env = ProcessInfo.processInfo.environment["INVERSIONLAB_DATA"] ?? ""
        let sibling = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/datasets").path
        if !env.isEmpty { return env }
        return FileManager.default.fileExists(atPath: sibling + "/location") ? sibling : nil
    }

    @Test(.enabled(if: mirror != nil, "needs the shared dataset mirror"))
    func theRealFilesHaveTheDocumentedCounts() throws {
        let store = DatasetStore(override: Self.mirror, allowDownload: false, environment: [:])
        let location = try Location.load(from: store)
        #expect(location.count == 5010 && Set(location.labels).count == 30 && location.features.data.reduce(0, +) == 269_047)
        let adult = try UCIAdult.load(from: store)
        #expect(adult.train.count == 32_561 && adult.test.count == 16_281)
        #expect(adult.train.labels.reduce(0, +) == 7841 && adult.test.labels.reduce(0, +) == 3846)
        #expect(adult.missing.train == 2399 && adult.missing.test == 1221)
        let mnist = try MNIST.load(from: store)
        #expect(mnist.count == 70_000 && mnist.labels.prefix(60_000).filter { $0 == 1 }.count == 6742)
    }
}
