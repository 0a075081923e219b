import Foundation
import Learning
import MLCore

/// The quantity MI-Face descends for a target label with confidence `p = f_label(x)`.
public enum InversionCost: String, Sendable, CaseIterable, CustomStringConvertible {
    /// `c(x) = 1 - p`, the paper's cost. Its gradient carries a factor `p`, so it vanishes where `p`
    /// starts small (the MLP at x0 = 0), and float32 cannot resolve its changes there.
    case oneMinusP = "one-minus-p"
    /// `c(x) = -log p`: the same minimisers, a gradient that does not vanish with `p`.
    case negativeLogP = "neg-log-p"

    /// The name as options and tables spell it.
    public var description: String { rawValue }
}

/// How to read the paper's stopping threshold gamma.
public enum GammaReading: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Literal: stop when the cost is at most gamma. With `c = 1 - p` and gamma = 0.99 this stops as soon
    /// as `p >= 0.01`, i.e. at once for 40 classes (p starts at 1/40).
    case cost
    /// Stop when the target confidence reaches gamma (`p >= 0.99`), the reading under which the
    /// published parameters make sense; it is the same test for either cost.
    case confidence

    /// The name as options and tables spell it.
    public var description: String { rawValue }
}

/// Why the descent for one label stopped.
public enum StopReason: String, Sendable, CaseIterable {
    /// The gamma threshold was reached.
    case reachedGamma = "gamma"
    /// The cost did not go below the largest of the previous beta costs.
    case noImprovement = "no_improvement"
    /// alpha iterations were taken.
    case maxIterations = "max_iterations"
    /// No probe changed the oracle's answers (a black-box descent left without a direction, e.g. by rounding).
    case flatAnswers = "flat_answers"
    /// Not a descent: a learned inversion model decoded the answer in one pass.
    case decoded
}

/// What an inversion attack made of one class: the image, and what it cost to make it. Every inversion attack
/// (MI-Face white-box, black-box or against a surrogate, in any descent space) returns these, so that scoring,
/// figures and tables take any of them.
public struct Reconstruction: Sendable {
    /// The target class.
    public let label: Int
    /// The lowest-cost iterate, as the model's input (raw model-input values).
    public let image: [Float]
    /// The model's confidence in the label for `image`, as the attacker saw it.
    public let confidence: Float
    /// The cost of `image`.
    public let cost: Float
    /// Descent steps taken before stopping.
    public let iterations: Int
    /// Why it stopped.
    public let stopReason: StopReason
    /// Queries (model evaluations) spent on this class.
    public let queries: Int

    /// Whether the descent never left its start because the answers gave it no direction.
    public var failed: Bool { stopReason == .flatAnswers && iterations == 0 }
}

/// Where MI-Face's iterates live.
public enum DescentSpace: Sendable {
    /// The model's input itself (pixels): x <- Process(x - lambda grad c(x)).
    case pixels
    /// The span of the first layer's weights, x = x0 - a W: exactly the pixel iterates when Process is the
    /// identity, at a fraction of the cost. With a Process the span cannot hold the iterates, and the descent
    /// runs in pixels.
    case firstLayerSpan
    /// The code of a decoder, x = decode(c): c <- Process(c - lambda grad_c c(decode(c))), from `start` (zeros
    /// when nil). Process acts on codes (Process-DAE decodes, denoises, sharpens and re-encodes).
    case latent(Decoder, start: [Float]?)
    /// A code the model itself reads at one of its layers (a DAE classifier's 300-d code): `head` is the model from
    /// that layer on (a white-box attacker splits the model it holds), c <- Process(c - lambda grad_c c(head(c)))
    /// from `start` (zeros when nil), and the images are the best codes decoded by `decoder`. Process-DAE is the
    /// Process of this space.
    case code(head: Network, decoder: Decoder, start: [Float]?)
}

