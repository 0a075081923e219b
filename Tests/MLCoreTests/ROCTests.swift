import Foundation
import MLCore
import Testing

/// ROC points, AUC, TPR at a false-positive rate, advantage and thresholds, on cases worked by hand.
struct ROCCurveTests {
    @Test func pointsGroupTiesAndTheAreaMatchesMannWhitney() {
        // Scores (member?): 0.9 (yes), 0.8 (no), 0.8 (yes), 0.5 (yes), 0.1 (no).
        let roc = ROCCurve(scores: [0.9, 0.8, 0.8, 0.5, 0.1], positives: [true, false, true, true, false])
        let fprs: [Double] = roc.points.map(\.fpr)
        let tprs: [Double] = roc.points.map(\.tpr)
        #expect(fprs == [0, 0, 0.5, 0.5, 1])
        #expect(tprs == [0, 1.0 / 3, 2.0 / 3, 1, 1])
        #expect(roc.points.map(\.threshold) == [.infinity, 0.9, 0.8, 0.5, 0.1])
        // Pairs: 6 positive-negative pairs; the positives win 4, tie 1 (0.8 with 0.8), lose 1 (0.5 below 0.8): 4.5 / 6.
        #expect(abs(roc.auc - 4.5 / 6) < 1e-12)
        #expect(abs(roc.auc - ROC.auc(scores: [0.9, 0.8, 0.8, 0.5, 0.1], positives: [true, false, true, true, false])) < 1e-12)
    }

    @Test func tprAtAFalsePositiveRateIsWhatARealThresholdAchieves() {
        let roc = ROCCurve(scores: [0.9, 0.8, 0.8, 0.5, 0.1], positives: [true, false, true, true, false])
        #expect(roc.tpr(atFPR: 0) == 1.0 / 3)  // before the first false positive
        #expect(roc.tpr(atFPR: 0.49) == 1.0 / 3)  // no interpolation towards the tied point at FPR 0.5
        #expect(roc.tpr(atFPR: 0.5) == 1)
        #expect(abs(roc.advantage - 0.5) < 1e-12)  // TPR 1 at FPR 0.5
        #expect(roc.bestThreshold == 0.5)
    }

    @Test func degenerateCases() {
        let allTied = ROCCurve(scores: [1, 1, 1, 1], positives: [true, false, true, false])
        #expect(allTied.points.count == 2 && allTied.auc == 0.5 && allTied.tpr(atFPR: 0.1) == 0)
        let perfect = ROCCurve(scores: [3, 2, 1, 0], positives: [true, true, false, false])
        #expect(perfect.auc == 1 && perfect.tpr(atFPR: 0) == 1 && perfect.advantage == 1)
        #expect(ROCCurve(scores: [1, 2], positives: [true, true]).auc.isNaN)
    }

    @Test func decisionScoresAndThresholds() {
        let d = DecisionScore(decisions: [true, true, false, false, true], truth: [true, false, true, false, true])
        #expect(d.truePositives == 2 && d.falsePositives == 1 && d.positives == 3 && d.negatives == 2)
        #expect(abs(d.precision - 2.0 / 3) < 1e-12 && abs(d.recall - 2.0 / 3) < 1e-12)
        #expect(abs(d.balancedAccuracy - (2.0 / 3 + 0.5) / 2) < 1e-12)
        #expect(DecisionScore(decisions: [false], truth: [true]).precision.isNaN)
        // Per class: class 0 separates at 0.6, class 1 at 0.2; a class with one side only takes the global threshold.
        let t = Thresholds.perClass(
            scores: [0.9, 0.6, 0.3, 0.2, 0.1, 0.5], truth: [true, true, false, true, false, true], classes: [0, 0, 0, 1, 1, 2],
            classCount: 3)
        #expect(
            t[0] == 0.6 && t[1] == 0.2
                && t[2] == Thresholds.best(scores: [0.9, 0.6, 0.3, 0.2, 0.1, 0.5], truth: [true, true, false, true, false, true]))
    }

    @Test func theSpreadConventionIsTheSampleStandardDeviation() {
        let s = Statistics.meanAndSpread([1, 2, 3, 4])
        #expect(s.mean == 2.5 && abs(s.sd - (5.0 / 3).squareRoot()) < 1e-12)
        #expect(Statistics.meanAndSpread([7]).sd == 0)
    }
}

/// The vectorised exp, tanh and square root against libm over the ranges training meets.
struct FastMathTests {
    @Test func expTanhAndSqrtAreWithinAFewUnitsInTheLastPlace() {
        var worstExp: Float = 0
        var worstTanh: Float = 0
        var worstSqrt: Float = 0
        var x: Float = -20
        while x < 20 {
            let v = SIMD8<Float>((0..<8).map { x + Float($0) * 0.0013 })
            let e = FastMath.exp(v)
            let t = FastMath.tanh(v)
            let s = FastMath.sqrt(v * v * 3)
            for k in 0..<8 {
                worstExp = max(worstExp, abs(e[k] - expf(v[k])) / expf(v[k]))
                worstTanh = max(worstTanh, abs(t[k] - tanhf(v[k])))
                let root = (v[k] * v[k] * 3).squareRoot()
                if root > 0 { worstSqrt = max(worstSqrt, abs(s[k] - root) / root) }
            }
            x += 0.0117
        }
        #expect(worstExp < 1e-6, "exp: worst relative error \(worstExp)")
        #expect(worstTanh < 2e-7, "tanh: worst absolute error \(worstTanh)")
        #expect(worstSqrt < 3e-7, "sqrt: worst relative error \(worstSqrt)")
        #expect(FastMath.sqrt(SIMD8(repeating: 0)) == SIMD8(repeating: 0))
        var buffer: [Float] = [-100, -1, 0, 1, 100, 0.5, 2, 3, -3]
        buffer.withUnsafeMutableBufferPointer { FastMath.tanh($0.baseAddress!, $0.count) }
        #expect(buffer[0] == -1 && buffer[2] == 0 && buffer[4] == 1 && abs(buffer[8] + tanhf(3)) < 2e-7)
    }
}

