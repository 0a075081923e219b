import MLCore

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// Training rows stored once and shared by every model trained on them: dense, or sparse when that pays.
public struct ShallowInputs: Sendable {
    /// The rows as a dense matrix (always kept: gathering a dense batch, evaluation).
    public let dense: Matrix
    /// The same rows in compressed sparse form, when most entries are zero.
    public let sparse: SparseRows?

    /// Stores `x`; `sparse` nil decides by density (`SparseRows.pays`).
    public init(_ x: Matrix, sparse: Bool? = nil) {
        dense = x
        self.sparse = (sparse ?? SparseRows.pays(for: x)) ? SparseRows(x) : nil
    }
}

/// Fast training of the networks membership-inference experiments train by the dozen: one hidden layer,
/// `inputs -> hidden (activation) -> classes`, softmax cross-entropy, minibatches, Adam or SGD with momentum,
/// L2 on the weights. The same model and the same steps as `Trainer` on `Network.mlp`-shaped networks (a
/// test holds the two to float tolerance), made cheap where it matters:
/// - the first layer never computes a gradient with respect to its input;
/// - a sparse input (binary Location features, one-hot Adult, MNIST's black background) enters through its
///   non-zeros only, in the forward product and in the weight gradient;
/// - the first layer's weights are kept input-major, so a non-zero feature adds one contiguous row;
/// - every parameter lives in one buffer, so one pass of the optimiser updates them all.
public struct ShallowTrainer: Sendable {
    /// Hidden units.
    public let hidden: Int
    /// The hidden layer's non-linearity: `.tanh`, `.sigmoid` or `.relu`.
    public let activation: Layer
    /// Epochs, batch size, learning rate, L2, optimiser.
    public let settings: TrainingSettings

    /// A trainer for networks with `hidden` units and this activation.
    public init(hidden: Int, activation: Layer = .tanh, settings: TrainingSettings) {
        self.hidden = hidden
        self.activation = activation
        self.settings = settings
    }

    /// The network a fit starts from, drawn from `rng` exactly as `Network.mlp` would (Glorot-uniform, zero bias).
    public func initialNetwork(inputs: Int, classes: Int, using rng: inout SeededGenerator) -> Network {
        Network(layers: [
            .dense(Dense(inputs: inputs, outputs: hidden, using: &rng)), activation,
            .dense(Dense(inputs: hidden, outputs: classes, using: &rng)),
        ])
    }

    /// Trains a fresh network on the rows `subset` of `data` (all rows when nil); the random start and the
    /// minibatch order come from `rng`.
    public func fit(
        _ data: ShallowInputs, labels: [Int], subset: [Int]? = nil, classCount: Int, using rng: inout SeededGenerator
    ) throws -> Network {
        try settings.validate()
        guard hidden >= 1 else { throw TrainingError.invalidSetting("hidden units must be at least 1 (got \(hidden))") }
        switch activation {
        case .tanh, .sigmoid, .relu: break
        case .dense: throw TrainingError.invalidSetting("the hidden activation must be tanh, sigmoid or relu")
        }
        let rows = subset ?? Array(0..<data.dense.rows)
        guard !rows.isEmpty else { throw TrainingError.shapeMismatch("no rows to train on") }
        guard labels.count == data.dense.rows else {
            throw TrainingError.shapeMismatch("\(data.dense.rows) rows but \(labels.count) labels")
        }
        if let bad = rows.first(where: { $0 < 0 || $0 >= data.dense.rows }) {
            throw TrainingError.shapeMismatch("row \(bad) outside 0..<\(data.dense.rows)")
        }
        if let bad = rows.map({ labels[$0] }).first(where: { $0 < 0 || $0 >= classCount }) {
            throw TrainingError.shapeMismatch("label \(bad) outside 0..<\(classCount)")
        }
        var state = ShallowState(initialNetwork(inputs: data.dense.cols, classes: classCount, using: &rng), trainer: self)
        try state.train(data, labels: labels, rows: rows, using: &rng)
        return state.network
    }
}

