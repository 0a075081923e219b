/// Receiver operating characteristic summaries of scores against binary truth.
public enum ROC {
    /// Area under the ROC curve: the probability that a random positive scores above a random
    /// negative, ties counting one half (Mann-Whitney U with mid-ranks). NaN when either class is empty.
    public static func auc(scores: [Double], positives: [Bool]) -> Double {
        precondition(scores.count == positives.count, "auc: \(scores.count) scores for \(positives.count) labels")
        let nPos = positives.filter { $0 }.count
        let nNeg = positives.count - nPos
        guard nPos > 0, nNeg > 0 else { return .nan }
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var rankSumPos = 0.0
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && scores[order[j + 1]] == scores[order[i]] { j += 1 }
            let midRank = Double(i + j) / 2 + 1  // ranks are 1-based
            for k in i...j where positives[order[k]] { rankSumPos += midRank }
            i = j + 1
        }
        let u = rankSumPos - Double(nPos) * Double(nPos + 1) / 2
        return u / (Double(nPos) * Double(nNeg))
    }

    /// Macro-averaged one-vs-rest AUC of per-class scores (`scores[i][c]` for row i, class c);
    /// with two classes it is the AUC of class 1. Classes absent from `labels` (or the only
    /// class present) are left out of the average; NaN when none remains.
    public static func oneVsRestAUC(scores: [[Double]], labels: [Int], classCount: Int) -> Double {
        precondition(scores.count == labels.count)
        if classCount == 2 {
            return auc(scores: scores.map { $0[1] }, positives: labels.map { $0 == 1 })
        }
        var total = 0.0
        var counted = 0
        for c in 0..<classCount {
            let a = auc(scores: scores.map { $0[c] }, positives: labels.map { $0 == c })
            if a.isNaN { continue }
            total += a
            counted += 1
        }
        return counted == 0 ? .nan : total / Double(counted)
    }
}
