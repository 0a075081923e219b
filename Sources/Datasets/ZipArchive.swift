/// Reads the members of a ZIP archive (stored or deflated), as the canonical dataset archives come.
public struct ZipArchive: Sendable {
    /// One member's path and bytes.
    public struct Member: Sendable {
        /// Path inside the archive.
        public let path: String
        /// Uncompressed bytes.
        public let bytes: [UInt8]
    }

    /// The file members (folders are left out), in central-directory order.
    public let members: [Member]

    /// Parses `bytes`; `file` names the archive in errors.
    public init(_ bytes: [UInt8], file: String) throws {
        func u16(_ o: Int) -> Int { Int(bytes[o]) | Int(bytes[o + 1]) << 8 }
        func u32(_ o: Int) -> Int { u16(o) | u16(o + 2) << 16 }
        func bad(_ reason: String) -> DatasetError { .malformed(file: file, reason: "not a valid ZIP archive: \(reason)") }

        guard bytes.count >= 22 else { throw bad("only \(bytes.count) bytes") }
        var eocd = -1
        var o = bytes.count - 22
        let lowest = max(0, bytes.count - 22 - 65_535)
        while o >= lowest {
            if bytes[o] == 0x50 && bytes[o + 1] == 0x4B && bytes[o + 2] == 0x05 && bytes[o + 3] == 0x06 {
                eocd = o
                break
            }
            o -= 1
        }
        guard eocd >= 0 else { throw bad("no end-of-central-directory record (truncated download?)") }
        let count = u16(eocd + 10)
        var p = u32(eocd + 16)
        var members: [Member] = []
        for _ in 0..<count {
            guard p + 46 <= bytes.count, u32(p) == 0x0201_4B50 else { throw bad("central directory entry out of place") }
            let method = u16(p + 10)
            let crc = UInt32(u32(p + 16))
            let compressed = u32(p + 20)
            let size = u32(p + 24)
            let nameLength = u16(p + 28)
            let extra = u16(p + 30)
            let comment = u16(p + 32)
            let local = u32(p + 42)
            guard p + 46 + nameLength <= bytes.count else { throw bad("entry name out of range") }
            let name = String(decoding: bytes[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self)
            p += 46 + nameLength + extra + comment
            if name.hasSuffix("/") { continue }
            guard !name.isEmpty else { throw bad("an entry has an empty name") }
            guard local + 30 <= bytes.count, u32(local) == 0x0403_4B50 else { throw bad("local header of \(name) missing") }
            let start = local + 30 + u16(local + 26) + u16(local + 28)
            guard start + compressed <= bytes.count else { throw bad("\(name) runs past the end (truncated download?)") }
            let raw = Array(bytes[start..<(start + compressed)])
            let data: [UInt8]
            switch method {
            case 0: data = raw
            case 8: data = try Inflate.decompress(raw, wrapper: .raw, limit: size, file: "\(file):\(name)")
            default: throw bad("\(name) uses compression method \(method); only stored and deflate are supported")
            }
            guard data.count == size else { throw bad("\(name) unpacks to \(data.count) bytes, expected \(size)") }
            guard Inflate.crc32(data) == crc else { throw bad("\(name) fails its CRC-32 check (corrupt download)") }
            members.append(Member(path: name, bytes: data))
        }
        self.members = members
    }
}
