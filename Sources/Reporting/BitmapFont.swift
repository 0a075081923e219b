// A 5x8 bitmap font for plot labels, drawn for this project: printable ASCII (32-126), each glyph
// 8 rows of 5 bits (bit 4 = leftmost pixel); rows 0-6 stand on the baseline, row 7 holds descenders.

/// The glyphs of printable ASCII for drawing text into images.
enum BitmapFont {
    /// Glyph width in pixels (before scaling).
    static let width = 5
    /// Glyph height in pixels, descender row included.
    static let height = 8
    /// Horizontal advance per character, in pixels before scaling.
    static let advance = 6

    /// The 8 row masks of `ch`; '?' for characters outside printable ASCII.
    static func rows(_ ch: Character) -> [UInt8] {
        guard let a = ch.asciiValue, a >= 32, a < 127 else { return rows("?") }
        return glyphs[Int(a) - 32]
    }

    private static let glyphs: [[UInt8]] = hex.map { s in
        let u = Array(s.utf8)
        return (0..<8).map { i in UInt8(hexDigit(u[2 * i])) << 4 | UInt8(hexDigit(u[2 * i + 1])) }
    }

    private static func hexDigit(_ c: UInt8) -> Int {
        c >= 97 ? Int(c) - 87 : Int(c) - 48
    }

    private static let hex: [String] = [
        "0000000000000000", "0404040404000400", "0a0a000000000000", "0a0a1f0a1f0a0a00", "040f140e051e0400", "1819020408130300",
        "0c12140815120d00", "0404000000000000",  //  !"#$%&'
        "0204080808040200", "0804020202040800", "0004150e15040000", "0004041f04040000", "0000000000060408", "0000001f00000000",
        "00000000000c0c00", "0101020408101000",  // ()*+,-./
        "0e11131519110e00", "040c040404040e00", "0e11010204081f00", "1f02040201110e00", "02060a121f020200", "1f101e0101110e00",
        "0608101e11110e00", "1f01020408080800",  // 01234567
        "0e11110e11110e00", "0e11110f01020c00", "000c0c000c0c0000", "000c0c000c040800", "0204081008040200", "00001f001f000000",
        "0804020102040800", "0e11010204000400",  // 89:;<=>?
        "0e11171517100f00", "0e11111f11111100", "1e11111e11111e00", "0e11101010110e00", "1c12111111121c00", "1f10101e10101f00",
        "1f10101e10101000", "0e11101711110f00",  // @ABCDEFG
        "1111111f11111100", "0e04040404040e00", "0702020202120c00", "1112141814121100", "1010101010101f00", "111b151511111100",
        "1111191513111100", "0e11111111110e00",  // HIJKLMNO
        "1e11111e10101000", "0e11111115120d00", "1e11111e14121100", "0f10100e01011e00", "1f04040404040400", "1111111111110e00",
        "11111111110a0400", "1111111515150a00",  // PQRSTUVW
        "11110a040a111100", "11110a0404040400", "1f01020408101f00", "0e08080808080e00", "1010080402010100", "0e02020202020e00",
        "040a110000000000", "0000000000001f00",  // XYZ[\\]^_
        "0804000000000000", "00000e010f110f00", "1010161911111e00", "00000e1010110e00", "01010d1311110f00", "00000e111f100e00",
        "0609081c08080800", "00000f11110f010e",  // `abcdefg
        "1010161911111100", "04000c0404040e00", "020006020202120c", "1010121418141200", "0c04040404040e00", "00001a1515111100",
        "0000161911111100", "00000e1111110e00",  // hijklmno
        "00001e11111e1010", "00000f11110f0101", "0000161910101000", "00000f100e011e00", "08081c0808090600", "0000111111130d00",
        "00001111110a0400", "0000111115150a00",  // pqrstuvw
        "0000110a040a1100", "00001111110f010e", "00001f0204081f00", "0204040804040200", "0404040404040400", "0804040204040800",
        "0000081502000000",  // xyz{|}~
    ]
}
