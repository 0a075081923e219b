import Foundation

/// How values map to positions along an axis.
public enum AxisScale: Sendable {
    /// Equal steps for equal differences.
    case linear
    /// Equal steps for equal ratios (powers of ten as ticks); values must be positive.
    case log10
}

/// One axis of a plot.
public struct Axis: Sendable {
    /// The label under (or beside) the axis.
    public var label: String
    /// Linear or logarithmic.
    public var scale: AxisScale
    /// Fixed range; nil fits the data with a margin.
    public var range: ClosedRange<Double>?

    /// An axis.
    public init(_ label: String, scale: AxisScale = .linear, range: ClosedRange<Double>? = nil) {
        self.label = label
        self.scale = scale
        self.range = range
    }
}

/// A line through points, with optional markers and symmetric error bars.
public struct PlotSeries: Sendable {
    /// Legend entry.
    public var name: String
    /// The points, in drawing order.
    public var points: [(x: Double, y: Double)]
    /// Half-length of each point's error bar (same count as `points`), or nil.
    public var errors: [Double]?
    /// Line colour; nil takes the next colour of the palette.
    public var color: Color?
    /// The dash length in pixels (on, then off); 0 draws a solid line.
    public var dash: Int
    /// Dashed (6-pixel dashes) instead of solid.
    public var dashed: Bool {
        get { dash > 0 }
        set { dash = newValue ? 6 : 0 }
    }
    /// A disc at each point.
    public var markers: Bool
    /// Whether a line joins the points (false: markers alone, a scatter).
    public var connected: Bool
    /// A short text beside each point (same count as `points`; empty strings for none), or nil.
    public var labels: [String]?

    /// A series.
    public init(
        _ name: String, points: [(x: Double, y: Double)], errors: [Double]? = nil, color: Color? = nil,
        dashed: Bool = false, dash: Int? = nil, markers: Bool = true, connected: Bool = true, labels: [String]? = nil
    ) {
        self.name = name
        self.points = points
        self.errors = errors
        self.color = color
        self.dash = dash ?? (dashed ? 6 : 0)
        self.markers = markers
        self.connected = connected
        self.labels = labels
    }
}

/// A horizontal line across the plot at a fixed value (a baseline or a reference model).
public struct ReferenceLine: Sendable {
    /// Legend entry.
    public var name: String
    /// Where it crosses the y axis.
    public var y: Double
    /// Its colour.
    public var color: Color

    /// A reference line.
    public init(_ name: String, y: Double, color: Color = .gray) {
        self.name = name
        self.y = y
        self.color = color
    }
}

/// Which corner of the plot area holds the legend.
public enum LegendPosition: Sendable {
    /// Inside the plot area, in a corner.
    case topLeft, topRight, bottomLeft, bottomRight
    /// Under the x-axis label, entries flowing left to right (the plot area shrinks to make room).
    case below
}

/// A line plot with axes, ticks, grid, legend and reference lines, drawn to an RGB image.
public struct LinePlot: Sendable {
    /// Title above the plot.
    public var title: String
    /// Horizontal axis.
    public var x: Axis
    /// Vertical axis.
    public var y: Axis
    /// The lines.
    public var series: [PlotSeries]
    /// Horizontal reference lines.
    public var references: [ReferenceLine]
    /// Legend corner.
    public var legend: LegendPosition

    /// A plot.
    public init(
        title: String, x: Axis, y: Axis, series: [PlotSeries], references: [ReferenceLine] = [],
        legend: LegendPosition = .bottomRight
    ) {
        self.title = title
        self.x = x
        self.y = y
        self.series = series
        self.references = references
        self.legend = legend
    }

    /// The plot alone, `width x height` pixels.
    public func render(width: Int = 640, height: Int = 480) -> Image8 {
        var canvas = Canvas(width: width, height: height)
        draw(on: &canvas, left: 0, top: 0, width: width, height: height)
        return canvas.image
    }

    /// Several plots side by side, each `width x height`.
    public static func row(_ plots: [LinePlot], width: Int = 560, height: Int = 440) -> Image8 {
        var canvas = Canvas(width: width * plots.count, height: height)
        // Legends below take the same room in every panel, so the plot areas line up.
        let reserve = plots.map { $0.belowLegendHeight(width: width) }.max() ?? 0
        for (i, p) in plots.enumerated() {
            p.draw(on: &canvas, left: i * width, top: 0, width: width, height: height, legendReserve: reserve)
        }
        return canvas.image
    }

