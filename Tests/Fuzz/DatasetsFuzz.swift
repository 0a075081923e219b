// libFuzzer entry point for the parsers of MLCore and Datasets that read bytes from outside: PGM, the CSV
// reader, the IWPC loader, the ZIP reader with inflate, the checksum lists, .npy files, and the Location, UCI
// Adult and IDX (MNIST, gzip included) loaders. Built and run by
// Scripts/fuzz.sh, which compiles MLCore's and Datasets' sources into one module with this file, so the
// modules' imports are gone here. FUZZ_TARGET picks the parser. A rejected input must be a typed error;
// anything else (another error, a trap, a result that breaks the format's promises) is a crash.

import Foundation

/// The parser this process fuzzes.
let fuzzTarget = ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? ""

/// libFuzzer calls this with every input it tries; returning 0 means the input was handled.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    do {
        switch fuzzTarget {
        case "pgm":
            let image = try PGM.parse(bytes, file: "fuzz.pgm")
            guard image.values.count == image.width * image.height, image.values.allSatisfy({ $0 >= 0 && $0 <= 1 }) else {
                fatalError("PGM: \(image.width)x\(image.height) with \(image.values.count) values outside [0, 1]")
            }
        case "csv":
            let rows = try CSVReader.parse(String(decoding: bytes, as: UTF8.self), file: "fuzz.csv")
            guard rows.allSatisfy({ !$0.isEmpty }) else { fatalError("CSV: a row without fields") }
        case "iwpc":
            let cohort = try IWPCWarfarin.load(csv: String(decoding: bytes, as: UTF8.self), file: "fuzz.csv")
            guard cohort.patients.count <= cohort.rowsRead else { fatalError("IWPC: more patients than rows") }
            for p in cohort.patients {
                _ = IWPCDosing.covariates(p)
            }
        case "zip":
            let zip = try ZipArchive(bytes, file: "fuzz.zip")
            for m in zip.members where m.path.isEmpty { fatalError("ZIP: a member without a name") }
        case "checksums":
            _ = try ChecksumList.parse(String(decoding: bytes, as: UTF8.self), file: "fuzz.sha256")
        case "npy":
            let (values, shape) = try NPY.decode(bytes)
            guard values.count == shape.reduce(1, *) else { fatalError("NPY: \(values.count) values for shape \(shape)") }
        case "location":
            let data = try Location.parse(bytes, file: "bangkok")
            guard data.features.rows == data.count, data.labels.allSatisfy({ (0..<30).contains($0) }) else {
                fatalError("Location: bad rows")
            }
        case "adult":
            let records = try UCIAdult.parse(String(decoding: bytes, as: UTF8.self), file: "adult.data")
            let split = UCIAdult.encode(train: records, test: records)
            guard split.train.features.isFinite else { fatalError("Adult: a non-finite feature") }
        case "idx":
            let raw = bytes.first == 0x1F ? try IDX.gunzip(bytes, file: "fuzz.gz") : bytes
            let (dimensions, values) = try IDX.parse(raw, file: "fuzz.idx")
            guard values.count == dimensions.reduce(1, *) else { fatalError("IDX: \(values.count) values for \(dimensions)") }
        default:
            fatalError("FUZZ_TARGET must be one of pgm, csv, iwpc, zip, checksums, npy, location, adult, idx (got '\(fuzzTarget)')")
        }
    } catch is DatasetError {
    } catch is NPYError {
    } catch {
        fatalError("\(fuzzTarget): an untyped error escaped: \(type(of: error)): \(error)")
    }
    return 0
}