/// MI-Face, white-box model inversion (Algorithm 1 of the paper): gradient descent on the cost of a
/// target label from x0, returning the lowest-cost iterate.
///
/// Reference: M. Fredrikson, S. Jha, T. Ristenpart, "Model Inversion Attacks that Exploit Confidence
/// Information and Basic Countermeasures", CCS 2015, Algorithm 1. doi:10.1145/2810103.2813677
///
/// Deviations:
/// - gamma is read as a confidence threshold by default (`GammaReading.confidence`); the literal
///   reading is available and reported beside it.
/// - The cost `-log p` is offered beside the paper's `1 - p` (see `InversionCost`).
/// - All labels descend together as one batch, each stopping on its own.
/// - Without Process, the descent runs in the span of the first layer's weights (exactly the same
///   iterates: x_i = x0 - a_i W), which is a large constant-factor speed-up; `space` chooses pixels, that span
///   or a decoder's code.
/// - The gradient comes from the served model (a white-box oracle, checked by its type), finite differences of
///   a black-box oracle's answers (section 5.3 of the paper), or a model the attacker holds (a surrogate stolen
///   from the oracle). A black-box cost reads `p` as the oracle shows it, floored at 1e-30 so that a confidence
///   rounded to 0 gives a finite cost; probes that all leave the answers unchanged stop the descent
///   (`StopReason.flatAnswers`).
public struct MIFace: Sendable {
    /// Maximum iterations (alpha).
    public var alpha = 5000
    /// Window of the no-improvement test (beta).
    public var beta = 100
    /// Stopping threshold (gamma), read as `gammaReading` says.
    public var gamma: Float = 0.99
    /// Step size (lambda).
    public var lambda: Float = 0.1
    /// The cost descended.
    public var cost: InversionCost = .oneMinusP
    /// The reading of gamma.
    public var gammaReading: GammaReading = .confidence
    /// When false, neither gamma nor the beta window stops the descent (benchmarks run exactly alpha steps).
    public var stopsEarly = true
    /// Process: applied to every iterate after the step, in the descent's space (identity when nil).
    public var process: (@Sendable (Matrix) -> Matrix)?
    /// Where the iterates of a white-box descent live (black-box descents move in the estimator's space).
    public var space: DescentSpace = .firstLayerSpan

    /// MI-Face with the paper's parameters (alpha 5000, beta 100, gamma 0.99, lambda 0.1).
    public init() {}

    func validate() throws {
        guard alpha >= 0 else { throw AttackError(description: "MI-Face: alpha must be >= 0 (got \(alpha))") }
        guard beta >= 1 else { throw AttackError(description: "MI-Face: beta must be >= 1 (got \(beta))") }
        guard lambda > 0, lambda.isFinite else { throw AttackError(description: "MI-Face: lambda must be positive (got \(lambda))") }
        guard gamma.isFinite else { throw AttackError(description: "MI-Face: gamma must be finite") }
    }

    /// White-box MI-Face: inverts every label in `labels` as one batch with the served model's own gradients,
    /// every evaluation counted by the oracle; `progress(done, total)` reports finished labels. `client` names
    /// the attacker in the oracle's log.
    public func run<M: AffineInputClassifier>(
        labels: [Int], oracle: WhiteBoxOracle<M>, x0: [Float]? = nil, client: String = "attacker",
        progress: (Int, Int) -> Void = { _, _ in }
    ) throws -> [Reconstruction] {
        try descend(labels: labels, model: oracle.model, x0: x0, client: client, progress: progress) {
            oracle.record(queries: $0, client: client)
        }
    }

    /// MI-Face against a model the attacker holds itself (a surrogate stolen from an API): nothing is queried.
    public func run<M: AffineInputClassifier>(
        labels: [Int], holding model: M, x0: [Float]? = nil, progress: (Int, Int) -> Void = { _, _ in }
    ) throws -> [Reconstruction] {
        try descend(labels: labels, model: model, x0: x0, client: "attacker", progress: progress) { _ in }
    }

