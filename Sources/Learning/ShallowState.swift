import MLCore

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// The parameters, gradients and optimiser memory of one shallow network during training, in flat buffers:
/// `[W1 (inputs x hidden, input-major) | b1 | W2 (classes x hidden) | b2]`, and the buffers of one minibatch.
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
    /// One minibatch: hidden activations, outputs (then their gradients), the hidden gradient, the dropout mask,
    /// the gathered dense inputs, a scratch for noise.
    var activations: [Float] = []
    var outputs: [Float] = []
    var hiddenGradient: [Float] = []
    var mask: [Float] = []
    var gathered: [Float] = []
    var noise: [Float] = []
    /// The current batch's column index (sparse inputs): for feature j, the batch rows holding it are
    /// `colRows[colStart[j]..<colStart[j+1]]`, with their values in `colValues`.
    var colStart: [Int32] = []
    var colRows: [Int32] = []
    var colValues: [Float] = []
    var colFill: [Int32] = []

    var b1: Int { inputs * hidden }
    var w2: Int { inputs * hidden + hidden }
    var b2: Int { inputs * hidden + hidden + classes * hidden }

    init(first: Dense, second: Dense, trainer: ShallowTrainer) {
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

    /// The parameters as a classifier (the first layer transposed back to outputs x inputs).
    var network: NeuralClassifier {
        var w = Matrix(rows: hidden, cols: inputs)
        for i in 0..<inputs {
            for o in 0..<hidden { w[o, i] = params[i * hidden + o] }
        }
        let first = Dense(weight: w, bias: Array(params[b1..<w2]))
        let second = Dense(weight: Matrix(rows: classes, cols: hidden, data: Array(params[w2..<b2])), bias: Array(params[b2...]))
        return NeuralClassifier(Network(layers: [first, trainer.activation, second]))
    }

    /// Grows the minibatch buffers to hold `n` rows.
    mutating func reserve(_ n: Int, dense: Bool) {
        if activations.count < n * hidden {
            activations = [Float](repeating: 0, count: n * hidden)
            outputs = [Float](repeating: 0, count: n * classes)
            hiddenGradient = activations
            mask = activations
        }
        if dense && gathered.count < n * inputs { gathered = [Float](repeating: 0, count: n * inputs) }
    }

    mutating func train(_ data: ShallowInputs, labels: [Int], rows all: [Int], using rng: inout SeededGenerator) throws {
        let s = trainer.settings
        var rows = all
        var validation: [Int] = []
        if let e = trainer.earlyStopping {
            let order = rng.permutation(all.count)
            let held = max(1, min(all.count - 1, Int((Double(all.count) * e.validationShare).rounded())))
            validation = order.prefix(held).map { all[$0] }.sorted()
            rows = order.dropFirst(held).map { all[$0] }.sorted()
        }
        var best = (loss: Float.infinity, params: params, epoch: 0)
        let stepsPerEpoch = max(1, (rows.count + s.batchSize / 2) / s.batchSize)
        for epoch in 1...s.epochs {
            var batches: [[Int]] = []
            if trainer.privacy?.sampling == .poisson {
                let q = Float(s.batchSize) / Float(rows.count)
                for _ in 0..<stepsPerEpoch { batches.append(rows.filter { _ in rng.nextUniform() < q }) }
            } else {
                let order = rng.permutation(rows.count)
                for start in stride(from: 0, to: order.count, by: s.batchSize) {
                    batches.append(order[start..<min(start + s.batchSize, order.count)].map { rows[$0] })
                }
            }
            for batch in batches {
                let loss = trainingStep(data, labels: labels, batch: batch, using: &rng)
                guard loss.isFinite else { throw TrainingError.diverged(epoch: epoch, loss: loss) }
            }
            if let patience = trainer.earlyStopping?.patience {
                let loss = validationLoss(data, labels: labels, rows: validation)
                if loss < best.loss {
                    best = (loss, params, epoch)
                } else if epoch - best.epoch >= patience {
                    break
                }
            }
        }
        if trainer.earlyStopping != nil { params = best.params }
        guard params.allSatisfy({ $0.isFinite }) else { throw TrainingError.diverged(epoch: s.epochs, loss: .nan) }
    }

    /// The mean loss on `rows` with the current parameters (no dropout).
    mutating func validationLoss(_ data: ShallowInputs, labels: [Int], rows: [Int]) -> Float {
        var total: Float = 0
        for start in stride(from: 0, to: rows.count, by: 256) {
            let batch = Array(rows[start..<min(start + 256, rows.count)])
            total += forward(data, labels: labels, batch: batch, training: false) * Float(batch.count)
        }
        return total / Float(max(rows.count, 1))
    }

    /// One optimiser step on a minibatch; returns its mean loss (0 for an empty Poisson batch).
    mutating func trainingStep(_ data: ShallowInputs, labels: [Int], batch: [Int], using rng: inout SeededGenerator) -> Float {
        step += 1
        if trainer.dropout > 0 && !batch.isEmpty { drawMask(batch.count, using: &rng) }
        let loss = batch.isEmpty ? 0 : forward(data, labels: labels, batch: batch, training: true)
        if !batch.isEmpty { backward(data, labels: labels, batch: batch) }
        var noisy = false
        if let p = trainer.privacy, p.noiseMultiplier > 0 {
            let sd = p.noiseMultiplier * p.clip / Float(trainer.settings.batchSize)
            if data.sparse != nil {
                // The first layer's gradient slots are unused (its step reads the batch directly): the noise goes there.
                let first = b1
                grads.withUnsafeMutableBufferPointer { rng.fillNormal($0.baseAddress!, count: first, sigma: sd) }
                addNoise(sd, from: first, using: &rng)
            } else {
                addNoise(sd, from: 0, using: &rng)
            }
            noisy = true
        }
        if let sp = data.sparse {
            sparseFirstLayerStep(sp, batch: batch, noisy: noisy)
        }
        update(firstLayerDone: data.sparse != nil)
        return loss
    }

    /// Adds N(0, sd^2) to every gradient from `start` on.
    mutating func addNoise(_ sd: Float, from start: Int, using rng: inout SeededGenerator) {
        let count = grads.count - start
        if noise.count < count { noise = [Float](repeating: 0, count: count) }
        noise.withUnsafeMutableBufferPointer { n in
            rng.fillNormal(n.baseAddress!, count: count, sigma: sd)
            grads.withUnsafeMutableBufferPointer { g in Kernels.add(count, n.baseAddress!, g.baseAddress! + start) }
        }
    }

    /// Draws the inverted-dropout mask of `n` rows: each hidden unit kept with probability 1 - dropout and then
    /// scaled by its inverse, or zeroed.
    mutating func drawMask(_ n: Int, using rng: inout SeededGenerator) {
        reserve(n, dense: false)
        let keep = 1 - trainer.dropout
        for i in 0..<(n * hidden) { mask[i] = rng.nextUniform() < keep ? 1 / keep : 0 }
    }

    /// The forward pass of a batch into `activations` (times the dropout mask `drawMask` left, in a training step
    /// with dropout) and the softmax cross-entropy gradient of each example (unscaled) into `outputs`. Returns the
    /// mean loss.
    mutating func forward(_ data: ShallowInputs, labels: [Int], batch: [Int], training: Bool) -> Float {
        let n = batch.count
        reserve(n, dense: data.sparse == nil)
        let (h, c, d) = (hidden, classes, inputs)
        let (b1, w2, b2) = (self.b1, self.w2, self.b2)
        let act = trainer.activation
        let masked = training && trainer.dropout > 0
        var loss: Float = 0
        params.withUnsafeBufferPointer { p in
            activations.withUnsafeMutableBufferPointer { a in
                outputs.withUnsafeMutableBufferPointer { o in
                    mask.withUnsafeBufferPointer { mk in
                        let weights = p.baseAddress!
                        let hiddenRows = a.baseAddress!
                        let output = o.baseAddress!
                        // First layer: X_batch W1 + b1, from the non-zeros or by one product.
                        if let sp = data.sparse {
                            sp.rowStart.withUnsafeBufferPointer { rs in
                                sp.columns.withUnsafeBufferPointer { cs in
                                    withOptionalBuffer(sp.values) { vs in
                                        for (r, row) in batch.enumerated() {
                                            Kernels.sparseRow(
                                                h, weights, weights + b1, cs.baseAddress!, vs, Int(rs[row]), Int(rs[row + 1]),
                                                hiddenRows + r * h)
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
                                for r in 0..<n { (hiddenRows + r * h).update(from: weights + b1, count: h) }
                                Kernels.gemm(n, h, d, x.baseAddress!, d, false, weights, h, false, hiddenRows, h, beta: 1)
                            }
                        }
                        act.apply(hiddenRows, n * h)
                        if masked {
                            for i in 0..<(n * h) { hiddenRows[i] *= mk[i] }
                        }
                        // Second layer, then softmax cross-entropy: each example's gradient p - onehot(y).
                        for r in 0..<n { (output + r * c).update(from: weights + b2, count: c) }
                        Kernels.gemm(n, c, h, hiddenRows, h, false, weights + w2, h, true, output, c, beta: 1)
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
                            let scale = 1 / sum
                            for j in 0..<c { row[j] *= scale }
                            row[y] -= 1
                        }
                    }
                }
            }
        }
        return loss / Float(n)
    }

    /// The backward pass of the batch `forward` left: each example's hidden gradient, its weight (its clipping
    /// factor over the expected batch size under DP-SGD, 1 / n otherwise), and the gradients of W2, b2, b1 (and of
    /// W1 for dense inputs; sparse inputs step W1 directly from the weighted hidden gradients).
    mutating func backward(_ data: ShallowInputs, labels: [Int], batch: [Int]) {
        let n = batch.count
        let (h, c, d) = (hidden, classes, inputs)
        let (b1, w2, b2) = (self.b1, self.w2, self.b2)
        let act = trainer.activation
        let dropped = trainer.dropout > 0
        let privacy = trainer.privacy
        let expected = Float(trainer.settings.batchSize)
        params.withUnsafeBufferPointer { p in
            grads.withUnsafeMutableBufferPointer { g in
                activations.withUnsafeBufferPointer { a in
                    outputs.withUnsafeMutableBufferPointer { o in
                        hiddenGradient.withUnsafeMutableBufferPointer { t in
                            mask.withUnsafeBufferPointer { mk in
                                let weights = p.baseAddress!
                                let gradient = g.baseAddress!
                                let hiddenRows = a.baseAddress!
                                let output = o.baseAddress!
                                let dz = t.baseAddress!
                                // dZ1 = (G W2) times the activation's derivative (and the dropout mask).
                                Kernels.gemm(n, h, c, output, c, false, weights + w2, h, false, dz, h, beta: 0)
                                for i in 0..<(n * h) {
                                    if dropped {
                                        let kept = mk[i]
                                        dz[i] = kept == 0 ? 0 : dz[i] * act.derivative(at: hiddenRows[i] / kept) * kept
                                    } else {
                                        dz[i] *= act.derivative(at: hiddenRows[i])
                                    }
                                }
                                // Each example's weight: its clipping factor under DP-SGD (the per-example gradient norm
                                // from the outer-product structure), over the expected batch size; else 1 / n.
                                for r in 0..<n {
                                    var factor = 1 / Float(n)
                                    if let privacy {
                                        var dzNorm: Float = 0
                                        for j in 0..<h { dzNorm += dz[r * h + j] * dz[r * h + j] }
                                        var hNorm: Float = 0
                                        for j in 0..<h { hNorm += hiddenRows[r * h + j] * hiddenRows[r * h + j] }
                                        var oNorm: Float = 0
                                        for j in 0..<c { oNorm += output[r * c + j] * output[r * c + j] }
                                        let norm = ((data.squaredNorms[batch[r]] + 1) * dzNorm + (hNorm + 1) * oNorm).squareRoot()
                                        factor = min(1, privacy.clip / max(norm, 1e-30)) / expected
                                    }
                                    for j in 0..<h { dz[r * h + j] *= factor }
                                    for j in 0..<c { output[r * c + j] *= factor }
                                }
                                // W2 += G^T A, b2 += column sums of G, b1 += column sums of dZ1, W1 += X^T dZ1 (dense).
                                Kernels.gemm(c, h, n, output, c, true, hiddenRows, h, false, gradient + w2, h, beta: 1)
                                for r in 0..<n {
                                    for j in 0..<c { gradient[b2 + j] += output[r * c + j] }
                                    for j in 0..<h { gradient[b1 + j] += dz[r * h + j] }
                                }
                                if data.sparse == nil {
                                    gathered.withUnsafeBufferPointer { x in
                                        Kernels.gemm(d, h, n, x.baseAddress!, d, true, dz, h, false, gradient, h, beta: 1)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Indexes the batch by column (a counting sort of its non-zeros), then steps the first layer's weights from the
    /// weighted hidden gradients, plus the noise in the first layer's gradient slots when `noisy`.
    mutating func sparseFirstLayerStep(_ sp: SparseRows, batch: [Int], noisy: Bool) {
        let d = inputs
        let h = hidden
        var total = 0
        for row in batch { total += Int(sp.rowStart[row + 1] - sp.rowStart[row]) }
        if colRows.count < max(total, 1) { colRows = [Int32](repeating: 0, count: max(total, 1)) }
        if sp.values != nil && colValues.count < max(total, 1) { colValues = [Float](repeating: 0, count: max(total, 1)) }
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
                                    hiddenGradient.withUnsafeBufferPointer { dzp in
                                        grads.withUnsafeMutableBufferPointer { gp in
                                            params.withUnsafeMutableBufferPointer { p in
                                                m.withUnsafeMutableBufferPointer { mp in
                                                    v.withUnsafeMutableBufferPointer { vp in
                                                        Kernels.sparseFirstLayerStep(
                                                            d, h, colStart: cs, colRows: cr, colValues: vals == nil ? nil : cvb.baseAddress,
                                                            dz: dzp.baseAddress!, p: p.baseAddress!, m: mp.baseAddress!, v: vp.baseAddress!,
                                                            optimizer: s.optimizer, lr: s.learningRate, c1: c1, c2: c2, l2: s.l2,
                                                            noise: noisy ? gp.baseAddress! : nil)
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
