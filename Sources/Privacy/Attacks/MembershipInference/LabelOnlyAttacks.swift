import MLCore

/// A small random change of an input that should not change its class (the label-only attack's probes).
public enum InputPerturbation: Sendable, Equatable {
    /// Each feature of a binary record flipped with this probability (Location).
    case flips(Float)
    /// Gaussian noise of this standard deviation on every feature (standardised tabular data).
    case gaussian(Float)
    /// A random shift of up to `maxShift` pixels each way (edges repeated), and a left-right mirror with
    /// probability one half when `mirror` (images of `width` x `height`).
    case shifts(maxShift: Int, mirror: Bool, width: Int, height: Int)

    /// `copies` perturbed versions of every row, row by row: rows `i * copies ..< (i + 1) * copies` belong to row i.
    public func apply(_ x: Matrix, copies: Int, using rng: inout SeededGenerator) -> Matrix {
        var out = Matrix(rows: x.rows * copies, cols: x.cols)
        for r in 0..<x.rows {
            let source = x.row(r)
            for k in 0..<copies {
                let o = (r * copies + k) * x.cols
                switch self {
                case .flips(let rate):
                    for c in 0..<x.cols { out.data[o + c] = rng.nextUniform() < rate ? 1 - source[c] : source[c] }
                case .gaussian(let sigma):
                    for c in 0..<x.cols { out.data[o + c] = source[c] + sigma * rng.nextNormal() }
                case .shifts(let maxShift, let mirror, let width, let height):
                    let dx = rng.nextInt(below: 2 * maxShift + 1) - maxShift
                    let dy = rng.nextInt(below: 2 * maxShift + 1) - maxShift
                    let flip = mirror && rng.nextInt(below: 2) == 1
                    for y in 0..<height {
                        let sy = min(max(y - dy, 0), height - 1)
                        for xx in 0..<width {
                            var sx = min(max(xx - dx, 0), width - 1)
                            if flip { sx = width - 1 - sx }
                            out.data[o + y * width + xx] = source[sy * width + sx]
                        }
                    }
                }
            }
        }
        return out
    }

    /// Every row of image data mirrored left to right (LiRA's second query).
    public static func mirrored(_ x: Matrix, width: Int, height: Int) -> Matrix {
        precondition(width * height == x.cols, "mirrored: rows of \(x.cols) values are not \(width)x\(height) images")
        var out = x
        for r in 0..<x.rows {
            for y in 0..<height {
                for xx in 0..<width { out.data[r * x.cols + y * width + xx] = x.data[r * x.cols + y * width + (width - 1 - xx)] }
            }
        }
        return out
    }
}

/// The gap attack: a record is called a member when the target classifies it correctly. Its balanced accuracy is
/// (1 + train accuracy - test accuracy) / 2 exactly.
///
/// Reference: Yeom et al., CSF 2018 (the "naive" adversary); C. A. Choquette-Choo, F. Tramer, N. Carlini, N. Papernot,
/// Label-Only Membership Inference Attacks, ICML 2021 (the gap attack baseline).
///
/// Deviations: none.
public struct LabelGapAttack: MembershipAttack {
    /// The attack.
    public init() {}

    /// `label_gap`.
    public var id: MembershipAttackID { .labelGap }
    /// Labels only.
    public var needs: OutputNeed { .labels }

    /// 1 for a correctly classified record, 0 otherwise; one query per record.
    public func run(target: any ClassOracle, audit: MembershipAudit, using rng: inout SeededGenerator) throws -> MembershipScores {
        let (predicted, queries) = try counting(target) { try target.labels(audit.records.features) }
        let correct = zip(predicted, audit.records.labels).map { $0 == $1 }
        return MembershipScores(scores: correct.map { $0 ? 1 : 0 }, decisions: correct, queries: queries)
    }
}