    /// Black-box MI-Face: every gradient estimated from the oracle's answers by `estimator`, every probe a counted
    /// query; the descent moves in the estimator's space (pixel blocks or its basis).
    public func run(
        labels: [Int], oracle: any ClassOracle, estimator: FiniteDifferences, x0: [Float]? = nil, client: String = "attacker",
        progress: (Int, Int) -> Void = { _, _ in }
    ) throws -> [Reconstruction] {
        try validate()
        try estimator.validate()
        let start = try checked(labels: labels, x0: x0, inputSize: oracle.inputSize, classCount: oracle.classCount)
        let state = try FiniteDifferenceDescent(oracle: oracle, estimator: estimator, x0: start, count: labels.count, client: client)
        return try descend(labels: labels, state: state, progress: progress) { _ in }
    }

    /// The start (x0, zeros when nil) after checking it and the labels against the model's shape.
    private func checked(labels: [Int], x0: [Float]?, inputSize d: Int, classCount: Int) throws -> [Float] {
        let start = x0 ?? [Float](repeating: 0, count: d)
        guard start.count == d else { throw AttackError(description: "MI-Face: x0 has \(start.count) values, the model takes \(d)") }
        if let bad = labels.first(where: { $0 < 0 || $0 >= classCount }) {
            throw AttackError(description: "MI-Face: label \(bad) outside 0..<\(classCount)")
        }
        return start
    }

    /// The start of a descent in a code of `width` values (zeros when nil) after checking it, the labels, and that no
    /// x0 was given (a code descent starts from its start code).
    private func codeStart<M: Classifier>(
        _ code: [Float]?, width: Int, reader: String, space: String, labels: [Int], x0: [Float]?, model: M
    ) throws -> [Float] {
        guard x0 == nil else { throw AttackError(description: "MI-Face: a descent in \(space) starts from its start code, not from x0") }
        _ = try checked(labels: labels, x0: nil, inputSize: model.inputSize, classCount: model.classCount)
        let c0 = code ?? [Float](repeating: 0, count: width)
        guard c0.count == width else {
            throw AttackError(description: "MI-Face: the start code has \(c0.count) values, the \(reader) takes \(width)")
        }
        return c0
    }

    /// The white-box descent in `space` with `model`'s gradients; `count(n)` records n evaluations.
    private func descend<M: AffineInputClassifier>(
        labels: [Int], model: M, x0: [Float]?, client: String, progress: (Int, Int) -> Void, count: (Int) -> Void
    ) throws -> [Reconstruction] {
        try validate()
        let stepper: any DescentState
        switch space {
        case .latent(let decoder, let code):
            guard decoder.outputSize == model.inputSize else {
                throw AttackError(
                    description: "MI-Face: the decoder makes \(decoder.outputSize) values, the model takes \(model.inputSize)")
            }
            let c0 = try codeStart(
                code, width: decoder.codeSize, reader: "decoder", space: "a decoder's code", labels: labels, x0: x0, model: model)
            stepper = LatentDescent(model: model, decoder: decoder, c0: c0, count: labels.count, process: process)
        case .code(let head, let decoder, let code):
            guard head.outputWidth == model.classCount, decoder.codeSize == head.inputWidth, decoder.outputSize == model.inputSize else {
                throw AttackError(
                    description:
                        "MI-Face: the head maps \(head.inputWidth) to \(head.outputWidth) values and the decoder \(decoder.codeSize) to "
                        + "\(decoder.outputSize); the model maps \(model.inputSize) inputs to \(model.classCount) classes")
            }
            let c0 = try codeStart(code, width: head.inputWidth, reader: "head", space: "a code", labels: labels, x0: x0, model: model)
            stepper = CodeDescent(head: head, decoder: decoder, c0: c0, count: labels.count, process: process)
        case .pixels, .firstLayerSpan:
            let start = try checked(labels: labels, x0: x0, inputSize: model.inputSize, classCount: model.classCount)
            if case .firstLayerSpan = space, process == nil {
                // The factored descent runs many small products and splits its one large product across the
                // cores itself, so OpenBLAS stays on one thread: waking its threads for every small product cost
                // more than they saved (the 5000-iteration MLP benchmark went from 54 s to 48 s without them).
                let factored = FactoredDescent(model: model, x0: start, count: labels.count)
                return try BLASInfo.singleThreaded { try descend(labels: labels, state: factored, progress: progress, count: count) }
            }
            stepper = PixelDescent(model: model, x0: start, count: labels.count, process: process)
        }
        return try descend(labels: labels, state: stepper, progress: progress, count: count)
    }

