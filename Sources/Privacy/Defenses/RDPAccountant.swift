import Foundation

/// The Renyi-DP accountant of DP-SGD with Poisson sampling: the RDP of the sampled Gaussian mechanism at integer
/// orders, composed over the steps, converted to (epsilon, delta)-DP; and the inverse, the noise multiplier that
/// reaches a target epsilon.
///
/// Reference: I. Mironov, K. Talwar, L. Zhang, Renyi Differential Privacy of the Sampled Gaussian Mechanism, 2019
/// (arXiv 1908.10530), section 3.3: for an integer order a, the RDP is log(A_a) / (a - 1) with
/// A_a = sum over k of C(a, k) (1 - q)^(a - k) q^k exp((k^2 - k) / (2 sigma^2)). Conversions: the classic one,
/// epsilon = rdp(a) + log(1/delta) / (a - 1) (Mironov 2017, proposition 3), and the improved one used by
/// dp-accounting and Opacus, epsilon = rdp(a) + log((a - 1) / a) - (log delta + log a) / (a - 1) (Balle et al. 2020,
/// theorem 21); both minimised over the orders.
///
/// Deviations: integer orders only (2 to 63, 128, 256, 512, 1024), where the libraries agree to about 1e-12;
/// with fractional orders as well the classic conversion can come out a little lower (3.0084 instead of 3.0092
/// for the first of the reference settings in PAPERS.md).
public enum RDPAccountant {
    /// How RDP becomes (epsilon, delta).
    public enum Conversion: String, Sendable, CaseIterable {
        /// epsilon = rdp + log(1/delta) / (a - 1).
        case classic
        /// Balle et al.'s tighter conversion (dp-accounting, Opacus): the one the experiments report.
        case improved
    }

    /// The orders the accountant minimises over.
    public static let orders: [Int] = Array(2...63) + [128, 256, 512, 1024]

    /// RDP of one step of the sampled Gaussian mechanism at integer order `a` (sampling rate q, noise multiplier sigma).
    public static func stepRDP(q: Double, noise sigma: Double, order a: Int) -> Double {
        precondition(a >= 2)
        if q == 0 { return 0 }
        if q == 1 { return Double(a) / (2 * sigma * sigma) }
        // log A_a by log-sum-exp over k = 0 ... a, with log C(a, k) from lgamma.
        let logQ = Foundation.log(q)
        let logP = Foundation.log1p(-q)
        var terms: [Double] = []
        terms.reserveCapacity(a + 1)
        for k in 0...a {
            let logBinomial = lgamma(Double(a) + 1) - lgamma(Double(k) + 1) - lgamma(Double(a - k) + 1)
            terms.append(logBinomial + Double(a - k) * logP + Double(k) * logQ + Double(k * k - k) / (2 * sigma * sigma))
        }
        let top = terms.max() ?? 0
        let logA = top + Foundation.log(terms.reduce(0) { $0 + Foundation.exp($1 - top) })
        return logA / Double(a - 1)
    }

    /// The (epsilon, order) after `steps` steps at the given delta, minimised over the orders.
    public static func epsilon(
        q: Double, noise sigma: Double, steps: Int, delta: Double, conversion: Conversion = .improved
    ) -> (epsilon: Double, order: Int) {
        precondition(delta > 0 && delta < 1 && sigma > 0 && q >= 0 && q <= 1 && steps >= 0)
        var best = (epsilon: Double.infinity, order: orders[0])
        for a in orders {
            let rdp = Double(steps) * stepRDP(q: q, noise: sigma, order: a)
            let order = Double(a)
            let eps: Double
            switch conversion {
            case .classic: eps = rdp + Foundation.log(1 / delta) / (order - 1)
            case .improved: eps = rdp + Foundation.log((order - 1) / order) - (Foundation.log(delta) + Foundation.log(order)) / (order - 1)
            }
            if eps < best.epsilon { best = (max(eps, 0), a) }
        }
        return best
    }

    /// The smallest noise multiplier (to a relative 1e-4) whose epsilon after `steps` steps is at most `target`.
    public static func noiseMultiplier(
        forEpsilon target: Double, q: Double, steps: Int, delta: Double, conversion: Conversion = .improved
    ) throws -> Double {
        guard target > 0, target.isFinite else { throw OracleError(description: "the target epsilon must be positive (got \(target))") }
        var high = 1.0
        while epsilon(q: q, noise: high, steps: steps, delta: delta, conversion: conversion).epsilon > target {
            high *= 2
            guard high < 1e6 else {
                throw OracleError(
                    description: "no noise multiplier below 1e6 reaches epsilon \(target) in \(steps) steps at sampling rate \(q)")
            }
        }
        var low = high / 2
        if epsilon(q: q, noise: low, steps: steps, delta: delta, conversion: conversion).epsilon <= target { low = 0 }
        while high - low > 1e-4 * high {
            let mid = (low + high) / 2
            if epsilon(q: q, noise: mid, steps: steps, delta: delta, conversion: conversion).epsilon > target {
                low = mid
            } else {
                high = mid
            }
        }
        return high
    }

    /// The delta the experiments use: 1 / n rounded down to a power of ten.
    public static func delta(forRecords n: Int) -> Double {
        Foundation.pow(10, (Foundation.log10(1 / Double(max(n, 1)))).rounded(.down))
    }
}