/// The parameters, gradients and optimiser memory of one shallow network during training, in flat buffers:
/// `[W1 (inputs x hidden, input-major) | b1 | W2 (classes x hidden) | b2]`.
struct ShallowState {
    let inputs: Int
    let hidden: Int
    let classes: Int
    let trainer: ShallowTrainer
    var params: [Float]
    var grads: [Float]
    var m: [Float]
    var v: [Float]
    var step = 0
    /// The current batch's column index (sparse inputs): for feature j, the batch rows holding it are
    /// `colRows[colStart[j]..<colStart[j+1]]`, with their values in `colValues`.
    var colStart: [Int32] = []
    var colRows: [Int32] = []
    var colValues: [Float] = []
    var colFill: [Int32] = []

    var w1: Int { 0 }
    var b1: Int { inputs * hidden }
    var w2: Int { inputs * hidden + hidden }
    var b2: Int { inputs * hidden + hidden + classes * hidden }

    init(_ start: Network, trainer: ShallowTrainer) {
        guard case .dense(let first) = start.layers[0], case .dense(let second) = start.layers[2] else {
            preconditionFailure("a shallow network is dense, activation, dense")
        }
        inputs = first.inputs
        hidden = first.outputs
        classes = second.outputs
        self.trainer = trainer
        var p = [Float](repeating: 0, count: inputs * hidden + hidden + classes * hidden + classes)
        for o in 0..<hidden {
            for i in 0..<inputs { p[i * hidden + o] = first.weight[o, i] }
        }
        p.replaceSubrange((inputs * hidden)..<(inputs * hidden + hidden), with: first.bias)
        p.replaceSubrange((inputs * hidden + hidden)..<(inputs * hidden + hidden + classes * hidden), with: second.weight.data)
        p.replaceSubrange((inputs * hidden + hidden + classes * hidden)..<p.count, with: second.bias)
        params = p
        grads = [Float](repeating: 0, count: p.count)
        m = grads
        v = grads
        colStart = [Int32](repeating: 0, count: inputs + 1)
    }

    /// The parameters as a `Network` (the first layer transposed back to outputs x inputs).
    var network: Network {
        var w = Matrix(rows: hidden, cols: inputs)
        for i in 0..<inputs {
            for o in 0..<hidden { w[o, i] = params[i * hidden + o] }
        }
        let first = Dense(weight: w, bias: Array(params[b1..<w2]))
        let second = Dense(weight: Matrix(rows: classes, cols: hidden, data: Array(params[w2..<b2])), bias: Array(params[b2...]))
        return Network(layers: [.dense(first), trainer.activation, .dense(second)])
    }

    mutating func train(_ data: ShallowInputs, labels: [Int], rows: [Int], using rng: inout SeededGenerator) throws {
        let s = trainer.settings
        let batchCapacity = min(s.batchSize, rows.count)
        var z1 = [Float](repeating: 0, count: batchCapacity * hidden)
        var z2 = [Float](repeating: 0, count: batchCapacity * classes)
        var dz = z1
        var gathered = data.sparse == nil ? [Float](repeating: 0, count: batchCapacity * inputs) : []
        for epoch in 1...s.epochs {
            let order = rng.permutation(rows.count)
            var total: Float = 0
            var batches = 0
            for start in stride(from: 0, to: order.count, by: s.batchSize) {
                let batch = order[start..<min(start + s.batchSize, order.count)].map { rows[$0] }
                let loss = forwardBackward(data, labels: labels, batch: batch, z1: &z1, z2: &z2, dz: &dz, gathered: &gathered)
                guard loss.isFinite else { throw TrainingError.diverged(epoch: epoch, loss: loss) }
                total += loss
                batches += 1
                update(firstLayerDone: data.sparse != nil)
            }
            _ = total / Float(max(batches, 1))
        }
        guard params.allSatisfy({ $0.isFinite }) else { throw TrainingError.diverged(epoch: s.epochs, loss: .nan) }
    }