    private func descend(
        labels: [Int], state: any DescentState, progress: (Int, Int) -> Void, count: (Int) -> Void
    ) throws -> [Reconstruction] {
        let n = labels.count
        var history = [[Float]](repeating: [], count: n)
        var bestCost = [Float](repeating: .infinity, count: n)
        var bestConfidence = [Float](repeating: 0, count: n)
        var iterations = [Int](repeating: 0, count: n)
        var reasons = [StopReason?](repeating: nil, count: n)
        var queries = [Int](repeating: 0, count: n)
        var active = Array(0..<n)
        var done = 0
        var i = 0
        while !active.isEmpty {
            let e = try state.evaluate(rows: active, labels: active.map { labels[$0] }, cost: cost)
            count(active.count)
            var stillActive: [Int] = []
            var keep: [Int] = []
            for (r, k) in active.enumerated() {
                queries[k] += e.queries[r]
                let p = e.confidence[r]
                let c = e.cost[r]
                guard c.isFinite else {
                    throw AttackError(description: "MI-Face: the cost for label \(labels[k]) became \(c) at iteration \(i); lower lambda")
                }
                if c < bestCost[k] {
                    bestCost[k] = c
                    bestConfidence[k] = p
                    state.remember(row: r, as: k)
                }
                var reason: StopReason?
                let reached = gammaReading == .cost ? c <= gamma : p >= gamma
                if stopsEarly && reached {
                    reason = .reachedGamma
                } else if e.flat[r] {
                    reason = .flatAnswers
                } else if stopsEarly && history[k].count >= beta && c >= history[k].suffix(beta).max()! {
                    reason = .noImprovement
                } else if i >= alpha {
                    reason = .maxIterations
                }
                if let reason {
                    reasons[k] = reason
                    iterations[k] = i
                    done += 1
                } else {
                    history[k].append(c)
                    if history[k].count > beta { history[k].removeFirst(history[k].count - beta) }
                    stillActive.append(k)
                    keep.append(r)
                }
            }
            if done > 0 { progress(done, n) }
            if !stillActive.isEmpty { state.step(keeping: keep, gradient: e.gradient, lambda: lambda) }
            active = stillActive
            i += 1
        }
        let images = state.bestImages()
        return (0..<n).map { k in
            Reconstruction(
                label: labels[k], image: images.row(k), confidence: bestConfidence[k], cost: bestCost[k],
                iterations: iterations[k], stopReason: reasons[k] ?? .maxIterations, queries: queries[k])
        }
    }

    /// The gradient of the cost with respect to the logits, for each row's label.
    static func logitGradient(_ z: Matrix, labels: [Int], cost: InversionCost) -> Matrix {
        var g = Softmax.rows(z)
        for r in 0..<z.rows {
            let l = labels[r]
            switch cost {
            case .negativeLogP:
                g[r, l] -= 1
            case .oneMinusP:
                let pl = g[r, l]
                for c in 0..<z.cols { g[r, c] *= pl }
                g[r, l] -= pl
            }
        }
        return g
    }
}

/// One evaluation of the active iterates: what the attacker saw and the direction it steps in.
struct DescentEvaluation {
    /// The target label's confidence for each evaluated row.
    var confidence: [Float]
    /// The cost of each evaluated row.
    var cost: [Float]
    /// The gradient of each row's cost, in the state's own coordinates.
    var gradient: Matrix
    /// Rows whose answers gave no direction at all (black-box only).
    var flat: [Bool]
    /// Oracle queries each row cost.
    var queries: [Int]
}

