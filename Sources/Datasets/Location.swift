import Foundation
import MLCore

extension Catalog {
    /// Shokri et al.'s Location data (Foursquare check-ins in Bangkok): 5,010 users, 446 binary features, 30 classes.
    public static let location = CatalogEntry(
        name: "location",
        checksums: .resource(file: "location.sha256", sha256: "ccc84b64ecf7e96998638811d064e5fd65a0493dbacb50102dab594fb12263fa"),
        sourceURL: "https://github.com/privacytrustlab/datasets (dataset_location.tgz, whose one member is `bangkok`)",
        archiveURL: nil,
        licence: "No licence file; derived from public Foursquare check-in data released for research. Research use only; "
            + "cite Shokri et al. 2017 and the Foursquare data source it cites.",
        citation: "R. Shokri, M. Stronati, C. Song, V. Shmatikov, Membership Inference Attacks Against Machine Learning Models, "
            + "IEEE S&P 2017.")
}

/// Loads the Location data: each line of `bangkok` is a quoted class "1".."30" and 446 features, each 0 or 1.
public enum Location {
    /// The file read from the dataset's folder.
    public static let fileName = "bangkok"
    /// Binary features per row.
    public static let featureCount = 446
    /// Classes (geosocial profile clusters).
    public static let classCount = 30

    /// Locates and verifies the file in the store, then parses it.
    public static func load(from store: DatasetStore) throws -> LabeledData {
        let dir = try store.locate(Catalog.location)
        let path = (dir as NSString).appendingPathComponent(fileName)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DatasetError.unreadable(file: path, reason: "missing or not readable")
        }
        return try parse([UInt8](data), file: path)
    }

    /// Parses the bytes of `bangkok`; errors name the file, the line and what was expected.
    public static func parse(_ bytes: [UInt8], file: String) throws -> LabeledData {
        var rows: [Float] = []
        var labels: [Int] = []
        var line = 0
        var i = 0
        func fail(_ reason: String) -> DatasetError { .malformed(file: file, reason: "line \(line): \(reason)") }
        while i < bytes.count {
            line += 1
            var end = i
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            var last = end
            if last > i && bytes[last - 1] == 0x0D { last -= 1 }
            defer { i = end + 1 }
            if last == i { continue }  // a blank line (the file ends with one)
            let fields = bytes[i..<last].split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
            guard fields.count == featureCount + 1 else {
                throw fail("\(fields.count) fields, expected \(featureCount + 1) (a quoted class and \(featureCount) binary features)")
            }
            var label = Array(fields[0])
            if label.count >= 2 && label.first == UInt8(ascii: "\"") && label.last == UInt8(ascii: "\"") {
                label = Array(label.dropFirst().dropLast())
            }
            guard let c = Int(String(decoding: label, as: UTF8.self)), (1...classCount).contains(c) else {
                throw fail("the class is '\(String(decoding: fields[0], as: UTF8.self))', expected \"1\" to \"\(classCount)\"")
            }
            labels.append(c - 1)
            for (k, field) in fields.dropFirst().enumerated() {
                guard field.count == 1, field.first == UInt8(ascii: "0") || field.first == UInt8(ascii: "1") else {
                    throw fail("feature \(k + 1) is '\(String(decoding: field, as: UTF8.self))', expected 0 or 1")
                }
                rows.append(field.first == UInt8(ascii: "1") ? 1 : 0)
            }
        }
        guard !labels.isEmpty else { throw DatasetError.malformed(file: file, reason: "the file holds no rows") }
        return LabeledData(
            name: "location", features: Matrix(rows: labels.count, cols: featureCount, data: rows), labels: labels, classCount: classCount)
    }
}