    /// Where each entry of a legend below the plot goes: its offset and line.
    func belowLegendFlow(_ entryWidths: [Int], width: Int) -> [(x: Int, line: Int)] {
        var flow: [(x: Int, line: Int)] = []
        var (x, line) = (0, 0)
        for w in entryWidths {
            if x > 0 && x + w > width - 106 { (x, line) = (0, line + 1) }
            flow.append((x, line))
            x += w + 16
        }
        return flow
    }

    /// The legend's entries: each series, then each reference line (dashed, no marker).
    var legendEntries: [(name: String, color: Color, dash: Int, marker: Bool)] {
        series.enumerated().map { k, s in
            (s.name, s.color ?? Color.palette[k % Color.palette.count], s.connected ? s.dash : -1, s.markers)
        }
            + references.map { ($0.name, $0.color, 8, false) }
    }

    /// Pixel width of each legend entry: line sample, gap, name at text scale 2.
    var legendEntryWidths: [Int] { legendEntries.map { 44 + Canvas.textWidth($0.name, scale: 2) } }

    /// Height a legend below the plot takes in a panel of this width (0 for legends inside).
    func belowLegendHeight(width: Int) -> Int {
        guard legend == .below, !legendEntries.isEmpty else { return 0 }
        return 22 * ((belowLegendFlow(legendEntryWidths, width: width).last?.line ?? 0) + 1) + 8
    }

