import Dispatch
import MLCore

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// The optimiser's memory over a network's parameters, in flat buffers: the gradient (which doubles as SGD's
/// velocity, so one SGD step is a GEMM with beta = momentum and two AXPYs) and Adam's two moments. Every tensor of
/// every layer has one slice, at the same offset in each buffer; parameter-free layers have none.
struct ParameterStore {
    /// One tensor's place in the buffers.
    struct Slot {
        let layer: Int
        let tensor: Int
        let offset: Int
        let count: Int
        let decays: Bool
    }

    let slots: [Slot]
    /// The slots of each layer, by layer index.
    let slotsOfLayer: [[Int]]
    var gradient: [Float]
    var m: [Float]
    var v: [Float]

    init(_ net: Network, optimizer: Optimizer) {
        var slots: [Slot] = []
        var byLayer: [[Int]] = []
        var offset = 0
        for (i, layer) in net.layers.enumerated() {
            var mine: [Int] = []
            for (t, shape) in layer.parameterShapes.enumerated() {
                mine.append(slots.count)
                slots.append(Slot(layer: i, tensor: t, offset: offset, count: shape.count, decays: shape.decays))
                offset += shape.count
            }
            byLayer.append(mine)
        }
        self.slots = slots
        slotsOfLayer = byLayer
        gradient = [Float](repeating: 0, count: offset)
        let moments = optimizer == .adam ? offset : 0
        m = [Float](repeating: 0, count: moments)
        v = [Float](repeating: 0, count: moments)
    }

    /// Gives `body` the gradient slices of layer `i`'s tensors.
    mutating func withGradients(ofLayer i: Int, _ body: ([UnsafeMutableBufferPointer<Float>]) -> Void) {
        let mine = slotsOfLayer[i].map { slots[$0] }
        gradient.withUnsafeMutableBufferPointer { g in
            body(mine.map { UnsafeMutableBufferPointer(rebasing: g[$0.offset..<($0.offset + $0.count)]) })
        }
    }

    /// One optimiser step from the gradients of one minibatch (`step` counts from 1).
    mutating func step(_ net: inout Network, acts: [Matrix], outputGradient: Matrix, settings: TrainingSettings, step: Int) {
        switch settings.optimizer {
        case .sgd(let mu): net.backward(acts, outputGradient: outputGradient, into: &self, beta: mu)
        case .adam: net.backward(acts, outputGradient: outputGradient, into: &self, beta: 0)
        }
        let lr = settings.learningRate
        let c1 = 1 - powf(0.9, Float(step))
        let c2 = 1 - powf(0.999, Float(step))
        // Moved out while the layers are updated, so that each buffer is addressed once (no overlapping access).
        var g = gradient
        var m = self.m
        var v = self.v
        gradient = []
        self.m = []
        self.v = []
        defer {
            gradient = g
            self.m = m
            self.v = v
        }
        g.withUnsafeMutableBufferPointer { g in
            m.withUnsafeMutableBufferPointer { pm in
                v.withUnsafeMutableBufferPointer { pv in
                    for s in slots {
                        let gs = g.baseAddress! + s.offset
                        net.layers[s.layer].updateParameter(s.tensor) { p in
                            switch settings.optimizer {
                            case .sgd where s.decays:
                                // The penalty enters the velocity, and the step is one AXPY (as SGD with weight decay).
                                if settings.l2 > 0 { BLAS.axpy(s.count, settings.l2, UnsafePointer(p.baseAddress!), gs) }
                                BLAS.axpy(s.count, -lr, UnsafePointer(gs), p.baseAddress!)
                            case .sgd:
                                for j in 0..<s.count { p[j] -= lr * gs[j] }
                            case .adam:
                                Self.adam(
                                    p, gs, pm.baseAddress! + s.offset, pv.baseAddress! + s.offset, s.count, lr: lr, c1: c1, c2: c2,
                                    l2: s.decays ? settings.l2 : 0)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Adam (beta1 0.9, beta2 0.999, epsilon 1e-8) on `n` values, with the L2 penalty added to the gradient.
    static func adam(
        _ p: UnsafeMutableBufferPointer<Float>, _ g: UnsafeMutablePointer<Float>, _ m: UnsafeMutablePointer<Float>,
        _ v: UnsafeMutablePointer<Float>, _ n: Int, lr: Float, c1: Float, c2: Float, l2: Float
    ) {
        let a = lr / c1
        let invC2 = 1 / c2
        guard n > 0, let base = p.baseAddress else { return }
        nonisolated(unsafe) let (p, g, m, v) = (base, g, m, v)
        // Each value's update is its own, so a large tensor is split between the cores without changing a bit.
        let chunks = n >= 1 << 20 ? 2 : 1
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            for i in (c * n / chunks)..<((c + 1) * n / chunks) {
                let gi = g[i] + l2 * p[i]
                m[i] = 0.9 * m[i] + 0.1 * gi
                v[i] = 0.999 * v[i] + 0.001 * gi * gi
                p[i] -= a * m[i] / ((v[i] * invC2).squareRoot() + 1e-8)
            }
        }
    }
}
