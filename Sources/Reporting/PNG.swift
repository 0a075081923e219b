import CPNG
import Foundation

/// A PNG file could not be written or read; the message names the file.
public struct PNGError: Error, CustomStringConvertible, Sendable {
    /// What went wrong and where.
    public let description: String
}

/// PNG encoding and decoding through libpng's simplified `png_image` API (no longjmp).
public enum PNG {
    /// Encodes `image` as PNG bytes.
    public static func encode(_ image: Image8) throws -> [UInt8] {
        var png = makeHeader(image)
        var size: Int = 0
        let ok = image.pixels.withUnsafeBufferPointer { px in
            png_image_write_to_memory(&png, nil, &size, 0, px.baseAddress, 0, nil)
        }
        guard ok != 0 else { throw PNGError(description: "PNG encoding failed: \(message(&png))") }
        var out = [UInt8](repeating: 0, count: size)
        let ok2 = image.pixels.withUnsafeBufferPointer { px in
            out.withUnsafeMutableBufferPointer { o in
                png_image_write_to_memory(&png, o.baseAddress, &size, 0, px.baseAddress, 0, nil)
            }
        }
        guard ok2 != 0 else { throw PNGError(description: "PNG encoding failed: \(message(&png))") }
        return Array(out.prefix(size))
    }

    /// Decodes PNG bytes to an 8-bit grey or RGB image (colour types are converted as asked).
    public static func decode(_ bytes: [UInt8], channels: Int = 1, source: String = "PNG data") throws -> Image8 {
        var png = png_image()
        png.version = UInt32(PNG_IMAGE_VERSION)
        let begun = bytes.withUnsafeBufferPointer { b in
            png_image_begin_read_from_memory(&png, b.baseAddress, b.count)
        }
        guard begun != 0 else {
            let m = message(&png)
            png_image_free(&png)
            throw PNGError(description: "\(source) is not a readable PNG: \(m)")
        }
        png.format = channels == 3 ? UInt32(PNG_FORMAT_RGB) : UInt32(PNG_FORMAT_GRAY)
        let width = Int(png.width)
        let height = Int(png.height)
        // A header may claim any size up to libpng's limits; refuse what no figure or face here comes near.
        guard width * height <= 1 << 26 else {
            png_image_free(&png)
            throw PNGError(description: "\(source) claims \(width)x\(height) pixels, implausibly large for an image read here")
        }
        var pixels = [UInt8](repeating: 0, count: width * height * channels)
        let done = bytes.withUnsafeBufferPointer { _ in
            pixels.withUnsafeMutableBufferPointer { p in
                png_image_finish_read(&png, nil, p.baseAddress, 0, nil)
            }
        }
        guard done != 0 else {
            let m = message(&png)
            png_image_free(&png)
            throw PNGError(description: "\(source) is a damaged PNG: \(m)")
        }
        return Image8(width: width, height: height, channels: channels, pixels: pixels)
    }

    /// Reads a PNG file.
    public static func read(_ path: String, channels: Int = 1) throws -> Image8 {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PNGError(description: "cannot read \(path): no such file or not readable")
        }
        return try decode([UInt8](data), channels: channels, source: path)
    }

    private static func makeHeader(_ image: Image8) -> png_image {
        var png = png_image()
        png.version = UInt32(PNG_IMAGE_VERSION)
        png.width = UInt32(image.width)
        png.height = UInt32(image.height)
        png.format = image.channels == 3 ? UInt32(PNG_FORMAT_RGB) : UInt32(PNG_FORMAT_GRAY)
        return png
    }

    private static func message(_ png: inout png_image) -> String {
        withUnsafeBytes(of: &png.message) { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            let end = bytes.firstIndex(of: 0) ?? bytes.count
            return String(decoding: bytes[0..<end], as: UTF8.self)
        }
    }
}
