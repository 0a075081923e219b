// libFuzzer entry point for the parsers of MLCore and Datasets that read bytes from outside: PGM, the CSV
// reader, the IWPC loader, the ZIP reader with inflate, the checksum lists and .npy files. Built and run by
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
        default:
            fatalError("FUZZ_TARGET must be one of pgm, csv, iwpc, zip, checksums, npy (got '\(fuzzTarget)')")
        }
    } catch is DatasetError {
    } catch is NPYError {
    } catch {
        fatalError("\(fuzzTarget): an untyped error escaped: \(type(of: error)): \(error)")
    }
    return 0
}