/// The vector logarithm, sine and cosine, and the Gaussian deviates of private training.
struct GaussianNoiseTests {
    @Test func logSinAndCosMatchLibm() {
        var worstLog: Float = 0
        var worstTrig: Float = 0
        var x: Float = 1e-7
        while x <= 1 {
            let v = SIMD8<Float>((0..<8).map { x * (1 + Float($0) * 0.01) })
            let l = FastMath.log(v)
            for k in 0..<8 { worstLog = max(worstLog, abs(l[k] - logf(v[k]))) }
            x *= 1.013
        }
        var t: Float = -.pi / 4
        while t <= .pi / 4 {
            let v = SIMD8<Float>((0..<8).map { min(t + Float($0) * 0.0002, .pi / 4) })
            let (s, c) = FastMath.sincos(v)
            for k in 0..<8 { worstTrig = max(worstTrig, abs(s[k] - sinf(v[k])), abs(c[k] - cosf(v[k]))) }
            t += 0.0017
        }
        #expect(worstLog < 2e-6, "log: worst absolute error \(worstLog)")
        #expect(worstTrig < 1e-7, "sin/cos: worst absolute error \(worstTrig)")
    }

    @Test func fillNormalDrawsStandardNormalDeviates() {
        var rng = SeededGenerator(seed: 4)
        let n = 200_003  // not a multiple of 16: the tail path too
        var x = [Float](repeating: .nan, count: n)
        x.withUnsafeMutableBufferPointer { rng.fillNormal($0.baseAddress!, count: n, sigma: 2) }
        #expect(x.allSatisfy { $0.isFinite })
        let z = x.map { Double($0) / 2 }.sorted()
        let mean = z.reduce(0, +) / Double(n)
        let variance = z.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n)
        #expect(abs(mean) < 0.01 && abs(variance - 1) < 0.02)
        // Kolmogorov-Smirnov against the standard normal: D below 1.63 / sqrt(n) (the 1 % critical value).
        var d = 0.0
        for (i, v) in z.enumerated() {
            let cdf = 0.5 * erfc(-v / 2.0.squareRoot())
            d = max(d, abs(cdf - Double(i) / Double(n)), abs(cdf - Double(i + 1) / Double(n)))
        }
        #expect(d < 1.63 / Double(n).squareRoot(), "KS distance \(d)")
        // Tails: about 0.27 % of deviates beyond 3 sigma.
        let beyond = Double(z.filter { abs($0) > 3 }.count) / Double(n)
        #expect(abs(beyond - 0.0027) < 0.0006)
        // Pairs (k, k + 8 of each block of 16) are uniform in angle: each octant of the plane holds an eighth of them
        // (the quadrant bits swap and negate sine and cosine; a slip would empty or double octants).
        var octants = [Int](repeating: 0, count: 8)
        for block in stride(from: 0, to: n - 16, by: 16) {
            for k in 0..<8 {
                let angle = atan2(Double(x[block + k + 8]), Double(x[block + k]))
                octants[min(7, Int((angle + Double.pi) / (Double.pi / 4)))] += 1
            }
        }
        let pairs = Double(octants.reduce(0, +))
        #expect(octants.allSatisfy { abs(Double($0) / pairs - 0.125) < 0.005 }, "\(octants)")
        // The same seed gives the same deviates.
        var again = SeededGenerator(seed: 4)
        var y = [Float](repeating: 0, count: 37)
        y.withUnsafeMutableBufferPointer { again.fillNormal($0.baseAddress!, count: 37, sigma: 2) }
        #expect(Array(x.prefix(32)) == Array(y.prefix(32)))
    }
}

/// Exact binomial bounds against values from an independent implementation (scipy.stats.beta.ppf).
struct BinomialTests {
    @Test func clopperPearsonMatchesReferenceValues() {
        let cases: [(Int, Int, Double, Double, Double)] = [
            (5, 100, 0.05, 0.016_431_879_2, 0.112_834_911_1), (0, 50, 0.05, 0, 0.071_121_736_5),
            (50, 50, 0.05, 0.928_878_263_5, 1), (123, 2505, 0.01, 0.038_648_103_9, 0.061_307_890_3),
            (1, 10, 0.05, 0.002_528_578_5, 0.445_016_117_0),
        ]
        for (k, n, alpha, lo, hi) in cases {
            let (l, u) = Binomial.clopperPearson(successes: k, trials: n, alpha: alpha)
            #expect(abs(l - lo) < 1e-9 && abs(u - hi) < 1e-9, "\(k)/\(n): (\(l), \(u))")
        }
        #expect(abs(Binomial.regularizedBeta(0.3, 2.5, 3.5) - 0.296_752_989_296) < 1e-11)
        #expect(abs(Binomial.regularizedBeta(0.05, 100, 2000) - 0.703_744_045_936) < 1e-10)
    }
}
