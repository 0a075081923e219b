import Foundation
import MLCore
import Testing

struct RankAndHashTests {
    @Test func spearmanUsesMidRanksForTies() {
        #expect(Statistics.ranks([10, 30, 20, 30]) == [0, 2.5, 1, 2.5])
        // By hand: ranks [0, 1, 2, 3, 4] and [0, 1, 2.5, 4, 2.5]; covariance 8, variances 10 and 9.5.
        let r = Statistics.spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])
        #expect(abs(r - 8 / 95.0.squareRoot()) < 1e-6)
        // Any increasing map leaves it at 1, any decreasing one at -1.
        let x: [Double] = [0.3, -2, 5, 1.5, 0]
        #expect(abs(Statistics.spearman(x, x.map { exp($0) }) - 1) < 1e-6)
        #expect(abs(Statistics.spearman(x, x.map { -$0 * $0 * $0 }) + 1) < 1e-6)
    }

    @Test func theStableHashIsFNV1a() {
        // The published 64-bit FNV-1a test vectors.
        #expect(StableHash.of("") == 0xcbf2_9ce4_8422_2325)
        #expect(StableHash.of("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(StableHash.of("foobar") == 0x8594_4171_f739_67e8)
        #expect(StableHash.of("lira_online") != StableHash.of("lira_offline"))
    }
}