/// The iterates of a batch descent, stored however is cheapest.
protocol DescentState: AnyObject {
    /// Confidences, costs and gradients for the given rows, each descending the cost of its label.
    func evaluate(rows: [Int], labels: [Int], cost: InversionCost) throws -> DescentEvaluation
    /// Marks the current iterate of evaluated row `r` as the best for label slot `k`.
    func remember(row r: Int, as k: Int)
    /// Takes a step on the evaluated rows listed in `keep` (the others stop).
    func step(keeping keep: [Int], gradient: Matrix, lambda: Float)
    /// The best iterate of every label slot, as images.
    func bestImages() -> Matrix
}

extension DescentEvaluation {
    /// The evaluation from a model's logits and gradient: costs from the log-softmax, so that -log p stays exact
    /// where p underflows.
    init(logits: Matrix, gradient: Matrix, labels: [Int], cost: InversionCost) {
        let probs = Softmax.rows(logits)
        let logProbs = Softmax.logRows(logits)
        confidence = labels.enumerated().map { probs[$0.offset, $0.element] }
        self.cost = labels.enumerated().map { r, l in cost == .oneMinusP ? 1 - probs[r, l] : -logProbs[r, l] }
        self.gradient = gradient
        flat = [Bool](repeating: false, count: labels.count)
        queries = [Int](repeating: 1, count: labels.count)
    }
}

/// Plain gradient steps on stored iterates (pixels or codes), Process applied to every moved iterate: the part the
/// pixel and latent descents share. Subclasses say how to evaluate the iterates and how to show the best as images.
class ProcessedDescent {
    let process: (@Sendable (Matrix) -> Matrix)?
    /// One iterate per label slot.
    var x: Matrix
    var best: Matrix
    var rows: [Int] = []

    init(start: [Float], count: Int, process: (@Sendable (Matrix) -> Matrix)?) {
        self.process = process
        x = Matrix(rows: count, cols: start.count)
        for r in 0..<count { x.setRow(r, start) }
        best = x
    }

    /// The iterates of `rows`, remembered for the step that follows.
    func select(_ rows: [Int]) -> Matrix {
        self.rows = rows
        return rows.count == x.rows && rows == Array(0..<x.rows) ? x : x.rows(rows)
    }

    func remember(row r: Int, as k: Int) {
        best.setRow(k, x.row(rows[r]))
    }

    func step(keeping keep: [Int], gradient: Matrix, lambda: Float) {
        var moved = Matrix(rows: keep.count, cols: x.cols)
        for (i, r) in keep.enumerated() {
            var v = x.row(rows[r])
            for j in v.indices { v[j] -= lambda * gradient[r, j] }
            moved.setRow(i, v)
        }
        if let process { moved = process(moved) }
        for (i, r) in keep.enumerated() { x.setRow(rows[r], moved.row(i)) }
    }
}

/// Descent in pixel space: x <- Process(x - lambda * grad c(x)).
final class PixelDescent: ProcessedDescent, DescentState {
    let model: any ClassGradients

    init(model: any ClassGradients, x0: [Float], count: Int, process: (@Sendable (Matrix) -> Matrix)?) {
        self.model = model
        super.init(start: x0, count: count, process: process)
    }

    func evaluate(rows: [Int], labels: [Int], cost: InversionCost) -> DescentEvaluation {
        let (z, g) = model.inputGradient(select(rows)) { MIFace.logitGradient($0, labels: labels, cost: cost) }
        return DescentEvaluation(logits: z, gradient: g, labels: labels, cost: cost)
    }

    func bestImages() -> Matrix { best }
}

/// Descent in the span of the first layer's weights W (h x d): every iterate is x = x0 - a W, so the
/// pre-activations are z = z0 - a G with G = W W^T, and a step is a <- a + lambda * dc/dz.
/// Per iteration this costs an (n x h)(h x h) product instead of two (n x d)(d x h) ones.
final class FactoredDescent: DescentState {
    let model: any AffineInputClassifier
    let x0: [Float]
    let gram: Matrix
    let z0: [Float]
    var a: Matrix
    var best: Matrix
    var rows: [Int] = []
    /// Column blocks of the Gram product, one per core (a fixed count, so results do not depend on the machine).
    static let parts = 2

