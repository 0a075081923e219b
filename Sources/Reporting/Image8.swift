import MLCore

/// An 8-bit image with one (grey) or three (RGB) channels, rows top to bottom.
public struct Image8: Equatable, Sendable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// 1 for grey, 3 for RGB.
    public let channels: Int
    /// Interleaved pixels, `height * width * channels` bytes.
    public var pixels: [UInt8]

    /// An image over existing pixels.
    public init(width: Int, height: Int, channels: Int = 1, pixels: [UInt8]) {
        precondition(channels == 1 || channels == 3, "channels must be 1 or 3")
        precondition(pixels.count == width * height * channels, "pixel count does not match the size")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// A uniform image.
    public init(width: Int, height: Int, channels: Int = 1, fill: UInt8 = 0) {
        self.init(
            width: width, height: height, channels: channels,
            pixels: [UInt8](repeating: fill, count: width * height * channels))
    }

    /// A grey image from values in [0, 1] (clamped), as stored: no stretching.
    public static func gray(_ values: [Float], width: Int, height: Int) -> Image8 {
        precondition(values.count == width * height)
        return Image8(width: width, height: height, pixels: values.map { quantize($0) })
    }

    /// A grey image whose darkest value maps to 0 and brightest to 255 (a constant image is mid-grey).
    public static func contrastStretched(_ values: [Float], width: Int, height: Int) -> Image8 {
        precondition(values.count == width * height)
        guard let lo = values.min(), let hi = values.max(), hi > lo else {
            return Image8(width: width, height: height, fill: 128)
        }
        let scale = 1 / (hi - lo)
        return Image8(width: width, height: height, pixels: values.map { quantize(($0 - lo) * scale) })
    }

    private static func quantize(_ v: Float) -> UInt8 {
        guard v.isFinite else { return 0 }
        return UInt8(max(0, min(255, (v * 255).rounded())))
    }

    /// Copies `tile` into this image with its top-left corner at (x, y); grey tiles fill all channels.
    public mutating func paste(_ tile: Image8, x: Int, y: Int) {
        for r in 0..<tile.height where y + r < height {
            for c in 0..<tile.width where x + c < width {
                for ch in 0..<channels {
                    let src =
                        tile.channels == 1
                        ? tile.pixels[r * tile.width + c]
                        : tile.pixels[(r * tile.width + c) * 3 + min(ch, 2)]
                    pixels[((y + r) * width + x + c) * channels + ch] = src
                }
            }
        }
    }
}

extension Image8 {
    /// The image `k` times larger in each direction (each pixel a k x k block), for small images in figures.
    public func scaled(by k: Int) -> Image8 {
        guard k > 1 else { return self }
        var out = Image8(width: width * k, height: height * k, channels: channels)
        for y in 0..<(height * k) {
            for x in 0..<(width * k) {
                for ch in 0..<channels {
                    out.pixels[(y * width * k + x) * channels + ch] = pixels[((y / k) * width + x / k) * channels + ch]
                }
            }
        }
        return out
    }
}

/// Lays equally sized tiles out in a grid with a margin, for figures.
public enum ImageGrid {
    /// A grid of `columns` tiles per row; every tile must have the size of the first.
    public static func make(_ tiles: [Image8], columns: Int, margin: Int = 2, background: UInt8 = 255) -> Image8 {
        guard let first = tiles.first else { return Image8(width: 1, height: 1, fill: background) }
        let rows = (tiles.count + columns - 1) / columns
        let width = columns * first.width + (columns + 1) * margin
        let height = rows * first.height + (rows + 1) * margin
        var grid = Image8(width: width, height: height, channels: first.channels, fill: background)
        for (i, tile) in tiles.enumerated() {
            let r = i / columns
            let c = i % columns
            grid.paste(tile, x: margin + c * (first.width + margin), y: margin + r * (first.height + margin))
        }
        return grid
    }
}
