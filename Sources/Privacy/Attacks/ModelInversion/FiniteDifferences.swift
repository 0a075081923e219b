import Foundation
import Learning
import MLCore

/// How black-box MI-Face estimates its gradient from the oracle's answers: central differences along pixel
/// blocks, or along random directions in the space of block images.
///
/// The descent moves in the space of images that are constant on s x s pixel blocks (s = 1: every pixel on its own).
/// Along every block (or along each of K random directions of that space) it asks the oracle for the answers at
/// x + h v and x - h v, with v of unit length, so a step costs 1 + 2 x (blocks or K) queries: 20,609 for every pixel
/// of a 92 x 112 face, 337 for 8 x 8 blocks. The estimate is the gradient projected on the block space (each block
/// gets the mean of its pixels' gradients), exact up to O(h^2) along blocks and unbiased up to that along random
/// directions (scaled by blocks / K).
///
/// Reference: Fredrikson, Jha, Ristenpart, CCS 2015, section 5.3 (black-box MI-Face with numeric gradients).
public struct FiniteDifferences: Sendable, Equatable, CustomStringConvertible {
    /// Image width in pixels (blocks tile the image row by row).
    public var width: Int
    /// Image height in pixels.
    public var height: Int
    /// Side of the square pixel blocks moved together (1: every pixel).
    public var blockSize: Int
    /// Random directions per step; nil probes every block along its own axis.
    public var randomDirections: Int?
    /// Length (L2 norm) of each probe, in the model's input units.
    public var step: Float
    /// Seed of the random directions.
    public var seed: UInt64
    /// How many times probes that changed no answer are tried again, each time `growth` times longer.
    public var longerProbes: Int = 3
    /// The factor by which a retried probe is longer.
    public var growth: Int = 4
    /// Orthonormal rows spanning the space the descent moves in, in place of pixel blocks (e.g. principal components
    /// of public faces, for an attacker whose probes must look like faces); nil: pixel blocks.
    public var basis: Matrix?

    /// An estimator for `width x height` images.
    public init(width: Int, height: Int, blockSize: Int = 1, randomDirections: Int? = nil, step: Float = 0.05, seed: UInt64 = 0) {
        self.width = width
        self.height = height
        self.blockSize = blockSize
        self.randomDirections = randomDirections
        self.step = step
        self.seed = seed
    }

    /// Blocks across and down.
    var grid: (across: Int, down: Int) { ((width + blockSize - 1) / blockSize, (height + blockSize - 1) / blockSize) }
    /// Number of blocks.
    public var blockCount: Int { grid.across * grid.down }
    /// The dimension of the space the descent moves in: the basis rows, else the blocks.
    public var dimension: Int { basis?.rows ?? blockCount }
    /// Directions probed per step.
    public var directionCount: Int { randomDirections ?? dimension }
    /// Oracle queries per face and step: the iterate itself and two probes per direction.
    public var queriesPerStep: Int { 1 + 2 * directionCount }

    /// `blocks-8` or `random-50-blocks-4`, as tables and options spell it.
    public var description: String {
        let space = basis.map { "basis-\($0.rows)" } ?? "blocks-\(blockSize)"
        return randomDirections.map { "random-\($0)-\(space)" } ?? space
    }

    func validate() throws {
        guard width >= 1, height >= 1 else { throw AttackError(description: "finite differences: the image is \(width) x \(height)") }
        guard blockSize >= 1, blockSize <= max(width, height) else {
            throw AttackError(description: "finite differences: the block size must be in 1...\(max(width, height)) (got \(blockSize))")
        }
        if let k = randomDirections, k < 1 {
            throw AttackError(description: "finite differences: at least one random direction per step (got \(k))")
        }
        guard step > 0, step.isFinite else {
            throw AttackError(description: "finite differences: the probe length must be positive (got \(step))")
        }
    }

    /// The estimated gradient of the cost of `label` at `x` (pixel space), from the oracle's answers alone.
    public func gradient(at x: [Float], label: Int, cost: InversionCost, oracle: any ClassOracle, client: String = "attacker") throws
        -> [Float]
    {
        try validate()
        let state = try FiniteDifferenceDescent(oracle: oracle, estimator: self, x0: x, count: 1, client: client)
        return try state.evaluate(rows: [0], labels: [label], cost: cost).gradient.row(0)
    }

