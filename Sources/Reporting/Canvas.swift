/// An RGB colour.
public struct Color: Sendable, Equatable {
    /// Red, green, blue, 0-255.
    public let r: UInt8, g: UInt8, b: UInt8

    /// A colour from its components.
    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
        self.r = r
        self.g = g
        self.b = b
    }

    /// Black.
    public static let black = Color(0, 0, 0)
    /// White.
    public static let white = Color(255, 255, 255)
    /// Mid grey, for references and baselines.
    public static let gray = Color(110, 110, 110)
    /// Light grey, for grid lines.
    public static let lightGray = Color(225, 225, 225)
    /// Okabe-Ito colours, distinguishable with colour-vision deficiencies; series take them in order.
    public static let palette = [
        Color(0, 114, 178), Color(213, 94, 0), Color(0, 158, 115), Color(204, 121, 167),
        Color(230, 159, 0), Color(86, 180, 233), Color(0, 0, 0),
    ]
}

/// Where a text's anchor point sits.
enum TextAnchor {
    case left, center, right
}

/// An RGB image with the drawing operations plots need (clipped to the image).
struct Canvas {
    private(set) var image: Image8

    init(width: Int, height: Int, background: Color = .white) {
        image = Image8(width: width, height: height, channels: 3, fill: 0)
        fill(x: 0, y: 0, width: width, height: height, background)
    }

    mutating func set(_ x: Int, _ y: Int, _ c: Color) {
        guard x >= 0, y >= 0, x < image.width, y < image.height else { return }
        let i = (y * image.width + x) * 3
        image.pixels[i] = c.r
        image.pixels[i + 1] = c.g
        image.pixels[i + 2] = c.b
    }

    mutating func fill(x: Int, y: Int, width: Int, height: Int, _ c: Color) {
        for yy in y..<(y + max(height, 0)) {
            for xx in x..<(x + max(width, 0)) { set(xx, yy, c) }
        }
    }

    /// A straight line `width` pixels thick; `dash` > 0 draws `dash` pixels on, `dash` off.
    mutating func line(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, _ c: Color, width: Int = 1, dash: Int = 0) {
        let steps = max(Int(max(abs(x1 - x0), abs(y1 - y0)).rounded(.up)), 1)
        let half = (width - 1) / 2
        for s in 0...steps {
            if dash > 0 && (s / dash) % 2 == 1 { continue }
            let t = Double(s) / Double(steps)
            let x = Int((x0 + (x1 - x0) * t).rounded())
            let y = Int((y0 + (y1 - y0) * t).rounded())
            fill(x: x - half, y: y - half, width: width, height: width, c)
        }
    }

    /// The outline of the rectangle with corners (x0, y0) and (x1, y1).
    mutating func rectangle(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, _ c: Color) {
        line(Double(x0), Double(y0), Double(x1), Double(y0), c)
        line(Double(x0), Double(y1), Double(x1), Double(y1), c)
        line(Double(x0), Double(y0), Double(x0), Double(y1), c)
        line(Double(x1), Double(y0), Double(x1), Double(y1), c)
    }

    /// A filled disc of radius `r` around (x, y).
    mutating func disc(_ x: Double, _ y: Double, radius r: Int, _ c: Color) {
        let cx = Int(x.rounded())
        let cy = Int(y.rounded())
        for dy in -r...r {
            for dx in -r...r where dx * dx + dy * dy <= r * r + r / 2 { set(cx + dx, cy + dy, c) }
        }
    }

    /// Pixel width of `text` at `scale`.
    static func textWidth(_ text: String, scale: Int) -> Int {
        max(text.count * BitmapFont.advance - 1, 0) * scale
    }

    /// Draws `text` with its top edge at `y`; `vertical` turns it 90 degrees anticlockwise
    /// (reading bottom to top, anchored on its vertical middle at `x`).
    mutating func text(_ text: String, x: Int, y: Int, _ c: Color, scale: Int = 1, anchor: TextAnchor = .left, vertical: Bool = false) {
        let w = Canvas.textWidth(text, scale: scale)
        let offset = anchor == .left ? 0 : anchor == .center ? w / 2 : w
        for (k, ch) in text.enumerated() {
            let rows = BitmapFont.rows(ch)
            for (r, bits) in rows.enumerated() {
                for col in 0..<BitmapFont.width where bits & (0x10 >> UInt8(col)) != 0 {
                    let u = (k * BitmapFont.advance + col) * scale - offset  // along the text
                    let v = r * scale  // across it, downwards from the top
                    for sy in 0..<scale {
                        for sx in 0..<scale {
                            if vertical {
                                set(x + v + sy, y - u - sx, c)
                            } else {
                                set(x + u + sx, y + v + sy, c)
                            }
                        }
                    }
                }
            }
        }
    }
}
