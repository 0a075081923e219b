import CZlib

/// zlib decompression of raw DEFLATE (ZIP members) and gzip streams.
enum Inflate {
    /// The container around the DEFLATE data.
    enum Wrapper {
        /// No header (ZIP members).
        case raw
        /// A gzip header and trailer.
        case gzip

        var windowBits: Int32 { self == .raw ? -MAX_WBITS : 16 + MAX_WBITS }
    }

    /// Decompresses `input`, refusing to produce more than `limit` bytes (a ZIP member's declared size, or a
    /// generous bound for gzip: a corrupt or hostile stream must not fill the memory); `file` names the source in errors.
    static func decompress(_ input: [UInt8], wrapper: Wrapper, limit: Int, file: String) throws -> [UInt8] {
        var stream = z_stream()
        let initStatus = inflateInit2_(&stream, wrapper.windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard initStatus == Z_OK else { throw DatasetError.malformed(file: file, reason: "zlib could not start (status \(initStatus))") }
        defer { inflateEnd(&stream) }
        var output = [UInt8]()
        output.reserveCapacity(min(max(limit, 1024), 1 << 24))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var status: Int32 = Z_OK
        try input.withUnsafeBufferPointer { inBuf in
            stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress)
            stream.avail_in = uInt(inBuf.count)
            repeat {
                status = chunk.withUnsafeMutableBufferPointer { out -> Int32 in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                guard status == Z_OK || status == Z_STREAM_END else {
                    throw DatasetError.malformed(file: file, reason: "compressed data is corrupt (zlib status \(status))")
                }
                let produced = chunk.count - Int(stream.avail_out)
                guard output.count + produced <= limit else {
                    throw DatasetError.malformed(file: file, reason: "the compressed data unpacks to more than the \(limit) bytes expected")
                }
                output.append(contentsOf: chunk[0..<produced])
                if status == Z_OK && stream.avail_in == 0 && stream.avail_out != 0 {
                    throw DatasetError.malformed(file: file, reason: "compressed data ends early (truncated file)")
                }
            } while status != Z_STREAM_END
        }
        return output
    }

    /// The CRC-32 of `bytes` (as ZIP and gzip record it).
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { b in
            UInt32(CZlib.crc32(0, b.baseAddress, uInt(b.count)))
        }
    }
}
