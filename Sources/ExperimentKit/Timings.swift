import Foundation
import Reporting

/// Every wall-clock figure of a run, kept apart from the results so that every other file is
/// byte-identical for a given seed; written as `timings.csv` (what, seconds, paper_seconds).
public struct Timings: Sendable {
    /// One measured duration, with the paper's figure for the same work where it gives one.
    public struct Entry: Sendable, Equatable {
        /// What was timed (lower-case, underscores: `train_mlp`, `mi_face_mlp_per_face`).
        public let what: String
        /// Seconds measured here.
        public let seconds: Double
        /// Seconds the paper reports for the same work (its machine and code), if any.
        public let paperSeconds: Double?
    }

    /// The entries in the order recorded.
    public private(set) var entries: [Entry] = []

    /// An empty record.
    public init() {}

    /// Records a duration.
    public mutating func record(_ what: String, seconds: Double, paper: Double? = nil) {
        entries.append(Entry(what: what, seconds: seconds, paperSeconds: paper))
    }

    /// Seconds recorded under `what` (the first), if any.
    public func seconds(_ what: String) -> Double? { entries.first { $0.what == what }?.seconds }

    /// The record as a CSV table.
    public var table: CSVTable {
        var t = CSVTable(header: ["what", "seconds", "paper_seconds"])
        for e in entries {
            t.append([.text(e.what), .number(e.seconds, decimals: 4), e.paperSeconds.map { .number($0, decimals: 1) } ?? .missing])
        }
        return t
    }
}
