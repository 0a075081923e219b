import Foundation
import MLCore

extension Catalog {
    /// MNIST handwritten digits: 60,000 training and 10,000 test images, 28x28 grey, in the four gzipped IDX files.
    public static let mnist = CatalogEntry(
        name: "mnist",
        checksums: .resource(file: "mnist.sha256", sha256: "c5ed4940c5a8ed29ca32e444dd72ad928faa66d28bd2bc6ee49a30deaa226faa"),
        sourceURL: "http://yann.lecun.com/exdb/mnist/",
        archiveURL: nil,
        licence: "Made available by Y. LeCun, C. Cortes and C. J. C. Burges for research; cite them.",
        citation: "Y. LeCun, C. Cortes, C. J. C. Burges, The MNIST database of handwritten digits.")
}

/// Loads MNIST from its gzipped IDX files: magic numbers, dimensions and counts are checked, pixels scaled to [0, 1].
public enum MNIST {
    /// Image side in pixels.
    public static let side = 28

    /// The 60,000 training images followed by the 10,000 test images.
    public static func load(from store: DatasetStore) throws -> LabeledData {
        let dir = try store.locate(Catalog.mnist)
        func read(_ name: String) throws -> (bytes: [UInt8], path: String) {
            let path = (dir as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw DatasetError.unreadable(file: path, reason: "missing or not readable")
            }
            return (try IDX.gunzip([UInt8](data), file: path), path)
        }
        var parts: [LabeledData] = []
        for prefix in ["train", "t10k"] {
            let images = try read("\(prefix)-images-idx3-ubyte.gz")
            let labels = try read("\(prefix)-labels-idx1-ubyte.gz")
            parts.append(try parse(images: images.bytes, imagesFile: images.path, labels: labels.bytes, labelsFile: labels.path))
        }
        return parts[0].appending(parts[1])
    }

    /// Images and labels from decompressed IDX bytes; the two files must agree on the count.
    public static func parse(images: [UInt8], imagesFile: String, labels: [UInt8], labelsFile: String) throws -> LabeledData {
        let pictures = try IDX.parse(images, file: imagesFile)
        let classes = try IDX.parse(labels, file: labelsFile)
        guard pictures.dimensions.count == 3, pictures.dimensions[1] == side, pictures.dimensions[2] == side else {
            throw DatasetError.malformed(
                file: imagesFile, reason: "holds \(pictures.dimensions) values, expected images of \(side)x\(side) (3 dimensions)")
        }
        guard classes.dimensions.count == 1 else {
            throw DatasetError.malformed(file: labelsFile, reason: "has \(classes.dimensions.count) dimensions, expected 1 (labels)")
        }
        guard classes.dimensions[0] == pictures.dimensions[0] else {
            throw DatasetError.malformed(
                file: labelsFile, reason: "holds \(classes.dimensions[0]) labels for the \(pictures.dimensions[0]) images of \(imagesFile)")
        }
        if let bad = classes.values.firstIndex(where: { $0 > 9 }) {
            throw DatasetError.malformed(file: labelsFile, reason: "label \(bad) is \(classes.values[bad]), expected a digit 0 to 9")
        }
        let features = Matrix(rows: pictures.dimensions[0], cols: side * side, data: pictures.values.map { Float($0) / 255 })
        return LabeledData(name: "mnist", features: features, labels: classes.values.map(Int.init), classCount: 10, imageSize: (side, side))
    }
}

/// The IDX format of the MNIST files: two zero bytes, a type byte (0x08 = unsigned bytes), a dimension count,
/// the dimensions as big-endian 32-bit integers, then the values.
public enum IDX {
    /// Parses unsigned-byte IDX data; errors say which check failed.
    public static func parse(_ bytes: [UInt8], file: String) throws -> (dimensions: [Int], values: [UInt8]) {
        func fail(_ reason: String) -> DatasetError { .malformed(file: file, reason: "not a valid IDX file: \(reason)") }
        guard bytes.count >= 4 else { throw fail("only \(bytes.count) bytes (truncated file)") }
        guard bytes[0] == 0, bytes[1] == 0 else {
            throw fail("the magic number starts with \(bytes[0]), \(bytes[1]), expected 0, 0 (is the file still gzipped?)")
        }
        guard bytes[2] == 0x08 else { throw fail("the type byte is \(bytes[2]), expected 8 (unsigned bytes)") }
        let count = Int(bytes[3])
        guard (1...4).contains(count) else { throw fail("\(count) dimensions, expected 1 to 4") }
        guard bytes.count >= 4 + 4 * count else { throw fail("the header ends early (truncated file)") }
        var dimensions: [Int] = []
        var total = 1
        for d in 0..<count {
            let o = 4 + 4 * d
            let n = Int(bytes[o]) << 24 | Int(bytes[o + 1]) << 16 | Int(bytes[o + 2]) << 8 | Int(bytes[o + 3])
            guard n > 0 else { throw fail("dimension \(d + 1) is 0") }
            dimensions.append(n)
            total = total.multipliedReportingOverflow(by: n).overflow ? Int.max : total * n
        }
        let start = 4 + 4 * count
        guard bytes.count - start == total else {
            throw fail(
                bytes.count - start < total
                    ? "\(bytes.count - start) bytes of data, the dimensions \(dimensions) need \(total) (truncated file)"
                    : "\(bytes.count - start - total) bytes after the \(total) the dimensions \(dimensions) describe")
        }
        return (dimensions, Array(bytes[start...]))
    }

    /// Decompresses a gzip file (the MNIST files are at most 47 MB unpacked; more than 256 MB is refused).
    public static func gunzip(_ bytes: [UInt8], file: String) throws -> [UInt8] {
        guard bytes.count >= 18, bytes[0] == 0x1F, bytes[1] == 0x8B else {
            throw DatasetError.malformed(file: file, reason: "not a gzip file (the magic bytes 1f 8b are missing)")
        }
        return try Inflate.decompress(bytes, wrapper: .gzip, limit: 1 << 28, file: file)
    }
}
