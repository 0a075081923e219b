import Reporting

/// One of a paper's claims beside what this run measured, with a verdict computed from the run.
public struct Claim: Sendable, Equatable {
    /// The claim, with its source (e.g. "MLP test error about 4.2 % (Fredrikson et al. 2015)").
    public let claim: String
    /// What this run measured, in words and numbers.
    public let measured: String
    /// The verdict (e.g. "reproduced", "not reproduced", "differs"), computed, never typed in by hand.
    public let verdict: String

    /// A claim with its measurement and verdict.
    public init(_ claim: String, measured: String, verdict: String) {
        self.claim = claim
        self.measured = measured
        self.verdict = verdict
    }

    /// The claims as `claims.csv` (claim, measured, verdict).
    public static func table(_ claims: [Claim]) -> CSVTable {
        var t = CSVTable(header: ["claim", "measured", "verdict"])
        for c in claims { t.append([.text(c.claim), .text(c.measured), .text(c.verdict)]) }
        return t
    }
}

extension MarkdownReport {
    /// The claims table of a report: the paper's claim, what was measured, the verdict.
    public mutating func claims(_ claims: [Claim], paper: String) {
        table(["claim (\(paper))", "measured here", "verdict"], claims.map { [$0.claim, $0.measured, $0.verdict] })
    }
}
