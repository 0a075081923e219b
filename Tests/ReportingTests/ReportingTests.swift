import Datasets
import Foundation
import MLCore
import Reporting
import Testing

struct PNGTests {
    @Test func greyAndRGBRoundTrip() throws {
        let grey = Image8(width: 3, height: 2, pixels: [0, 50, 100, 150, 200, 255])
        #expect(try PNG.decode(try PNG.encode(grey)) == grey)
        let rgb = Image8(width: 2, height: 1, channels: 3, pixels: [255, 0, 0, 0, 128, 255])
        #expect(try PNG.decode(try PNG.encode(rgb), channels: 3) == rgb)
        let png = try PNG.encode(grey)
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    }

    @Test func brokenPNGIsAnErrorNotACrash() throws {
        let png = try PNG.encode(Image8(width: 4, height: 4, fill: 9))
        #expect { try PNG.decode(Array(png.prefix(20)), source: "cut.png") } throws: { "\($0)".contains("cut.png") }
        #expect(throws: PNGError.self) { try PNG.decode(Array("not a png at all".utf8)) }
        #expect(throws: PNGError.self) { try PNG.read("/nonexistent/x.png") }
    }

    @Test func contrastStretchUsesTheFullRangeAndGridsPlaceTiles() {
        let img = Image8.contrastStretched([1, 2, 3, 1], width: 2, height: 2)
        #expect(img.pixels == [0, 128, 255, 0])
        #expect(Image8.contrastStretched([0.5, 0.5], width: 2, height: 1).pixels == [128, 128])
        let tile = Image8(width: 2, height: 2, fill: 7)
        let grid = ImageGrid.make([tile, tile, tile], columns: 2, margin: 1, background: 255)
        #expect(grid.width == 7 && grid.height == 7)
        #expect(grid.pixels[1 * 7 + 1] == 7 && grid.pixels[0] == 255 && grid.pixels[4 * 7 + 1] == 7 && grid.pixels[4 * 7 + 4] == 255)
    }
}

struct CSVTests {
    @Test func rendersWithRFC4180QuotingAndStableNumbers() {
        var t = CSVTable(header: ["name", "value", "n"])
        t.append([.text("plain"), .number(0.5, decimals: 3), .int(3)])
        t.append([.text("a, \"quoted\"\nline"), .number(-0.00001, decimals: 2), .missing])
        t.append([.text("nan"), .number(.nan, decimals: 2), .int(-1)])
        #expect(t.rendered == "name,value,n\nplain,0.500,3\n\"a, \"\"quoted\"\"\nline\",0.00,\nnan,NaN,-1\n")
    }

    @Test func roundTripsThroughTheReader() throws {
        var t = CSVTable(header: ["k", "v"])
        for s in ["x", "comma,inside", "quote\"inside", "new\nline", ""] { t.append([.text(s), .int(s.count)]) }
        let rows = try CSVReader.parse(t.rendered, file: "t.csv")
        #expect(rows.count == 6)
        #expect(rows[2] == ["comma,inside", "12"])
        #expect(rows[3] == ["quote\"inside", "12"])
        #expect(rows[4] == ["new\nline", "8"])
    }
}

struct MarkdownTests {
    @Test func markdownTablesEscapePipes() {
        var md = MarkdownReport()
        md.table(["a", "b"], [["x|y", "2"]])
        #expect(md.text == "| a | b |\n|---|---|\n| x\\|y | 2 |\n\n")
    }
}

/// A labelled grid keeps every tile's pixels and writes its labels in the margins.
struct LabelledGridTests {
    @Test func tilesArePlacedAndLabelsDrawnAroundThem() throws {
        let tile = Image8(width: 20, height: 10, fill: 90)
        let grid = LabelledGrid(
            title: "title", rowAxis: "rows", columnAxis: "columns", rowLabels: ["r = 0.1", "none"], columnLabels: ["a", "b", "c"])
        let image = try grid.render([Image8](repeating: tile, count: 6))
        #expect(image.channels == 3)
        let tilePixels = stride(from: 0, to: image.pixels.count, by: 3).filter { image.pixels[$0] == 90 }.count
        #expect(tilePixels == 6 * 20 * 10)
        // Dark text pixels left of the grid (row labels) and above it (title, column labels).
        func dark(_ x: Int, _ y: Int) -> Bool { image.pixels[(y * image.width + x) * 3] < 60 }
        let firstTileX = (0..<image.width).first { x in (0..<image.height).contains { image.pixels[($0 * image.width + x) * 3] == 90 } }!
        let firstTileY = (0..<image.height).first { y in (0..<image.width).contains { image.pixels[(y * image.width + $0) * 3] == 90 } }!
        #expect((0..<firstTileX).contains { x in (firstTileY..<image.height).contains { dark(x, $0) } })
        #expect((0..<firstTileY).contains { y in (0..<image.width).contains { dark($0, y) } })
        #expect(throws: ReportingError.self) { try grid.render([tile]) }
    }
}
