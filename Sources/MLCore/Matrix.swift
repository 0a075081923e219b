/// A dense row-major matrix of `Float`, the unit of work for every model and attack.
public struct Matrix: Equatable, Sendable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let cols: Int
    /// Row-major storage: element (r, c) is at `r * cols + c`.
    public var data: [Float]

    /// A matrix filled with `value`.
    public init(rows: Int, cols: Int, repeating value: Float = 0) {
        precondition(rows >= 0 && cols >= 0, "Matrix dimensions must be non-negative")
        self.rows = rows
        self.cols = cols
        self.data = [Float](repeating: value, count: rows * cols)
    }

    /// A matrix over existing row-major storage; `data.count` must equal `rows * cols`.
    public init(rows: Int, cols: Int, data: [Float]) {
        precondition(data.count == rows * cols, "Matrix storage has \(data.count) values, expected \(rows)x\(cols)")
        self.rows = rows
        self.cols = cols
        self.data = data
    }

    /// A matrix whose rows are the given vectors (all of equal length).
    public init(rowVectors: [[Float]]) {
        let cols = rowVectors.first?.count ?? 0
        var data = [Float]()
        data.reserveCapacity(rowVectors.count * cols)
        for row in rowVectors {
            precondition(row.count == cols, "Rows of different lengths")
            data.append(contentsOf: row)
        }
        self.init(rows: rowVectors.count, cols: cols, data: data)
    }

    /// Element access.
    @inlinable public subscript(r: Int, c: Int) -> Float {
        get { data[r * cols + c] }
        set { data[r * cols + c] = newValue }
    }

    /// A copy of row `r`.
    public func row(_ r: Int) -> [Float] {
        Array(data[(r * cols)..<((r + 1) * cols)])
    }

    /// Replaces row `r` with `values`.
    public mutating func setRow(_ r: Int, _ values: [Float]) {
        precondition(values.count == cols)
        data.replaceSubrange((r * cols)..<((r + 1) * cols), with: values)
    }

    /// The rows at `indices`, in that order.
    public func rows(_ indices: [Int]) -> Matrix {
        var out = Matrix(rows: indices.count, cols: cols)
        out.data.withUnsafeMutableBufferPointer { dst in
            data.withUnsafeBufferPointer { src in
                for (i, r) in indices.enumerated() {
                    let s = src.baseAddress! + r * cols
                    (dst.baseAddress! + i * cols).update(from: s, count: cols)
                }
            }
        }
        return out
    }

    /// The transpose.
    public var transposed: Matrix {
        var out = Matrix(rows: cols, cols: rows)
        for r in 0..<rows {
            for c in 0..<cols {
                out.data[c * rows + r] = data[r * cols + c]
            }
        }
        return out
    }

    /// True when every element is finite (no NaN or infinity).
    public var isFinite: Bool {
        data.allSatisfy { $0.isFinite }
    }
}