    func draw(on c: inout Canvas, left: Int, top: Int, width: Int, height: Int, legendReserve: Int = 0) {
        let scale = 2  // text scale: 10x16-pixel glyphs
        let rowH = 22
        let entries = legendEntries
        let entryWidths = legendEntryWidths
        let flow = legend == .below ? belowLegendFlow(entryWidths, width: width) : []
        let legendHeight = max(legendReserve, belowLegendHeight(width: width))
        let area = (x0: left + 86, y0: top + 44, x1: left + width - 20, y1: top + height - 70 - legendHeight)
        let xs = series.flatMap { $0.points.map(\.x) }
        var ys = series.flatMap { s in
            s.points.enumerated().flatMap { i, p in
                s.errors.map { [p.y - $0[i], p.y + $0[i]] } ?? [p.y]
            }
        }
        ys += references.map(\.y)
        let xr = x.range ?? PlotScale.fit(xs, x.scale)
        let yr = y.range ?? PlotScale.fit(ys, y.scale)
        let mapX = { (v: Double) in Double(area.x0) + PlotScale.fraction(v, xr, self.x.scale) * Double(area.x1 - area.x0) }
        let mapY = { (v: Double) in Double(area.y1) - PlotScale.fraction(v, yr, self.y.scale) * Double(area.y1 - area.y0) }

        // Grid and ticks.
        for t in PlotScale.ticks(xr, x.scale) {
            let px = mapX(t.value)
            c.line(px, Double(area.y0), px, Double(area.y1), .lightGray)
            c.line(px, Double(area.y1), px, Double(area.y1 + 6), .black)
            c.text(t.label, x: Int(px.rounded()), y: area.y1 + 10, .black, scale: scale, anchor: .center)
        }
        for t in PlotScale.ticks(yr, y.scale) {
            let py = mapY(t.value)
            c.line(Double(area.x0), py, Double(area.x1), py, .lightGray)
            c.line(Double(area.x0 - 6), py, Double(area.x0), py, .black)
            c.text(t.label, x: area.x0 - 10, y: Int(py.rounded()) - 7, .black, scale: scale, anchor: .right)
        }

        // Reference lines, then series, clipped to the plot area.
        let box = (x0: Double(area.x0), y0: Double(area.y0), x1: Double(area.x1), y1: Double(area.y1))
        let clampY = { (v: Double) in min(max(v, box.y0), box.y1) }
        let inside = { (p: (Double, Double)) in p.0 >= box.x0 && p.0 <= box.x1 && p.1 >= box.y0 && p.1 <= box.y1 }
        for r in references {
            let py = mapY(r.y)
            if py >= Double(area.y0) && py <= Double(area.y1) {
                c.line(Double(area.x0), py, Double(area.x1), py, r.color, width: 2, dash: 8)
            }
        }
        var pointLabels: [((Double, Double), String, Color)] = []
        for (k, s) in series.enumerated() {
            let color = s.color ?? Color.palette[k % Color.palette.count]
            let pts = s.points.map { (mapX($0.x), mapY($0.y)) }
            for i in pts.indices.dropFirst() where s.connected {
                guard let seg = PlotScale.clip(pts[i - 1], pts[i], to: box) else { continue }
                c.line(seg.0.0, seg.0.1, seg.1.0, seg.1.1, color, width: 2, dash: s.dash)
            }
            if let e = s.errors {
                for (i, p) in s.points.enumerated() {
                    let (lo, hi) = (clampY(mapY(p.y - e[i])), clampY(mapY(p.y + e[i])))
                    let px = mapX(p.x)
                    guard px >= box.x0 && px <= box.x1 else { continue }
                    c.line(px, lo, px, hi, color)
                    c.line(px - 4, lo, px + 4, lo, color)
                    c.line(px - 4, hi, px + 4, hi, color)
                }
            }
            if s.markers {
                for p in pts where inside(p) { c.disc(p.0, p.1, radius: 4, color) }
            }
            if let labels = s.labels {
                for (p, label) in zip(pts, labels) where inside(p) && !label.isEmpty { pointLabels.append((p, label, color)) }
            }
        }

        placeLabels(pointLabels, on: &c, area: area)

        // Frame, title, axis labels.
        c.rectangle(area.x0, area.y0, area.x1, area.y1, .black)
        c.text(title, x: (area.x0 + area.x1) / 2, y: top + 12, .black, scale: scale, anchor: .center)
        c.text(x.label, x: (area.x0 + area.x1) / 2, y: area.y1 + 38, .black, scale: scale, anchor: .center)
        c.text(y.label, x: left + 8, y: (area.y0 + area.y1) / 2, .black, scale: scale, anchor: .center, vertical: true)

        // Legend: a sample of each line and its name, on white, in the chosen corner or below.
        guard !entries.isEmpty else { return }
        func sample(_ e: (name: String, color: Color, dash: Int, marker: Bool), x: Int, cy: Double) {
            if e.dash >= 0 { c.line(Double(x + 6), cy, Double(x + 32), cy, e.color, width: 2, dash: e.dash) }
            if e.marker { c.disc(Double(x + 19), cy, radius: 4, e.color) }
            c.text(e.name, x: x + 38, y: Int(cy) - 7, .black, scale: scale)
        }
        if legend == .below {
            for (e, f) in zip(entries, flow) {
                sample(e, x: area.x0 + f.x, cy: Double(area.y1 + 62 + f.line * rowH + rowH / 2))
            }
            return
        }
        let boxW = entryWidths.max() ?? 0
        let boxH = rowH * entries.count + 8
        let bx = legend == .topLeft || legend == .bottomLeft ? area.x0 + 10 : area.x1 - 10 - boxW
        let by = legend == .topLeft || legend == .topRight ? area.y0 + 10 : area.y1 - 10 - boxH
        c.fill(x: bx, y: by, width: boxW, height: boxH, .white)
        for (i, e) in entries.enumerated() { sample(e, x: bx, cy: Double(by + 4 + i * rowH + rowH / 2)) }
        c.rectangle(bx, by, bx + boxW, by + boxH, .gray)
    }
}

extension LinePlot {
    /// Draws each point's label at the first of eight places around it (right, left, above, below, then the
    /// corners) that stays inside the plot area and overlaps no label placed before it, or not at all.
    func placeLabels(_ labels: [((Double, Double), String, Color)], on c: inout Canvas, area: (x0: Int, y0: Int, x1: Int, y1: Int)) {
        var taken: [(Int, Int, Int, Int)] = []
        let h = 8
        for ((px, py), text, color) in labels {
            let w = Canvas.textWidth(text, scale: 1)
            let (x, y) = (Int(px.rounded()), Int(py.rounded()))
            let candidates = [
                (x + 7, y - h / 2), (x - 7 - w, y - h / 2), (x - w / 2, y - 8 - h), (x - w / 2, y + 8), (x + 6, y - 6 - h),
                (x - 6 - w, y - 6 - h),
                (x + 6, y + 6), (x - 6 - w, y + 6),
            ]
            for (lx, ly) in candidates {
                let box = (lx - 1, ly - 1, lx + w + 1, ly + h + 1)
                guard box.0 > area.x0, box.2 < area.x1, box.1 > area.y0, box.3 < area.y1 else { continue }
                guard !taken.contains(where: { $0.0 < box.2 && box.0 < $0.2 && $0.1 < box.3 && box.1 < $0.3 }) else { continue }
                taken.append(box)
                c.text(text, x: lx, y: ly, color, scale: 1)
                break
            }
        }
    }
}