    /// One minibatch: forward pass, loss, and the mean gradient of every parameter into `grads` (which the
    /// update clears). Returns the mean loss.
    mutating func forwardBackward(
        _ data: ShallowInputs, labels: [Int], batch: [Int], z1: inout [Float], z2: inout [Float], dz: inout [Float],
        gathered: inout [Float]
    ) -> Float {
        step += 1
        let n = batch.count
        let (h, c, d) = (hidden, classes, inputs)
        let (b1, w2, b2) = (self.b1, self.w2, self.b2)
        let act = trainer.activation
        var loss: Float = 0
        params.withUnsafeMutableBufferPointer { p in
            grads.withUnsafeMutableBufferPointer { g in
                z1.withUnsafeMutableBufferPointer { a in
                    z2.withUnsafeMutableBufferPointer { o in
                        let weights = p.baseAddress!
                        let gradient = g.baseAddress!
                        let hidden = a.baseAddress!
                        let output = o.baseAddress!
                        // First layer: hidden = X_batch W1 + b1, from the non-zeros or by one product.
                        if let sp = data.sparse {
                            sp.rowStart.withUnsafeBufferPointer { rs in
                                sp.columns.withUnsafeBufferPointer { cs in
                                    withOptionalBuffer(sp.values) { vs in
                                        for (r, row) in batch.enumerated() {
                                            Kernels.sparseRow(
                                                h, weights, weights + b1, cs.baseAddress!, vs, Int(rs[row]), Int(rs[row + 1]),
                                                hidden + r * h)
                                        }
                                    }
                                }
                            }
                        } else {
                            gathered.withUnsafeMutableBufferPointer { x in
                                data.dense.data.withUnsafeBufferPointer { src in
                                    for (r, row) in batch.enumerated() {
                                        (x.baseAddress! + r * d).update(from: src.baseAddress! + row * d, count: d)
                                    }
                                }
                                for r in 0..<n { (hidden + r * h).update(from: weights + b1, count: h) }
                                Kernels.gemm(n, h, d, x.baseAddress!, d, false, weights, h, false, hidden, h, beta: 1)
                            }
                        }
                        Kernels.activate(act, hidden, n * h)
                        // Second layer: output = hidden W2^T + b2, then the softmax cross-entropy gradient (mean over the batch).
                        for r in 0..<n { (output + r * c).update(from: weights + b2, count: c) }
                        Kernels.gemm(n, c, h, hidden, h, false, weights + w2, h, true, output, c, beta: 1)
                        let inv = 1 / Float(n)
                        for r in 0..<n {
                            let row = output + r * c
                            var mx = -Float.infinity
                            for j in 0..<c { mx = max(mx, row[j]) }
                            var sum: Float = 0
                            for j in 0..<c {
                                row[j] = expf(row[j] - mx)
                                sum += row[j]
                            }
                            let y = labels[batch[r]]
                            loss -= logf(max(row[y] / sum, 1e-30))
                            let scale = inv / sum
                            for j in 0..<c { row[j] *= scale }
                            row[y] -= inv
                        }
                        // Gradients: W2 += output^T hidden, b2 += column sums of output; then back through W2 and the activation.
                        Kernels.gemm(c, h, n, output, c, true, hidden, h, false, gradient + w2, h, beta: 1)
                        for r in 0..<n {
                            for j in 0..<c { gradient[b2 + j] += output[r * c + j] }
                        }
                        // dZ1 = (output W2) times the activation's derivative, written over hidden (no longer needed).
                        dz.withUnsafeMutableBufferPointer { t in
                            let product = t.baseAddress!
                            Kernels.gemm(n, h, c, output, c, false, weights + w2, h, false, product, h, beta: 0)
                            Kernels.derivative(act, hidden, n * h)
                            for i in 0..<(n * h) { hidden[i] *= product[i] }
                        }
                        for r in 0..<n {
                            let row = hidden + r * h
                            for j in 0..<h { gradient[b1 + j] += row[j] }
                        }
                        // First-layer weights: for sparse rows, updated here feature by feature from dZ1 (no
                        // gradient buffer); for dense rows, W1 += X^T dZ1 by one product and the common update.
                        if data.sparse != nil {
                        } else {
                            gathered.withUnsafeBufferPointer { x in
                                Kernels.gemm(d, h, n, x.baseAddress!, d, true, hidden, h, false, gradient, h, beta: 1)
                            }
                        }
                    }
                }
            }
        }
        if let sp = data.sparse {
            sparseFirstLayerStep(sp, batch: batch, dz: z1)
        }
        return loss / Float(n)
    }