    /// The block of every pixel (row-major pixels, row-major blocks) and each block's pixel count.
    func blocks() -> (of: [Int], sizes: [Int]) {
        var of = [Int](repeating: 0, count: width * height)
        var sizes = [Int](repeating: 0, count: blockCount)
        for y in 0..<height {
            for x in 0..<width {
                let b = (y / blockSize) * grid.across + x / blockSize
                of[y * width + x] = b
                sizes[b] += 1
            }
        }
        return (of, sizes)
    }
}

/// Black-box descent in pixel space with finite-difference gradients from the oracle: x <- x - lambda * g_hat.
final class FiniteDifferenceDescent: DescentState {
    let oracle: any ClassOracle
    let estimator: FiniteDifferences
    let client: String
    let blockOf: [Int]
    /// The pixels of every block.
    let pixels: [[Int]]
    /// 1 / sqrt(block size): the value a unit block direction takes on each of its pixels.
    let blockScale: [Float]
    var x: Matrix
    var best: Matrix
    var rows: [Int] = []
    var rng: SeededGenerator
    /// The previous step's probe batch, reused when the next one has the same shape.
    var spare: Matrix?
    /// Above this many values a step's probes go to the oracle in several batches (memory, not speed).
    static let maxBatchValues = 64 << 20

    init(oracle: any ClassOracle, estimator: FiniteDifferences, x0: [Float], count: Int, client: String) throws {
        guard estimator.width * estimator.height == oracle.inputSize else {
            throw AttackError(
                description:
                    "finite differences: a \(estimator.width) x \(estimator.height) image has \(estimator.width * estimator.height) "
                    + "pixels; the model takes \(oracle.inputSize) inputs")
        }
        self.oracle = oracle
        self.estimator = estimator
        self.client = client
        let (of, sizes) = estimator.blocks()
        blockOf = of
        var pixels = [[Int]](repeating: [], count: sizes.count)
        for (i, b) in of.enumerated() { pixels[b].append(i) }
        self.pixels = pixels
        blockScale = sizes.map { 1 / Float($0).squareRoot() }
        x = Matrix(rows: count, cols: x0.count)
        for r in 0..<count { x.setRow(r, x0) }
        best = x
        rng = SeededGenerator(seed: estimator.seed)
    }

    /// The directions of one step as rows (unit vectors), or nil for the coordinate directions of pixel blocks.
    private func stepDirections() -> Matrix? {
        if let basis = estimator.basis {
            guard let k = estimator.randomDirections else { return basis }
            var v = Matrix.product(gaussian(k, basis.rows), .none, basis, .none)
            for m in 0..<k {
                let row = v.row(m)
                let inv = 1 / max(row.reduce(0) { $0 + $1 * $1 }.squareRoot(), .leastNormalMagnitude)
                v.setRow(m, row.map { $0 * inv })
            }
            return v
        }
        return estimator.randomDirections.map { randomDirections($0) }
    }

    private func gaussian(_ rows: Int, _ cols: Int) -> Matrix {
        var z = Matrix(rows: rows, cols: cols)
        for i in z.data.indices { z.data[i] = rng.nextNormal() }
        return z
    }

    /// The random directions of one step, unit vectors in pixel space constant on each block.
    private func randomDirections(_ k: Int) -> Matrix {
        let d = x.cols
        var v = Matrix(rows: k, cols: d)
        for m in 0..<k {
            var z = [Float](repeating: 0, count: blockScale.count)
            for j in z.indices { z[j] = rng.nextNormal() * blockScale[j] }
            var norm: Float = 0
            for i in 0..<d {
                let value = z[blockOf[i]]
                v[m, i] = value
                norm += value * value
            }
            let inv = 1 / max(norm.squareRoot(), .leastNormalMagnitude)
            for i in 0..<d { v[m, i] *= inv }
        }
        return v
    }

