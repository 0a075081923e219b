import Foundation

/// Number formats shared by console tables and reports.
public enum Format {
    /// A share as a percentage with one decimal ("95.8%").
    public static func pct(_ x: Double) -> String { String(format: "%.1f%%", 100 * x) }
    /// One decimal.
    public static func f1(_ x: Double) -> String { String(format: "%.1f", x) }
    /// Two decimals.
    public static func f2(_ x: Double) -> String { String(format: "%.2f", x) }
    /// Three decimals.
    public static func f3(_ x: Double) -> String { String(format: "%.3f", x) }
    /// Four decimals.
    public static func f4(_ x: Double) -> String { String(format: "%.4f", x) }
    /// Two significant decimals in scientific notation (1.2e-05).
    public static func e2(_ x: Double) -> String { String(format: "%.1e", x) }
    /// A share's mean and spread as percentages ("57.3% ± 2.1%").
    public static func pctSpread(_ x: (mean: Double, sd: Double)) -> String { "\(pct(x.mean)) ± \(pct(x.sd))" }
    /// A difference of shares in percentage points, signed, with its spread ("+11.9 ± 2.0 points").
    public static func pointsSpread(_ x: (mean: Double, sd: Double)) -> String {
        String(format: "%+.1f ± %.1f points", 100 * x.mean, 100 * x.sd)
    }
}