    /// Indexes the batch by column (a counting sort of its non-zeros), then steps the first layer's weights from dZ1.
    mutating func sparseFirstLayerStep(_ sp: SparseRows, batch: [Int], dz: [Float]) {
        let d = inputs
        let h = hidden
        var total = 0
        for row in batch { total += Int(sp.rowStart[row + 1] - sp.rowStart[row]) }
        if colRows.count < total { colRows = [Int32](repeating: 0, count: total) }
        if sp.values != nil && colValues.count < total { colValues = [Float](repeating: 0, count: total) }
        if colFill.count < d { colFill = [Int32](repeating: 0, count: d) }
        let s = trainer.settings
        let c1 = 1 - powf(0.9, Float(step))
        let c2 = 1 - powf(0.999, Float(step))
        sp.rowStart.withUnsafeBufferPointer { rs in
            sp.columns.withUnsafeBufferPointer { cols in
                withOptionalBuffer(sp.values) { vals in
                    colStart.withUnsafeMutableBufferPointer { csb in
                        colFill.withUnsafeMutableBufferPointer { fb in
                            colRows.withUnsafeMutableBufferPointer { crb in
                                colValues.withUnsafeMutableBufferPointer { cvb in
                                    let cs = csb.baseAddress!
                                    let fill = fb.baseAddress!
                                    let cr = crb.baseAddress!
                                    cs.update(repeating: 0, count: d + 1)
                                    for row in batch {
                                        for k in Int(rs[row])..<Int(rs[row + 1]) { cs[Int(cols[k]) + 1] += 1 }
                                    }
                                    for j in 0..<d { cs[j + 1] += cs[j] }
                                    fill.update(from: cs, count: d)
                                    for (r, row) in batch.enumerated() {
                                        for k in Int(rs[row])..<Int(rs[row + 1]) {
                                            let j = Int(cols[k])
                                            let slot = Int(fill[j])
                                            cr[slot] = Int32(r)
                                            if let vals { cvb[slot] = vals[k] }
                                            fill[j] += 1
                                        }
                                    }
                                    dz.withUnsafeBufferPointer { dzp in
                                        params.withUnsafeMutableBufferPointer { p in
                                            m.withUnsafeMutableBufferPointer { mp in
                                                v.withUnsafeMutableBufferPointer { vp in
                                                    Kernels.sparseFirstLayerStep(
                                                        d, h, colStart: cs, colRows: cr, colValues: vals == nil ? nil : cvb.baseAddress,
                                                        dz: dzp.baseAddress!, p: p.baseAddress!, m: mp.baseAddress!, v: vp.baseAddress!,
                                                        optimizer: s.optimizer, lr: s.learningRate, c1: c1, c2: c2, l2: s.l2)
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// One optimiser step over every parameter (L2 on the two weight blocks), clearing the gradients; the first
    /// layer's weights are left out when a sparse batch already stepped them.
    mutating func update(firstLayerDone: Bool) {
        let s = trainer.settings
        let blocks: [(Range<Int>, Float)] = [(0..<b1, s.l2), (b1..<w2, 0), (w2..<b2, s.l2), (b2..<params.count, 0)]
        for (range, l2) in blocks.dropFirst(firstLayerDone ? 1 : 0) {
            switch s.optimizer {
            case .adam:
                let c1 = 1 - powf(0.9, Float(step))
                let c2 = 1 - powf(0.999, Float(step))
                Kernels.adam(&params, &grads, &m, &v, range, lr: s.learningRate, c1: c1, c2: c2, l2: l2)
            case .sgd(let mu):
                // Heavy-ball momentum as `Trainer` does it: velocity = mu * velocity + gradient (+ L2), p -= lr * velocity.
                Kernels.momentum(&params, &grads, &m, range, lr: s.learningRate, mu: mu, l2: l2)
            }
        }
    }
}

/// Calls `body` with a pointer to `values`' storage, or with nil.
@inline(__always)
func withOptionalBuffer<R>(_ values: [Float]?, _ body: (UnsafePointer<Float>?) -> R) -> R {
    guard let values else { return body(nil) }
    return values.withUnsafeBufferPointer { body($0.baseAddress) }
}
