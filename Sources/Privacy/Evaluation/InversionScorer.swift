import Learning
import MLCore

/// How one reconstruction scores on every metric.
public struct ImageScore: Sendable {
    /// The nearest training image (standardised) is the subject's.
    public let nearestNeighbourCorrect: Bool
    /// Share of automatic line-ups won (chance 0.2).
    public let lineupAccuracy: Double
    /// The evaluation classifier's top class is the subject.
    public let evaluatorTop1: Bool
    /// The subject is among the evaluation classifier's five top classes.
    public let evaluatorTop5: Bool
    /// SSIM against the subject's mean training face.
    public let ssim: Float
}

/// The means of a set of image scores.
public struct ScoreSummary: Sendable {
    /// Share identified by nearest neighbour.
    public let nearestNeighbour: Double
    /// Mean line-up accuracy.
    public let lineup: Double
    /// Evaluation classifier top-1 rate.
    public let top1: Double
    /// Evaluation classifier top-5 rate.
    public let top5: Double
    /// Mean SSIM.
    public let ssim: Double

    /// Averages `scores`.
    public init(_ scores: [ImageScore]) {
        let n = Double(max(scores.count, 1))
        nearestNeighbour = Double(scores.filter(\.nearestNeighbourCorrect).count) / n
        lineup = scores.map(\.lineupAccuracy).reduce(0, +) / n
        top1 = Double(scores.filter(\.evaluatorTop1).count) / n
        top5 = Double(scores.filter(\.evaluatorTop5).count) / n
        ssim = scores.map { Double($0.ssim) }.reduce(0, +) / n
    }
}

/// Scores reconstructions of subjects with four metrics: nearest training image, automatic line-up,
/// an evaluation classifier that is not the target, and SSIM against the subject's mean face.
public struct InversionScorer: Sendable {
    /// Nearest-neighbour and line-up scoring over the training images.
    public let identification: Identification
    /// A classifier trained separately from the target, on standardised images.
    public let evaluator: NeuralClassifier
    /// Mean training face of each subject.
    public let subjectMeans: Matrix
    /// Image width.
    public let width: Int
    /// Image height.
    public let height: Int
    /// Line-ups per reconstruction.
    public let lineups: Int

    /// A scorer over training images `train` with subjects `labels`.
    public init(train: Matrix, labels: [Int], subjectCount: Int, evaluator: NeuralClassifier, width: Int, height: Int, lineups: Int) {
        identification = Identification(gallery: train, subjects: labels, subjectCount: subjectCount)
        self.evaluator = evaluator
        var means = Matrix(rows: subjectCount, cols: train.cols)
        var counts = [Float](repeating: 0, count: subjectCount)
        for (r, s) in labels.enumerated() {
            counts[s] += 1
            for c in 0..<train.cols { means[s, c] += train[r, c] }
        }
        for s in 0..<subjectCount where counts[s] > 0 {
            for c in 0..<train.cols { means[s, c] /= counts[s] }
        }
        subjectMeans = means
        self.width = width
        self.height = height
        self.lineups = lineups
    }

    /// Scores each row of `images` as a picture of `subjects[row]`.
    public func score(_ images: Matrix, subjects: [Int], using rng: inout SeededGenerator) -> [ImageScore] {
        let logits = evaluator.logits(Identification.standardizedRows(images))
        let distances = identification.distances(images)
        let n = distances.cols
        return (0..<images.rows).map { r in
            let image = images.row(r)
            let s = subjects[r]
            let ranked = Statistics.topK(logits.data[(r * logits.cols)..<((r + 1) * logits.cols)], 5)
            let row = distances.data[(r * n)..<((r + 1) * n)]
            return ImageScore(
                nearestNeighbourCorrect: identification.nearestSubject(distances: row) == s,
                lineupAccuracy: identification.lineupAccuracy(distances: row, subject: s, trials: lineups, using: &rng),
                evaluatorTop1: ranked.first == s,
                evaluatorTop5: ranked.contains(s),
                ssim: SSIM.score(image, subjectMeans.row(s), width: width, height: height))
        }
    }
}
