import Foundation
import MLCore

/// Per-example signals of a classifier's answer on labelled inputs, from its probabilities (what a black-box
/// attacker sees), computed in double precision. Membership-inference attacks threshold or model them.
public enum PerExample {
    /// The smallest probability the signals take the logarithm of (float underflow would give log 0).
    static let floor = 1e-45

    /// Cross-entropy loss -log p_y of each row.
    public static func loss(_ p: Matrix, labels: [Int]) -> [Double] {
        (0..<p.rows).map { -Foundation.log(max(Double(p[$0, labels[$0]]), floor)) }
    }

    /// The probability of the true label, p_y.
    public static func confidence(_ p: Matrix, labels: [Int]) -> [Double] {
        (0..<p.rows).map { Double(p[$0, labels[$0]]) }
    }

    /// The logit-scaled confidence log(p_y) - log(sum of the other probabilities) (Carlini et al.), with the other
    /// probabilities summed rather than taken as 1 - p_y, which rounds to 0 for a confident model.
    public static func logitScaledConfidence(_ p: Matrix, labels: [Int]) -> [Double] {
        (0..<p.rows).map { r in
            var others = 0.0
            for c in 0..<p.cols where c != labels[r] { others += Double(p[r, c]) }
            return Foundation.log(max(Double(p[r, labels[r]]), floor)) - Foundation.log(max(others, floor))
        }
    }

    /// The entropy -sum p log p of each row (it does not use the label).
    public static func entropy(_ p: Matrix) -> [Double] {
        (0..<p.rows).map { r in
            var h = 0.0
            for c in 0..<p.cols {
                let x = Double(p[r, c])
                if x > 0 { h -= x * Foundation.log(x) }
            }
            return h
        }
    }

    /// Song and Mittal's modified entropy: -(1 - p_y) log p_y - sum over i != y of p_i log(1 - p_i). It falls as the
    /// prediction grows correct and confident, and rises for a confident wrong one (unlike the entropy).
    public static func modifiedEntropy(_ p: Matrix, labels: [Int]) -> [Double] {
        (0..<p.rows).map { r in
            let y = labels[r]
            let py = Double(p[r, y])
            var m = -(1 - py) * Foundation.log(max(py, floor))
            for c in 0..<p.cols where c != y {
                let pc = Double(p[r, c])
                m -= pc * Foundation.log(max(1 - pc, floor))
            }
            return m
        }
    }
}