    init(model: any AffineInputClassifier, x0: [Float], count: Int) {
        self.model = model
        self.x0 = x0
        let w = model.inputWeights
        gram = Matrix.product(w, .none, w, .transposed)
        var z = Matrix.product(Matrix(rows: 1, cols: x0.count, data: x0), .none, w, .transposed)
        z.addRowVector(model.inputBias)
        z0 = z.data
        a = Matrix(rows: count, cols: w.rows)
        best = a
    }

    func evaluate(rows: [Int], labels: [Int], cost: InversionCost) -> DescentEvaluation {
        self.rows = rows
        let ar = a.rows(rows)
        var z = Matrix(rows: rows.count, cols: a.cols)
        for r in 0..<rows.count { z.setRow(r, z0) }
        Matrix.gemmSplittingColumns(ar, gram, into: &z, alpha: -1, beta: 1, parts: FactoredDescent.parts)
        let (logits, g) = model.preactivationGradient(z) { MIFace.logitGradient($0, labels: labels, cost: cost) }
        return DescentEvaluation(logits: logits, gradient: g, labels: labels, cost: cost)
    }

    func remember(row r: Int, as k: Int) {
        best.setRow(k, a.row(rows[r]))
    }

    func step(keeping keep: [Int], gradient: Matrix, lambda: Float) {
        let h = a.cols
        a.data.withUnsafeMutableBufferPointer { pa in
            gradient.data.withUnsafeBufferPointer { pg in
                for r in keep {
                    let dst = pa.baseAddress! + rows[r] * h
                    let src = pg.baseAddress! + r * h
                    for j in 0..<h { dst[j] += lambda * src[j] }
                }
            }
        }
    }

    func bestImages() -> Matrix {
        var x = Matrix(rows: best.rows, cols: x0.count)
        for r in 0..<best.rows { x.setRow(r, x0) }
        Matrix.gemm(best, .none, model.inputWeights, .none, into: &x, alpha: -1, beta: 1)
        return x
    }
}

/// Descent in a decoder's code: x = decode(c), c <- Process(c - lambda * grad_c c(decode(c))), the gradient
/// carried back through the model and then the decoder (the stored iterates are codes).
final class LatentDescent: ProcessedDescent, DescentState {
    let model: any ClassGradients
    let decoder: Decoder

    init(model: any ClassGradients, decoder: Decoder, c0: [Float], count: Int, process: (@Sendable (Matrix) -> Matrix)?) {
        self.model = model
        self.decoder = decoder
        super.init(start: c0, count: count, process: process)
    }

    func evaluate(rows: [Int], labels: [Int], cost: InversionCost) -> DescentEvaluation {
        var logits = Matrix(rows: 0, cols: 0)
        let (_, g) = decoder.network.inputGradient(select(rows)) { images in
            let (z, gx) = model.inputGradient(images) { MIFace.logitGradient($0, labels: labels, cost: cost) }
            logits = z
            return gx
        }
        return DescentEvaluation(logits: logits, gradient: g, labels: labels, cost: cost)
    }

    /// The best codes, decoded.
    func bestImages() -> Matrix { decoder.decode(best) }
}

/// Descent in a code the model reads at one of its layers: c <- Process(c - lambda * grad_c c(head(c))); the
/// best codes are decoded into images.
final class CodeDescent: ProcessedDescent, DescentState {
    let head: Network
    let decoder: Decoder

    init(head: Network, decoder: Decoder, c0: [Float], count: Int, process: (@Sendable (Matrix) -> Matrix)?) {
        self.head = head
        self.decoder = decoder
        super.init(start: c0, count: count, process: process)
    }

    func evaluate(rows: [Int], labels: [Int], cost: InversionCost) -> DescentEvaluation {
        let (z, g) = head.inputGradient(select(rows)) { MIFace.logitGradient($0, labels: labels, cost: cost) }
        return DescentEvaluation(logits: z, gradient: g, labels: labels, cost: cost)
    }

    /// The best codes, decoded.
    func bestImages() -> Matrix { decoder.decode(best) }
}