    func evaluate(rows: [Int], labels: [Int], cost: InversionCost) throws -> DescentEvaluation {
        self.rows = rows
        let d = x.cols
        let k = estimator.directionCount
        let q = estimator.queriesPerStep
        let directions = stepDirections()
        var confidence = [Float](repeating: 0, count: rows.count)
        var costs = [Float](repeating: 0, count: rows.count)
        var flat = [Bool](repeating: true, count: rows.count)
        var queries = [Int](repeating: 0, count: rows.count)
        var gradient = Matrix(rows: rows.count, cols: d)
        // Rows whose probes all came back unchanged try again with probes `growth` times longer (a rounded answer
        // hides small changes), up to `longerProbes` times; each try is one batch and counts every query.
        var pending = Array(rows.indices)
        var h = estimator.step
        for attempt in 0...estimator.longerProbes {
            let batch = probes(pending.map { rows[$0] }, directions: directions, h: h)
            let answers = try ask(batch)
            spare = batch
            func seenCost(_ row: Int, _ label: Int) -> Float {
                let p = answers[row, label]
                return cost == .oneMinusP ? 1 - p : -Foundation.log(max(p, 1e-30))
            }
            var still: [Int] = []
            for (i, r) in pending.enumerated() {
                let label = labels[r]
                let base = i * q
                queries[r] += q
                if attempt == 0 {
                    confidence[r] = answers[base, label]
                    costs[r] = seenCost(base, label)
                }
                // Directional derivatives along each unit direction.
                let slopes = (0..<k).map { m in (seenCost(base + 1 + 2 * m, label) - seenCost(base + 2 + 2 * m, label)) / (2 * h) }
                if slopes.allSatisfy({ $0 == 0 }) {
                    still.append(r)
                    continue
                }
                flat[r] = false
                if let directions {
                    let scale = estimator.randomDirections == nil ? 1 : Float(estimator.dimension) / Float(k)
                    for m in 0..<k where slopes[m] != 0 {
                        let s = scale * slopes[m]
                        for j in 0..<d { gradient[r, j] += s * directions[m, j] }
                    }
                } else {
                    for j in 0..<d { gradient[r, j] = slopes[blockOf[j]] * blockScale[blockOf[j]] }
                }
            }
            pending = still
            if pending.isEmpty { break }
            h *= Float(estimator.growth)
        }
        return DescentEvaluation(confidence: confidence, cost: costs, gradient: gradient, flat: flat, queries: queries)
    }

    /// The batch of probes for the iterates in `slots`: for each, the iterate, then +h v and -h v per direction.
    private func probes(_ slots: [Int], directions: Matrix?, h: Float) -> Matrix {
        let d = x.cols
        let k = estimator.directionCount
        let q = estimator.queriesPerStep
        // Every value is written below, so the last step's batch serves again when the shape is the same (a fresh
        // 100 MB matrix per step spent more time in page faults than in the oracle's product).
        var batch: Matrix
        if let old = spare, old.rows == slots.count * q {
            spare = nil
            batch = old
        } else {
            spare = nil
            batch = Matrix(rows: slots.count * q, cols: d)
        }
        batch.data.withUnsafeMutableBufferPointer { b in
            x.data.withUnsafeBufferPointer { px in
                for (r, slot) in slots.enumerated() {
                    let src = px.baseAddress! + slot * d
                    for probe in 0..<q {
                        (b.baseAddress! + (r * q + probe) * d).update(from: src, count: d)
                    }
                    for m in 0..<k {
                        let plus = b.baseAddress! + (r * q + 1 + 2 * m) * d
                        let minus = plus + d
                        if let directions {
                            directions.data.withUnsafeBufferPointer { v in
                                let dir = v.baseAddress! + m * d
                                for i in 0..<d {
                                    plus[i] += h * dir[i]
                                    minus[i] -= h * dir[i]
                                }
                            }
                        } else {
                            let delta = h * blockScale[m]
                            for i in pixels[m] {
                                plus[i] += delta
                                minus[i] -= delta
                            }
                        }
                    }
                }
            }
        }
        return batch
    }

    /// The oracle's answers to a batch, in one query unless it is too large to hold twice.
    private func ask(_ batch: Matrix) throws -> Matrix {
        let perQuery = max(1, FiniteDifferenceDescent.maxBatchValues / max(batch.cols, 1))
        if batch.rows <= perQuery { return try oracle.query(batch, client: client) }
        var out = Matrix(rows: batch.rows, cols: oracle.classCount)
        var start = 0
        while start < batch.rows {
            let end = min(batch.rows, start + perQuery)
            let part = try oracle.query(batch.rows(Array(start..<end)), client: client)
            out.data.replaceSubrange((start * out.cols)..<(end * out.cols), with: part.data)
            start = end
        }
        return out
    }

    func remember(row r: Int, as k: Int) {
        best.setRow(k, x.row(rows[r]))
    }

    func step(keeping keep: [Int], gradient: Matrix, lambda: Float) {
        let d = x.cols
        for r in keep {
            let slot = rows[r]
            for j in 0..<d { x[slot, j] -= lambda * gradient[r, j] }
        }
    }

    func bestImages() -> Matrix { best }
}
