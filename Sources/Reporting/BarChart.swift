/// A horizontal grouped bar chart: one row per category (labelled on the left), one bar per series in each row,
/// with a value axis, grid, dashed reference lines across the rows (a baseline, a reference model) and a legend
/// below. Missing values (NaN) leave a gap.
public struct BarChart: Sendable {
    /// Title above the chart.
    public var title: String
    /// The row labels, top to bottom.
    public var categories: [String]
    /// The series: a name, a colour (nil takes the palette's next) and one value per category.
    public var series: [(name: String, color: Color?, values: [Double])]
    /// The value axis (linear).
    public var axis: Axis
    /// Vertical dashed lines at fixed values (`ReferenceLine.y` is the value on the axis).
    public var references: [ReferenceLine]

    /// A chart.
    public init(
        title: String, categories: [String], series: [(name: String, color: Color?, values: [Double])], axis: Axis,
        references: [ReferenceLine] = []
    ) {
        self.title = title
        self.categories = categories
        self.series = series
        self.axis = axis
        self.references = references
    }

    /// The chart alone, `width` pixels wide; the height follows the rows.
    public func render(width: Int = 640) -> Image8 {
        var canvas = Canvas(width: width, height: height(width: width))
        draw(on: &canvas, left: 0, width: width)
        return canvas.image
    }

    /// Several charts side by side, each `width` wide (the tallest sets the height).
    public static func row(_ charts: [BarChart], width: Int = 560) -> Image8 {
        var canvas = Canvas(width: width * charts.count, height: charts.map { $0.height(width: width) }.max() ?? 1)
        for (i, c) in charts.enumerated() { c.draw(on: &canvas, left: i * width, width: width) }
        return canvas.image
    }

    static let barHeight = 10
    static let rowGap = 8
    var rowHeight: Int { max(series.count, 1) * BarChart.barHeight + BarChart.rowGap }
    var legendNames: [String] { series.map(\.name) + references.map(\.name) }
    /// Legend entries per line at `width`: up to three, fewer when the longest name would run into the next.
    func legendColumns(_ width: Int) -> Int {
        let widest = (legendNames.map { Canvas.textWidth($0, scale: 2) }.max() ?? 0) + 30 + 16
        return max(1, min(3, (width - 32) / max(widest, 1)))
    }
    func height(width: Int) -> Int {
        let columns = legendColumns(width)
        return 44 + categories.count * rowHeight + 60 + 22 * ((legendNames.count + columns - 1) / columns) + 10
    }

    func draw(on c: inout Canvas, left: Int, width: Int) {
        let scale = 2
        let labelWidth = (categories.map { Canvas.textWidth($0, scale: scale) }.max() ?? 0) + 16
        let area = (x0: left + labelWidth, y0: 44, x1: left + width - 24, y1: 44 + categories.count * rowHeight)
        let values = (series.flatMap(\.values) + references.map(\.y)).filter { $0.isFinite }
        let range = axis.range ?? PlotScale.fit(values + [0], .linear)
        let mapX = { (v: Double) in Double(area.x0) + PlotScale.fraction(v, range, .linear) * Double(area.x1 - area.x0) }
        for t in PlotScale.ticks(range, .linear) {
            let px = mapX(t.value)
            c.line(px, Double(area.y0), px, Double(area.y1), .lightGray)
            c.line(px, Double(area.y1), px, Double(area.y1 + 6), .black)
            c.text(t.label, x: Int(px.rounded()), y: area.y1 + 10, .black, scale: scale, anchor: .center)
        }
        let zero = Int(mapX(max(range.lowerBound, 0)).rounded())
        for (row, name) in categories.enumerated() {
            let y0 = area.y0 + row * rowHeight + BarChart.rowGap / 2
            c.text(name, x: area.x0 - 8, y: y0 + (rowHeight - BarChart.rowGap) / 2 - 7, .black, scale: scale, anchor: .right)
            for (k, s) in series.enumerated() where row < s.values.count && s.values[row].isFinite {
                let color = s.color ?? Color.palette[k % Color.palette.count]
                let end = Int(mapX(min(max(s.values[row], range.lowerBound), range.upperBound)).rounded())
                c.fill(x: min(zero, end), y: y0 + k * BarChart.barHeight, width: abs(end - zero), height: BarChart.barHeight - 1, color)
            }
        }
        for r in references where r.y.isFinite && range.contains(r.y) {
            let px = mapX(r.y)
            c.line(px, Double(area.y0), px, Double(area.y1), r.color, width: 2, dash: 8)
        }
        c.rectangle(area.x0, area.y0, area.x1, area.y1, .black)
        c.text(title, x: (area.x0 + area.x1) / 2, y: 12, .black, scale: scale, anchor: .center)
        c.text(axis.label, x: (area.x0 + area.x1) / 2, y: area.y1 + 34, .black, scale: scale, anchor: .center)
        let columns = legendColumns(width)
        for (k, s) in series.enumerated() {
            let color = s.color ?? Color.palette[k % Color.palette.count]
            let x = left + 16 + (k % columns) * ((width - 32) / columns)
            let y = area.y1 + 60 + (k / columns) * 22
            c.fill(x: x, y: y + 2, width: 24, height: 12, color)
            c.text(s.name, x: x + 30, y: y, .black, scale: scale)
        }
        for (j, r) in references.enumerated() {
            let k = series.count + j
            let x = left + 16 + (k % columns) * ((width - 32) / columns)
            let y = area.y1 + 60 + (k / columns) * 22
            c.line(Double(x), Double(y + 8), Double(x + 24), Double(y + 8), r.color, width: 2, dash: 8)
            c.text(r.name, x: x + 30, y: y, .black, scale: scale)
        }
    }
}
