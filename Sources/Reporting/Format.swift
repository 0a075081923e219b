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
}
