/// A decoded PGM image: values scaled to [0, 1] by the file's maxval.
public struct PGMImage: Sendable, Equatable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// The file's maximum grey value.
    public let maxval: Int
    /// Row-major grey values in [0, 1].
    public let values: [Float]
}

/// Netpbm grey maps: binary (P5) and plain (P2), validated strictly.
public enum PGM {
    /// Parses PGM bytes; `file` names the source in errors.
    public static func parse(_ bytes: [UInt8], file: String) throws -> PGMImage {
        var pos = 0
        func fail(_ reason: String) -> DatasetError { .malformed(file: file, reason: reason) }
        func skipSpaceAndComments() {
            while pos < bytes.count {
                if bytes[pos] == UInt8(ascii: "#") {
                    while pos < bytes.count && bytes[pos] != 0x0A && bytes[pos] != 0x0D { pos += 1 }
                } else if isSpace(bytes[pos]) {
                    pos += 1
                } else {
                    return
                }
            }
        }
        func readInt(_ what: String) throws -> Int {
            skipSpaceAndComments()
            let start = pos
            while pos < bytes.count, bytes[pos] >= 0x30, bytes[pos] <= 0x39 { pos += 1 }
            guard pos > start, pos - start <= 9 else {
                throw fail(pos >= bytes.count ? "header ends before the \(what) (truncated file)" : "the \(what) is not a number")
            }
            return Int(String(decoding: bytes[start..<pos], as: UTF8.self)) ?? 0
        }

        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "P"), bytes[1] == UInt8(ascii: "5") || bytes[1] == UInt8(ascii: "2") else {
            throw fail("not a PGM file (magic number P5 or P2 expected)")
        }
        let binary = bytes[1] == UInt8(ascii: "5")
        pos = 2
        guard pos < bytes.count, isSpace(bytes[pos]) || bytes[pos] == UInt8(ascii: "#") else {
            throw fail("no white space after the magic number")
        }
        let width = try readInt("width")
        let height = try readInt("height")
        let maxval = try readInt("maxval")
        guard width > 0, height > 0 else { throw fail("width and height must be positive (got \(width)x\(height))") }
        guard maxval >= 1, maxval <= 65_535 else { throw fail("maxval must be 1 to 65535 (got \(maxval))") }
        let count = width * height
        guard count <= 1 << 26 else { throw fail("image of \(width)x\(height) is implausibly large") }
        var values = [Float](repeating: 0, count: count)
        let scale = 1 / Float(maxval)
        if binary {
            guard pos < bytes.count, isSpace(bytes[pos]) else { throw fail("header ends before the pixel data (truncated file)") }
            pos += 1
            let bytesPerSample = maxval < 256 ? 1 : 2
            let expected = count * bytesPerSample
            let available = bytes.count - pos
            guard available >= expected else {
                throw fail("truncated image: \(available) bytes of pixel data, \(width)x\(height) needs \(expected)")
            }
            guard available == expected else {
                throw fail("\(available - expected) unexpected bytes after the \(width)x\(height) pixel data")
            }
            for i in 0..<count {
                let v = bytesPerSample == 1 ? Int(bytes[pos + i]) : Int(bytes[pos + 2 * i]) << 8 | Int(bytes[pos + 2 * i + 1])
                guard v <= maxval else { throw fail("pixel \(i) is \(v), above maxval \(maxval)") }
                values[i] = Float(v) * scale
            }
        } else {
            for i in 0..<count {
                skipSpaceAndComments()
                guard pos < bytes.count else { throw fail("truncated image: \(i) of \(count) pixel values present") }
                let v = try readInt("value of pixel \(i)")
                guard v <= maxval else { throw fail("pixel \(i) is \(v), above maxval \(maxval)") }
                values[i] = Float(v) * scale
            }
            skipSpaceAndComments()
            guard pos == bytes.count else { throw fail("unexpected data after the \(count) pixel values") }
        }
        return PGMImage(width: width, height: height, maxval: maxval, values: values)
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0B || b == 0x0C }
}
