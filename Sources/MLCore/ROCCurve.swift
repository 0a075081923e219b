/// A receiver operating characteristic curve: the (FPR, TPR) of every threshold on a score, where a higher
/// score means "positive" (member). Ties are one step, never split, so no point depends on the order of
/// tied records.
public struct ROCCurve: Sendable, Equatable {
    /// One point: the share of negatives and of positives scoring at or above `threshold`.
    public struct Point: Sendable, Equatable {
        /// Scores at or above this are called positive (`.infinity` for the first point, where nothing is).
        public let threshold: Double
        /// False-positive rate.
        public let fpr: Double
        /// True-positive rate.
        public let tpr: Double
    }

    /// From (0, 0) at an infinite threshold to (1, 1) at the lowest score, one point per distinct score.
    public let points: [Point]
    /// Positives scored.
    public let positives: Int
    /// Negatives scored.
    public let negatives: Int

    /// The curve of `scores` against `positives`; NaN scores are an error of the caller (checked).
    public init(scores: [Double], positives truth: [Bool]) {
        precondition(scores.count == truth.count, "ROC: \(scores.count) scores for \(truth.count) labels")
        precondition(!scores.contains { $0.isNaN }, "ROC: a score is NaN")
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        let nPos = truth.filter { $0 }.count
        let nNeg = truth.count - nPos
        var points = [Point(threshold: .infinity, fpr: 0, tpr: 0)]
        var tp = 0
        var fp = 0
        var i = 0
        while i < order.count {
            let s = scores[order[i]]
            while i < order.count && scores[order[i]] == s {
                if truth[order[i]] { tp += 1 } else { fp += 1 }
                i += 1
            }
            points.append(
                Point(
                    threshold: s, fpr: nNeg > 0 ? Double(fp) / Double(nNeg) : 0,
                    tpr: nPos > 0 ? Double(tp) / Double(nPos) : 0))
        }
        self.points = points
        positives = nPos
        negatives = nNeg
    }

    /// The area under the curve (trapezoids; equal to the Mann-Whitney AUC with ties counting one half).
    public var auc: Double {
        guard positives > 0, negatives > 0 else { return .nan }
        var area = 0.0
        for k in 1..<points.count {
            area += (points[k].fpr - points[k - 1].fpr) * (points[k].tpr + points[k - 1].tpr) / 2
        }
        return area
    }

    /// The TPR at a false-positive rate of at most `fpr`: the highest TPR among thresholds whose FPR does not
    /// exceed it. No interpolation between points, so the value is one a real threshold achieves (the
    /// convention of Carlini et al.'s code); with `fpr` 0 it is the TPR before the first false positive.
    public func tpr(atFPR fpr: Double) -> Double {
        points.filter { $0.fpr <= fpr + 1e-12 }.map(\.tpr).max() ?? 0
    }

    /// The membership advantage (Yeom et al.): the largest TPR - FPR over all thresholds.
    public var advantage: Double {
        points.map { $0.tpr - $0.fpr }.max() ?? 0
    }

    /// The threshold with the highest balanced accuracy (TPR + 1 - FPR) / 2, the lowest such threshold on ties
    /// broken towards the higher one; a score at or above it is called positive.
    public var bestThreshold: Double {
        var best = points[0]
        for p in points.dropFirst() where p.tpr - p.fpr > best.tpr - best.fpr { best = p }
        return best.threshold
    }
}

/// How a decision rule did: the confusion counts and the rates reports quote.
public struct DecisionScore: Sendable, Equatable {
    /// Positives called positive.
    public let truePositives: Int
    /// Negatives called positive.
    public let falsePositives: Int
    /// Positives in all.
    public let positives: Int
    /// Negatives in all.
    public let negatives: Int

    /// Counts `decisions` against `truth`.
    public init(decisions: [Bool], truth: [Bool]) {
        precondition(decisions.count == truth.count)
        var tp = 0
        var fp = 0
        for (d, t) in zip(decisions, truth) where d {
            if t { tp += 1 } else { fp += 1 }
        }
        truePositives = tp
        falsePositives = fp
        positives = truth.filter { $0 }.count
        negatives = truth.count - positives
    }

    /// Recall, the true-positive rate.
    public var recall: Double { positives > 0 ? Double(truePositives) / Double(positives) : .nan }
    /// The false-positive rate.
    public var falsePositiveRate: Double { negatives > 0 ? Double(falsePositives) / Double(negatives) : .nan }
    /// Precision (NaN when nothing was called positive).
    public var precision: Double {
        truePositives + falsePositives > 0 ? Double(truePositives) / Double(truePositives + falsePositives) : .nan
    }
    /// Balanced accuracy, (TPR + TNR) / 2.
    public var balancedAccuracy: Double { (recall + 1 - falsePositiveRate) / 2 }
}

/// Thresholds chosen on data where the truth is known (shadow models), for scores where higher means positive.
public enum Thresholds {
    /// The threshold with the best balanced accuracy on `scores` against `truth`.
    public static func best(scores: [Double], truth: [Bool]) -> Double {
        ROCCurve(scores: scores, positives: truth).bestThreshold
    }

    /// One best threshold per class (`classes[i]` is record i's class); a class without both positives and
    /// negatives gets the global threshold.
    public static func perClass(scores: [Double], truth: [Bool], classes: [Int], classCount: Int) -> [Double] {
        let global = best(scores: scores, truth: truth)
        var byClass = [[Int]](repeating: [], count: classCount)
        for (i, c) in classes.enumerated() { byClass[c].append(i) }
        return byClass.map { idx in
            let t = idx.map { truth[$0] }
            guard t.contains(true), t.contains(false) else { return global }
            return best(scores: idx.map { scores[$0] }, truth: t)
        }
    }
}
