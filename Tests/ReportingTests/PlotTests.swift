import Foundation
import Testing

@testable import Reporting

struct PlotTests {
    @Test func linearTicksTakeOneTwoFiveSteps() {
        let t = PlotScale.ticks(0...100, .linear)
        #expect(t.map(\.value) == [0, 20, 40, 60, 80, 100])
        #expect(t.map(\.label) == ["0", "20", "40", "60", "80", "100"])
        #expect(PlotScale.ticks(0...1, .linear).map(\.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        #expect(PlotScale.ticks(-3...7, .linear).map(\.value) == [-2, 0, 2, 4, 6])
        #expect(PlotScale.ticks(-0.3...0.3, .linear).map(\.label).contains("0.0"))  // never "-0.0"
    }

    @Test func logAxesTickAtPowersOfTenAndFitWholeDecades() {
        #expect(PlotScale.fit([0.25, 1, 100], .log10) == 0.1...100)
        #expect(PlotScale.ticks(0.1...100, .log10).map(\.label) == ["0.1", "1", "10", "100"])
        #expect(PlotScale.ticks(1...100, .log10).map(\.value) == [1, 2, 5, 10, 20, 50, 100])
        #expect(abs(PlotScale.fraction(1, 0.1...100, .log10) - 1.0 / 3) < 1e-12)
        #expect(PlotScale.fraction(5, 0...10, .linear) == 0.5)
        #expect(PlotScale.fit([-1, 0, 3], .log10) == 1...10)  // only positive values count on a log axis
        #expect(PlotScale.fit([10, 10], .log10) == 1...100)
    }

    @Test func textIsDrawnGlyphByGlyphAndTurnedForVerticalLabels() {
        var c = Canvas(width: 20, height: 20)
        c.text("1", x: 2, y: 3, .black)
        let rows = BitmapFont.rows("1")
        for r in 0..<8 {
            for col in 0..<5 {
                let ink = rows[r] & (0x10 >> UInt8(col)) != 0
                #expect((c.image.pixels[((3 + r) * 20 + 2 + col) * 3] == 0) == ink)
            }
        }
        var v = Canvas(width: 20, height: 20)
        v.text("1", x: 2, y: 15, .black, vertical: true)
        for r in 0..<8 {
            for col in 0..<5 {
                let ink = rows[r] & (0x10 >> UInt8(col)) != 0
                #expect((v.image.pixels[((15 - col) * 20 + 2 + r) * 3] == 0) == ink)
            }
        }
        #expect(Canvas.textWidth("abc", scale: 2) == (3 * 6 - 1) * 2)
    }

    @Test func everyPrintableCharacterHasAGlyph() {
        for a in 33..<127 {
            #expect(BitmapFont.rows(Character(UnicodeScalar(UInt8(a)))).contains { $0 != 0 }, "no ink for \(UnicodeScalar(UInt8(a)))")
        }
        #expect(BitmapFont.rows(" ").allSatisfy { $0 == 0 })
        #expect(BitmapFont.rows("é") == BitmapFont.rows("?"))
    }

    @Test func aPlotDrawsItsSeriesReferencesAndFrameWhereTheAxesSay() throws {
        let red = Color(200, 10, 10)
        let green = Color(10, 150, 10)
        let plot = LinePlot(
            title: "Test", x: Axis("x", scale: .log10), y: Axis("y", range: 0...100),
            series: [PlotSeries("rising", points: [(1, 0), (10, 50), (100, 100)], color: red)],
            references: [ReferenceLine("half", y: 50, color: green)], legend: .below)
        let img = plot.render(width: 400, height: 300)
        #expect(img.width == 400 && img.height == 300 && img.channels == 3)
        func count(_ c: Color) -> Int {
            stride(from: 0, to: img.pixels.count, by: 3).filter {
                img.pixels[$0] == c.r && img.pixels[$0 + 1] == c.g && img.pixels[$0 + 2] == c.b
            }.count
        }
        #expect(count(red) > 200)  // the line, its markers and the legend sample
        #expect(count(green) > 100)
        // The reference at y = 50 is a horizontal dashed line: many green pixels share one row.
        var rows: [Int: Int] = [:]
        for i in stride(from: 0, to: img.pixels.count, by: 3) where img.pixels[i] == green.r && img.pixels[i + 1] == green.g {
            rows[i / 3 / 400, default: 0] += 1
        }
        #expect((rows.values.max() ?? 0) > 100)
        // The middle point (10, 50) is at the middle of the plot area (x 86...380) on the reference's row.
        let referenceRow = rows.max { $0.value < $1.value }?.key ?? -1
        #expect(referenceRow > 44 && referenceRow < 300 - 70)
        let nearMiddle = (referenceRow - 3...referenceRow + 3).contains { y in
            (230...236).contains { x in img.pixels[(y * 400 + x) * 3] == red.r && img.pixels[(y * 400 + x) * 3 + 1] == red.g }
        }
        #expect(nearMiddle)
        #expect(LinePlot.row([plot, plot], width: 400, height: 300).width == 800)
        #expect(try PNG.decode(try PNG.encode(img), channels: 3) == img)
    }

