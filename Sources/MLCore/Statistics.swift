import Foundation

/// Summary statistics over plain arrays.
public enum Statistics {
    /// The arithmetic mean (0 for an empty array).
    public static func mean(_ x: [Float]) -> Float {
        guard !x.isEmpty else { return 0 }
        var s: Double = 0
        for v in x { s += Double(v) }
        return Float(s / Double(x.count))
    }

    /// The population standard deviation.
    public static func standardDeviation(_ x: [Float]) -> Float {
        guard !x.isEmpty else { return 0 }
        let m = Double(mean(x))
        var s: Double = 0
        for v in x { s += (Double(v) - m) * (Double(v) - m) }
        return Float((s / Double(x.count)).squareRoot())
    }

    /// The vector minus its mean, over its standard deviation (all zeros for a constant vector).
    public static func standardized(_ x: [Float]) -> [Float] {
        let m = mean(x)
        let s = standardDeviation(x)
        guard s > 0 else { return [Float](repeating: 0, count: x.count) }
        return x.map { ($0 - m) / s }
    }

    /// The mean and the sample standard deviation (n - 1) of repeated measurements: the project's one convention
    /// for a spread over trials, splits or target models (0 for fewer than two values). Standardising features
    /// uses the population deviation instead (`standardDeviation`), which is a scale, not a spread.
    public static func meanAndSpread(_ x: [Double]) -> (mean: Double, sd: Double) {
        let m = x.reduce(0, +) / Double(max(x.count, 1))
        guard x.count > 1 else { return (m, 0) }
        let v = x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1)
        return (m, v.squareRoot())
    }

    /// The rank of each value, 0 for the smallest; tied values share the mean of their ranks (mid-ranks).
    public static func ranks(_ x: [Double]) -> [Float] {
        var r = [Float](repeating: 0, count: x.count)
        let order = x.indices.sorted { x[$0] < x[$1] }
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && x[order[j + 1]] == x[order[i]] { j += 1 }
            for k in i...j { r[order[k]] = Float(i + j) / 2 }
            i = j + 1
        }
        return r
    }

    /// Spearman's rank correlation: Pearson's correlation of the mid-ranks.
    public static func spearman(_ a: [Double], _ b: [Double]) -> Double {
        Double(correlation(ranks(a), ranks(b)))
    }

    /// Pearson correlation of two equal-length vectors (0 when either is constant).
    public static func correlation(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count)
        let za = standardized(a)
        let zb = standardized(b)
        var s: Double = 0
        for i in za.indices { s += Double(za[i]) * Double(zb[i]) }
        return a.isEmpty ? 0 : Float(s / Double(a.count))
    }

    /// Squared Euclidean distance.
    public static func squaredDistance(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count)
        var s: Float = 0
        for i in a.indices {
            let d = a[i] - b[i]
            s += d * d
        }
        return s
    }

    /// The index of the largest value (the first on ties).
    public static func argmax(_ x: ArraySlice<Float>) -> Int {
        var best = x.startIndex
        for i in x.indices where x[i] > x[best] { best = i }
        return best - x.startIndex
    }

    /// The indices of the `k` largest values, largest first (ties by lower index).
    public static func topK(_ x: ArraySlice<Float>, _ k: Int) -> [Int] {
        let idx = Array(0..<x.count)
        let base = x.startIndex
        return Array(idx.sorted { x[base + $0] != x[base + $1] ? x[base + $0] > x[base + $1] : $0 < $1 }.prefix(k))
    }
}
