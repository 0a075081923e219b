import Foundation

/// Exact binomial confidence bounds, for rates measured by counting (a TPR over members, an FPR over non-members).
public enum Binomial {
    /// The regularized incomplete beta function I_x(a, b), by its continued fraction (modified Lentz), on the side of
    /// x where the fraction converges fast (I_x(a, b) = 1 - I_{1-x}(b, a) on the other).
    public static func regularizedBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        if x > (a + 1) / (a + b + 2) { return 1 - regularizedBeta(1 - x, b, a) }
        let logBeta: Double = lgamma(a) + lgamma(b) - lgamma(a + b)
        let logPowers: Double = a * Foundation.log(x) + b * Foundation.log1p(-x)
        let logFront = logPowers - logBeta - Foundation.log(a)
        let tiny = 1e-300
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        d = 1 / (abs(d) < tiny ? tiny : d)
        var f = d
        for m in 1...10_000 {
            let md = Double(m)
            for k in 0..<2 {
                // Even terms m(b - m)x / ((a + 2m - 1)(a + 2m)); odd terms -(a + m)(a + b + m)x / ((a + 2m)(a + 2m + 1)).
                let term: Double
                if k == 0 {
                    term = md * (b - md) * x / ((a + 2 * md - 1) * (a + 2 * md))
                } else {
                    term = -(a + md) * (a + b + md) * x / ((a + 2 * md) * (a + 2 * md + 1))
                }
                d = 1 + term * d
                d = 1 / (abs(d) < tiny ? tiny : d)
                c = 1 + term / c
                if abs(c) < tiny { c = tiny }
                f *= c * d
                if k == 1 && abs(c * d - 1) < 1e-15 { return Foundation.exp(logFront) * f }
            }
        }
        return Foundation.exp(logFront) * f
    }

    /// The x with I_x(a, b) = p, by bisection to machine precision.
    static func inverseBeta(_ p: Double, _ a: Double, _ b: Double) -> Double {
        var lo = 0.0
        var hi = 1.0
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if mid == lo || mid == hi { break }
            if regularizedBeta(mid, a, b) < p { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }

    /// The Clopper-Pearson interval for a rate after `successes` of `trials`: each side holds with probability at
    /// least 1 - `alpha` / 2 (two-sided level 1 - alpha; alpha 0.1 gives one-sided 95 % bounds).
    public static func clopperPearson(successes k: Int, trials n: Int, alpha: Double = 0.05) -> (lower: Double, upper: Double) {
        precondition(n > 0 && k >= 0 && k <= n, "Clopper-Pearson needs 0 <= successes <= trials, trials > 0")
        let lower = k == 0 ? 0 : inverseBeta(alpha / 2, Double(k), Double(n - k + 1))
        let upper = k == n ? 1 : inverseBeta(1 - alpha / 2, Double(k + 1), Double(n - k))
        return (lower, upper)
    }
}
