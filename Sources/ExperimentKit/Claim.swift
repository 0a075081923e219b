import Reporting

/// How a claim fared in this run: the one fixed set of verdicts every report and `claims.csv` use.
public enum Verdict: String, Sendable, CaseIterable, CustomStringConvertible {
    /// The run shows what the claim says (within the stated tolerance).
    case reproduced
    /// The run shows part of it: the direction but not the size, or some settings but not all.
    case partly
    /// The run does not show it.
    case notReproduced = "not reproduced"
    /// The claim is a question this run measures rather than a statement it can confirm, or the run has not the
    /// data to judge it (the note says which).
    case notApplicable = "not applicable"

    /// The verdict as tables spell it.
    public var description: String { rawValue }
}

/// One of a paper's claims beside what this run measured: the paper's figure and ours as numbers (in `unit`), the
/// measurement in words, a verdict from the fixed set computed from the run, and a note saying why.
public struct Claim: Sendable, Equatable {
    /// The claim, with its source (e.g. "MLP test error about 4.2 % (Fredrikson et al. 2015)").
    public let claim: String
    /// The paper's figure, in `unit` (nil when the claim states none).
    public let paper: Double?
    /// This run's figure for the same quantity, in `unit` (nil when the run has none).
    public let ours: Double?
    /// The unit of both figures (`fraction`, `AUC`, `queries`, `points`, ...).
    public let unit: String
    /// What this run measured, in words and numbers.
    public let measured: String
    /// The verdict, computed, never typed in by hand.
    public let verdict: Verdict
    /// Why: the tolerance used, or what falls short.
    public let note: String

    /// A claim with the paper's figure and ours, the measurement in words, its verdict and the reason.
    public init(
        _ claim: String, paper: Double? = nil, ours: Double?, unit: String, measured: String, verdict: Verdict, note: String = ""
    ) {
        self.claim = claim
        self.paper = paper
        self.ours = ours
        self.unit = unit
        self.measured = measured
        self.verdict = verdict
        self.note = note
    }

    /// The claims as `claims.csv`: claim, paper, ours, unit, verdict, note, measured (a figure absent is empty).
    public static func table(_ claims: [Claim]) -> CSVTable {
        var t = CSVTable(header: ["claim", "paper", "ours", "unit", "verdict", "note", "measured"])
        for c in claims {
            t.append([
                .text(c.claim), c.paper.map { .number($0, decimals: 4) } ?? .missing, c.ours.map { .number($0, decimals: 4) } ?? .missing,
                .text(c.unit), .text(c.verdict.rawValue), .text(c.note), .text(c.measured),
            ])
        }
        return t
    }
}

extension MarkdownReport {
    /// The claims table of a report: the paper's claim, what was measured, the verdict and why.
    public mutating func claims(_ claims: [Claim], paper: String) {
        table(
            ["claim (\(paper))", "measured here", "verdict"],
            claims.map { [$0.claim, $0.measured, $0.note.isEmpty ? $0.verdict.rawValue : "\($0.verdict.rawValue) (\($0.note))"] })
    }
}

extension Console {
    /// The claims as a console table: claim, measured, verdict.
    public static func claims(_ claims: [Claim]) {
        table(["claim", "measured", "verdict"], claims.map { [$0.claim, $0.measured, $0.verdict.rawValue] })
    }
}
