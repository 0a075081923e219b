import Foundation

/// A `.npy` file could not be decoded; the message says what is wrong.
public struct NPYError: Error, CustomStringConvertible, Sendable {
    /// What is wrong with the bytes.
    public let description: String
}

/// NumPy's `.npy` format (version 1.0, little-endian float32, C order) for 1-d and 2-d tensors,
/// so `numpy.load` reads our weights and reconstructions.
public enum NPY {
    /// Encodes a matrix with shape (rows, cols).
    public static func encode(_ m: Matrix) -> [UInt8] {
        encode(m.data, shape: [m.rows, m.cols])
    }

    /// Encodes float32 values with the given shape (its product must equal the count).
    public static func encode(_ values: [Float], shape: [Int]) -> [UInt8] {
        precondition(shape.reduce(1, *) == values.count, "NPY shape does not match the value count")
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shapeText), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var out: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        let len = UInt16(header.utf8.count)
        out += [UInt8(len & 0xFF), UInt8(len >> 8)]
        out += Array(header.utf8)
        out.reserveCapacity(out.count + values.count * 4)
        for v in values {
            let b = v.bitPattern.littleEndian
            out += [UInt8(b & 0xFF), UInt8((b >> 8) & 0xFF), UInt8((b >> 16) & 0xFF), UInt8(b >> 24)]
        }
        return out
    }

    /// Decodes a little-endian float32 `.npy` (versions 1.0 to 3.0) into values and shape.
    public static func decode(_ bytes: [UInt8]) throws -> (values: [Float], shape: [Int]) {
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8) else {
            throw NPYError(description: "not a .npy file (the magic string \\x93NUMPY is missing)")
        }
        let major = bytes[6]
        let headerLength: Int
        let headerStart: Int
        if major == 1 {
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        } else if major == 2 || major == 3, bytes.count >= 12 {
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        } else {
            throw NPYError(description: "unsupported .npy version \(major)")
        }
        guard bytes.count >= headerStart + headerLength else {
            throw NPYError(description: "truncated .npy header")
        }
        let header = String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)
        guard header.contains("'descr': '<f4'") else {
            throw NPYError(description: "only little-endian float32 ('<f4') .npy files are supported; header: \(header)")
        }
        guard header.contains("'fortran_order': False") else {
            throw NPYError(description: "Fortran-ordered .npy files are not supported")
        }
        guard let open = header.range(of: "'shape': ("), let close = header[open.upperBound...].firstIndex(of: ")") else {
            throw NPYError(description: "the .npy header has no shape")
        }
        let dims = header[open.upperBound..<close].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        var shape: [Int] = []
        for d in dims {
            guard let v = Int(d), v >= 0 else { throw NPYError(description: "bad dimension '\(d)' in .npy shape") }
            shape.append(v)
        }
        var count = 1
        for d in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow, product <= bytes.count else {
                throw NPYError(description: "the .npy shape \(shape) asks for more values than the file holds (\(bytes.count) bytes)")
            }
            count = product
        }
        let dataStart = headerStart + headerLength
        guard bytes.count - dataStart == count * 4 else {
            throw NPYError(description: "the .npy data holds \(bytes.count - dataStart) bytes; shape \(shape) needs \(count * 4)")
        }
        var values = [Float](repeating: 0, count: count)
        for i in 0..<count {
            let o = dataStart + i * 4
            let b = UInt32(bytes[o]) | UInt32(bytes[o + 1]) << 8 | UInt32(bytes[o + 2]) << 16 | UInt32(bytes[o + 3]) << 24
            values[i] = Float(bitPattern: b)
        }
        return (values, shape)
    }
}