    @Test func aBarChartDrawsBarsToTheirValuesAndReferencesAsColumns() {
        let blue = Color(10, 10, 200)
        let green = Color(10, 150, 10)
        let chart = BarChart(
            title: "Bars", categories: ["quarter", "half", "full"], series: [("share", blue, [25, 50, 100])],
            axis: Axis("value", range: 0...100), references: [ReferenceLine("mark", y: 50, color: green)])
        let img = chart.render(width: 400)
        // Each bar's right end (its last blue pixel per row, above the legend).
        var ends: [Int: Int] = [:]
        var greenColumns: [Int: Int] = [:]
        for i in stride(from: 0, to: img.pixels.count, by: 3) {
            let (x, y) = (i / 3 % 400, i / 3 / 400)
            guard y < img.height - 80 else { continue }
            if img.pixels[i] == blue.r && img.pixels[i + 1] == blue.g && img.pixels[i + 2] == blue.b { ends[y] = max(ends[y] ?? 0, x) }
            if img.pixels[i] == green.r && img.pixels[i + 1] == green.g && img.pixels[i + 2] == green.b { greenColumns[x, default: 0] += 1 }
        }
        let barEnds = Set(ends.values).sorted()
        #expect(barEnds.count == 3)
        guard barEnds.count == 3 else { return }
        // Lengths follow the values: 25 -> 50 adds as much as 0 -> 25, 50 -> 100 twice that.
        let step = barEnds[1] - barEnds[0]
        #expect(step > 40 && abs((barEnds[2] - barEnds[1]) - 2 * step) <= 2)
        // The reference at 50 is a dashed vertical line (many green pixels in one column) where the bar of 50 ends.
        let column = greenColumns.filter { $0.value > 10 }.map(\.key).max() ?? -1
        #expect(abs(column - barEnds[1]) <= 2, "reference column \(column), bar ends \(barEnds)")
        #expect(BarChart.row([chart, chart], width: 400).width == 800)
    }

    @Test func segmentsAreClippedToThePlotArea() {
        let box = (x0: 0.0, y0: 0.0, x1: 10.0, y1: 10.0)
        func flat(_ s: ((Double, Double), (Double, Double))?) -> [Double]? { s.map { [$0.0.0, $0.0.1, $0.1.0, $0.1.1] } }
        #expect(flat(PlotScale.clip((2, 2), (8, 8), to: box)) == [2, 2, 8, 8])
        #expect(flat(PlotScale.clip((-5, 5), (15, 5), to: box)) == [0, 5, 10, 5])
        #expect(flat(PlotScale.clip((5, -10), (5, 20), to: box)) == [5, 0, 5, 10])
        #expect(PlotScale.clip((-5, -5), (-1, 20), to: box) == nil)
        #expect(PlotScale.clip((11, 0), (11, 10), to: box) == nil)
        #expect(PlotScale.clip((0, .nan), (5, 5), to: box) == nil)
    }

    @Test func aLogLogCurveFromZeroStaysInsideItsFrame() {
        // A ROC-like curve on log axes starts at x = 0, which has no position: nothing may be drawn left of the frame.
        let red = Color(200, 10, 10)
        let plot = LinePlot(
            title: "ROC", x: Axis("FPR", scale: .log10, range: 0.001...1), y: Axis("TPR", scale: .log10, range: 0.001...1),
            series: [PlotSeries("curve", points: [(0, 0.002), (0.01, 0.05), (1, 1)], color: red, markers: false)],
            legend: .below)
        let img = plot.render(width: 400, height: 300)
        var columns = Set<Int>()
        for i in stride(from: 0, to: img.pixels.count, by: 3) where img.pixels[i] == red.r && img.pixels[i + 1] == red.g {
            columns.insert(i / 3 % 400)
        }
        // The frame's left edge is at x = 86; the legend sample starts at 86 + 6.
        #expect(!columns.isEmpty && columns.allSatisfy { $0 >= 86 - 1 })
    }
}
