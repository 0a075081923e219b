import MLCore

/// The largest gap between an analytic gradient and central differences of `f` at `x` (step `h` on each value).
func worstCentralDifference(at x: Matrix, analytic g: Matrix, h: Float = 1e-3, _ f: (Matrix) -> Double) -> Double {
    var worst: Double = 0
    for i in x.data.indices {
        var plus = x
        var minus = x
        plus.data[i] += h
        minus.data[i] -= h
        worst = max(worst, abs((f(plus) - f(minus)) / Double(2 * h) - Double(g.data[i])))
    }
    return worst
}