/// The label-only robustness attack: a member stays correctly classified under small perturbations more often than a
/// non-member. The score is the share of the record and its `probes` perturbed copies the target labels correctly;
/// the threshold is the best on the shadow models (whose answers the attacker computes itself, labels only).
///
/// Reference: Choquette-Choo et al., ICML 2021, sections 4.2 (data augmentation) and 4.3 (noise robustness).
///
/// Deviations: the perturbations are random shifts (and mirrors for faces) for images, bit flips for binary records and
/// Gaussian noise for standardised tabular records. The threshold is set once (`calibrated`) on the shadows with
/// perturbations of their own, and serves every target; without calibration each run sets it on the shadows with the
/// perturbations it sends the target.
public struct LabelRobustnessAttack: MembershipAttack {
    /// How a probe changes a record.
    public let perturbation: InputPerturbation
    /// Perturbed copies per record (the queries are 1 + probes per record).
    public let probes: Int
    /// Shadow models the threshold is set on (the first ones; each costs the attacker 1 + probes evaluations per record).
    public var shadowsUsed = 3
    /// The decision threshold set on the shadows, or nil to set it at every run.
    public var threshold: Double?

    /// The attack with these probes.
    public init(perturbation: InputPerturbation, probes: Int) {
        self.perturbation = perturbation
        self.probes = probes
    }

    /// `label_robustness`.
    public var id: MembershipAttackID { .labelRobustness }
    /// Labels only.
    public var needs: OutputNeed { .labels }

    /// The share of correct labels over the record and its probes, thresholded as on the shadows.
    public func run(target: any ClassOracle, audit: MembershipAudit, using rng: inout SeededGenerator) throws -> MembershipScores {
        guard probes >= 1 else { throw AttackError(description: "label_robustness needs at least one probe per record (got \(probes))") }
        guard !audit.shadows.isEmpty else { throw AttackError(description: "label_robustness needs at least one shadow model") }
        let x = audit.records.features
        let labels = audit.records.labels
        let perturbed = perturbation.apply(x, copies: probes, using: &rng)
        func share(_ plain: [Int], _ noisy: [Int]) -> [Double] {
            labels.indices.map { i in
                var correct = plain[i] == labels[i] ? 1 : 0
                for k in 0..<probes where noisy[i * probes + k] == labels[i] { correct += 1 }
                return Double(correct) / Double(probes + 1)
            }
        }
        let (scores, queries) = try counting(target) { share(try target.labels(x), try target.labels(perturbed)) }
        if let threshold { return MembershipScores(scores: scores, threshold: threshold, queries: queries) }
        return MembershipScores(scores: scores, threshold: shadowThreshold(audit, perturbed, share), queries: queries)
    }

    /// The attack with its threshold set once on `audit`'s shadows (perturbations drawn from `rng`), so that runs
    /// against many targets spend the attacker's shadow evaluations once.
    public func calibrated(on audit: MembershipAudit, using rng: inout SeededGenerator) throws -> LabelRobustnessAttack {
        guard probes >= 1 else { throw AttackError(description: "label_robustness needs at least one probe per record (got \(probes))") }
        guard !audit.shadows.isEmpty else { throw AttackError(description: "label_robustness needs at least one shadow model") }
        let x = audit.records.features
        let labels = audit.records.labels
        let perturbed = perturbation.apply(x, copies: probes, using: &rng)
        var copy = self
        copy.threshold = shadowThreshold(audit, perturbed) { plain, noisy in
            labels.indices.map { i in
                var correct = plain[i] == labels[i] ? 1 : 0
                for k in 0..<probes where noisy[i * probes + k] == labels[i] { correct += 1 }
                return Double(correct) / Double(probes + 1)
            }
        }
        return copy
    }

    /// The best threshold on the shadows' scores for these perturbed records.
    func shadowThreshold(_ audit: MembershipAudit, _ perturbed: Matrix, _ share: ([Int], [Int]) -> [Double]) -> Double {
        var shadowScores: [Double] = []
        var shadowTruth: [Bool] = []
        for s in audit.shadows.prefix(shadowsUsed) {
            shadowScores += share(s.model.predict(audit.records.features), s.model.predict(perturbed))
            shadowTruth += s.members
        }
        return Thresholds.best(scores: shadowScores, truth: shadowTruth)
    }
}