/// Axis ranges, positions, ticks and clipping.
enum PlotScale {
    /// The part of the segment a-b inside `box` (Liang-Barsky), or nil when none of it is.
    static func clip(_ a: (Double, Double), _ b: (Double, Double), to box: (x0: Double, y0: Double, x1: Double, y1: Double))
        -> ((Double, Double), (Double, Double))?
    {
        guard a.0.isFinite, a.1.isFinite, b.0.isFinite, b.1.isFinite else { return nil }
        let (dx, dy) = (b.0 - a.0, b.1 - a.1)
        var (t0, t1) = (0.0, 1.0)
        for (p, q) in [(-dx, a.0 - box.x0), (dx, box.x1 - a.0), (-dy, a.1 - box.y0), (dy, box.y1 - a.1)] {
            if p == 0 {
                if q < 0 { return nil }  // parallel to this edge and outside it
                continue
            }
            let t = q / p
            if p < 0 { t0 = max(t0, t) } else { t1 = min(t1, t) }
            if t0 > t1 { return nil }
        }
        return ((a.0 + t0 * dx, a.1 + t0 * dy), (a.0 + t1 * dx, a.1 + t1 * dy))
    }

    /// A range holding `values` with a margin (a decade-aligned one on log axes).
    static func fit(_ values: [Double], _ scale: AxisScale) -> ClosedRange<Double> {
        let v = values.filter { $0.isFinite && (scale == .linear || $0 > 0) }
        guard var lo = v.min(), var hi = v.max() else { return scale == .linear ? 0...1 : 1...10 }
        switch scale {
        case .linear:
            if lo == hi {
                lo -= 1
                hi += 1
            }
            let pad = 0.05 * (hi - lo)
            return (lo - pad)...(hi + pad)
        case .log10:
            lo = Foundation.pow(10, Foundation.log10(lo).rounded(.down))
            hi = Foundation.pow(10, Foundation.log10(hi).rounded(.up))
            if hi <= lo { (lo, hi) = (lo / 10, hi * 10) }  // one value, an exact power of ten
            return lo...hi
        }
    }

    /// Where `v` falls along `range`, 0 at the lower end and 1 at the upper.
    static func fraction(_ v: Double, _ range: ClosedRange<Double>, _ scale: AxisScale) -> Double {
        switch scale {
        case .linear:
            return (v - range.lowerBound) / (range.upperBound - range.lowerBound)
        case .log10:
            let l = Foundation.log10(range.lowerBound)
            return (Foundation.log10(max(v, .leastNormalMagnitude)) - l) / (Foundation.log10(range.upperBound) - l)
        }
    }

    /// Tick positions and labels: 1-2-5 steps on linear axes, powers of ten on log axes (with 2 and 5
    /// between them when the range spans less than two decades).
    static func ticks(_ range: ClosedRange<Double>, _ scale: AxisScale) -> [(value: Double, label: String)] {
        let (lo, hi) = (range.lowerBound, range.upperBound)
        switch scale {
        case .linear:
            let raw = (hi - lo) / 5
            let magnitude = Foundation.pow(10, Foundation.log10(raw).rounded(.down))
            let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw * 0.999 } ?? 10 * magnitude
            let decimals = max(0, -Int(Foundation.log10(step).rounded(.down)))
            var out: [(Double, String)] = []
            var k = (lo / step).rounded(.up)
            while k * step <= hi + step * 1e-9 {
                let v = k * step
                out.append((v, String(format: "%.\(decimals)f", abs(v) < step * 1e-9 ? 0 : v)))
                k += 1
            }
            return out
        case .log10:
            let first = Int(Foundation.log10(lo).rounded(.down))
            let last = Int(Foundation.log10(hi).rounded(.up))
            let multiples: [Double] = last - first <= 2 ? [1, 2, 5] : [1]
            var out: [(Double, String)] = []
            for e in first...last {
                for m in multiples {
                    let v = m * Foundation.pow(10, Double(e))
                    if v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9) { out.append((v, String(format: "%g", v))) }
                }
            }
            return out
        }
    }
}
