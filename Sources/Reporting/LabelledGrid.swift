/// A grid of image tiles with a title, a label on every row and column, and the axes' names: the figure a
/// reader can read without the report beside it.
public struct LabelledGrid: Sendable {
    /// The line above the grid.
    public var title: String
    /// What the rows vary (written vertically at the left).
    public var rowAxis: String
    /// What the columns vary (written above the column labels).
    public var columnAxis: String
    /// One label per row, written left of it.
    public var rowLabels: [String]
    /// One label per column, written above it.
    public var columnLabels: [String]

    /// A grid with these labels.
    public init(title: String, rowAxis: String, columnAxis: String, rowLabels: [String], columnLabels: [String]) {
        self.title = title
        self.rowAxis = rowAxis
        self.columnAxis = columnAxis
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
    }

    /// The figure: `tiles` row by row (`rowLabels.count` rows of `columnLabels.count` tiles, all the size of the
    /// first), in RGB.
    public func render(_ tiles: [Image8], margin: Int = 2) throws -> Image8 {
        guard let first = tiles.first, tiles.count == rowLabels.count * columnLabels.count else {
            throw ReportingError(
                "a labelled grid of \(rowLabels.count) x \(columnLabels.count) needs that many tiles (got \(tiles.count))")
        }
        let line = BitmapFont.height + 4
        let rowLabelWidth = (rowLabels.map { Canvas.textWidth($0, scale: 1) }.max() ?? 0) + 6
        let left = line + rowLabelWidth
        let top = 3 * line
        let gridWidth = columnLabels.count * first.width + (columnLabels.count + 1) * margin
        let gridHeight = rowLabels.count * first.height + (rowLabels.count + 1) * margin
        let width = max(left + gridWidth + 4, Canvas.textWidth(title, scale: 1) + 8)
        var canvas = Canvas(width: width, height: top + gridHeight + 4)
        canvas.text(title, x: 4, y: 2, .black)
        canvas.text(columnAxis, x: left + gridWidth / 2, y: 2 + line, .gray, anchor: .center)
        canvas.text(rowAxis, x: 2, y: top + gridHeight / 2, .gray, anchor: .center, vertical: true)
        for (c, label) in columnLabels.enumerated() {
            let x = left + margin + c * (first.width + margin) + first.width / 2
            canvas.text(label, x: x, y: 2 + 2 * line, .black, anchor: .center)
        }
        for (r, label) in rowLabels.enumerated() {
            let y = top + margin + r * (first.height + margin) + first.height / 2 - BitmapFont.height / 2
            canvas.text(label, x: left - 4, y: y, .black, anchor: .right)
        }
        for (i, tile) in tiles.enumerated() {
            let x0 = left + margin + (i % columnLabels.count) * (first.width + margin)
            let y0 = top + margin + (i / columnLabels.count) * (first.height + margin)
            for y in 0..<min(tile.height, first.height) {
                for x in 0..<min(tile.width, first.width) {
                    let p = (y * tile.width + x) * tile.channels
                    let rgb =
                        tile.channels >= 3
                        ? (tile.pixels[p], tile.pixels[p + 1], tile.pixels[p + 2]) : (tile.pixels[p], tile.pixels[p], tile.pixels[p])
                    canvas.set(x0 + x, y0 + y, Color(rgb.0, rgb.1, rgb.2))
                }
            }
        }
        return canvas.image
    }
}

/// A figure could not be drawn; the message says why.
public struct ReportingError: Error, CustomStringConvertible, Sendable {
    /// What went wrong.
    public let description: String

    /// An error with this message.
    public init(_ description: String) {
        self.description = description
    }
}
