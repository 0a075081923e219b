/// A hash of a text that is the same in every run and on every machine (64-bit FNV-1a of its UTF-8 bytes), for
/// deriving a random stream from a name; Swift's `Hasher` is seeded anew in every process.
public enum StableHash {
    /// The FNV-1a hash of `text`'s UTF-8 bytes.
    public static func of(_ text: String) -> UInt64 {
        text.utf8.reduce(0xcbf2_9ce4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }
}
