import Foundation
import MLCore
import Testing

@testable import Privacy

/// The DP audit against a mechanism whose privacy is known exactly: randomized response.
struct DPAuditTests {
    /// Randomized response at epsilon: a member reports 1 with probability e^eps / (1 + e^eps), a non-member with
    /// 1 / (1 + e^eps); exactly epsilon-DP, and the threshold at 1 meets the bound TPR = e^eps FPR with equality.
    static func randomizedResponse(epsilon: Double, records: Int, seed: UInt64) -> (scores: [Double], members: [Bool]) {
        var rng = SeededGenerator(seed: seed)
        let p = Foundation.exp(epsilon) / (1 + Foundation.exp(epsilon))
        let members = (0..<records).map { $0 % 2 == 0 }
        let scores = members.map { m -> Double in
            let u = Double(rng.nextUniform())
            return (m ? u < p : u >= p) ? 1 : 0
        }
        return (scores, members)
    }

    @Test func anExactlyPrivateMechanismStaysInsideItsBoundAndIsCaughtUnderAFalseClaim() {
        let (scores, members) = Self.randomizedResponse(epsilon: 1, records: 40_000, seed: 3)
        let honest = DPAudit(scores: scores, members: members, epsilon: 1, delta: 0)
        #expect(!honest.violated)
        // The empirical lower bound comes close to the truth from below (20,000 trials a side).
        #expect(honest.empiricalEpsilon > 0.85 && honest.empiricalEpsilon <= 1, "\(honest.empiricalEpsilon)")
        #expect(abs(honest.largestExcess) < 0.02)
        // Claiming epsilon 0.7 for the same mechanism is caught.
        let false07 = DPAudit(scores: scores, members: members, epsilon: 0.7, delta: 0)
        #expect(false07.violated && false07.largestExcess > 0.05)
        // Nothing to learn: scores independent of membership prove no epsilon.
        let coin = Self.randomizedResponse(epsilon: 0, records: 40_000, seed: 4)
        let none = DPAudit(scores: coin.scores, members: coin.members, epsilon: 0.1, delta: 1e-5)
        #expect(!none.violated && none.empiricalEpsilon < 0.05)
    }

    @Test func theNumbersAtOnePercentOnAHandMadeCurve() {
        // 100 members scoring 50...149, 100 non-members scoring 0...99: the threshold 99 lets one non-member through
        // (FPR 1 %) and members 99...149 (TPR 51 %), far above e^1 x 1 % + delta.
        let scores = (0..<100).map { Double($0) + 50 } + (0..<100).map { Double($0) }
        let members = [Bool](repeating: true, count: 100) + [Bool](repeating: false, count: 100)
        let audit = DPAudit(scores: scores, members: members, epsilon: 1, delta: 1e-5)
        #expect(abs(audit.tprAt1 - 0.51) < 1e-12)
        #expect(abs(audit.boundAt1 - (exp(1) * 0.01 + 1e-5)) < 1e-12)
        #expect(audit.marginAt1 < 0 && audit.violated)
        #expect(audit.tprAt1Interval.lower < 0.51 && audit.tprAt1Interval.upper > 0.51)
    }
}
