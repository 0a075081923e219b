import Learning
import MLCore
import Testing

/// Analytic gradients against central finite differences (in Double around Float parameters).
@Suite(.serialized) struct GradientTests {
    func smallNetwork(_ hidden: Activation, seed: UInt64) -> Network {
        var rng = SeededGenerator(seed: seed)
        return Network(layers: [Dense(inputs: 6, outputs: 5, using: &rng), hidden, Dense(inputs: 5, outputs: 4, using: &rng)])
    }

    func batch(_ rng: inout SeededGenerator) -> (Matrix, [Int]) {
        var x = Matrix(rows: 3, cols: 6)
        for i in x.data.indices { x.data[i] = rng.nextUniform() * 2 - 1 }
        return (x, [0, 3, 1])
    }

    func loss(_ net: Network, _ x: Matrix, _ labels: [Int]) -> Double {
        Double(softmaxCrossEntropy(net(x), labels: labels).loss)
    }

    /// `net` with value `i` of tensor `t` of layer `layer` moved by `delta`.
    func nudged(_ net: Network, layer: Int, tensor t: Int, index i: Int, by delta: Float) -> Network {
        var n = net
        n.layers[layer].updateParameter(t) { $0[i] += delta }
        return n
    }

    @Test(arguments: Activation.allCases)
    func parameterGradientsMatchFiniteDifferences(_ hidden: Activation) {
        var rng = SeededGenerator(seed: 3)
        let net = smallNetwork(hidden, seed: 5)
        let (x, labels) = batch(&rng)
        let grads = net.parameterGradients(x) { softmaxCrossEntropy($0, labels: labels).gradient }
        #expect(grads.count == 4)
        let h: Float = 1e-3
        var worst: Double = 0
        var slot = 0
        for (li, layer) in net.layers.enumerated() {
            for (t, shape) in layer.parameterShapes.enumerated() {
                for i in stride(from: 0, to: shape.count, by: t == 0 ? 3 : 1) {
                    let plus = nudged(net, layer: li, tensor: t, index: i, by: h)
                    let minus = nudged(net, layer: li, tensor: t, index: i, by: -h)
                    let numeric = (loss(plus, x, labels) - loss(minus, x, labels)) / Double(2 * h)
                    worst = max(worst, abs(numeric - Double(grads[slot][i])))
                }
                slot += 1
            }
        }
        #expect(slot == 4)
        #expect(worst < 2e-3)
    }

    @Test(arguments: Activation.allCases)
    func inputGradientMatchesFiniteDifferences(_ hidden: Activation) {
        var rng = SeededGenerator(seed: 4)
        let net = smallNetwork(hidden, seed: 6)
        let (x, labels) = batch(&rng)
        let (_, g) = net.inputGradient(x) { softmaxCrossEntropy($0, labels: labels).gradient }
        #expect(worstCentralDifference(at: x, analytic: g) { loss(net, $0, labels) } < 2e-3)
    }

    /// The gradient with respect to the input of a middle layer is the finite difference of the loss of the rest of
    /// the network at that layer's input.
    @Test func gradientAtAnyLayerMatchesFiniteDifferences() {
        var rng = SeededGenerator(seed: 12)
        let net = smallNetwork(.tanh, seed: 13)
        let (x, labels) = batch(&rng)
        let hidden = net.activations(x)[2]
        let rest = Network(layers: Array(net.layers[2...]))
        let (out, g) = net.inputGradient(hidden, from: 2) { softmaxCrossEntropy($0, labels: labels).gradient }
        #expect(out == net(x))
        #expect(worstCentralDifference(at: hidden, analytic: g) { loss(rest, $0, labels) } < 2e-3)
    }

    @Test func preactivationGradientTimesWeightsIsTheInputGradient() {
        var rng = SeededGenerator(seed: 8)
        let net = NeuralClassifier(smallNetwork(.sigmoid, seed: 9))
        let (x, labels) = batch(&rng)
        let lg: (Matrix) -> Matrix = { softmaxCrossEntropy($0, labels: labels).gradient }
        let (logits, gx) = net.inputGradient(x, logitGradient: lg)
        var z = Matrix.product(x, .none, net.inputWeights, .transposed)
        z.addRowVector(net.inputBias)
        let (logits2, gz) = net.preactivationGradient(z, logitGradient: lg)
        let viaZ = Matrix.product(gz, .none, net.inputWeights, .none)
        #expect(zip(logits.data, logits2.data).allSatisfy { abs($0 - $1) < 1e-5 })
        #expect(zip(gx.data, viaZ.data).allSatisfy { abs($0 - $1) < 1e-5 })
    }

    @Test func softmaxIsStableAndNormalised() {
        let p = Softmax.rows(Matrix(rowVectors: [[1000, 1001, 999], [-5, 0, 5]]))
        for r in 0..<2 { #expect(abs(p.row(r).reduce(0, +) - 1) < 1e-5) }
        #expect(p[0, 1] > p[0, 0] && p[0, 0] > p[0, 2])
        let lp = Softmax.logRows(Matrix(rowVectors: [[1000, 1001, 999]]))
        #expect(lp.data.allSatisfy { $0.isFinite && $0 <= 0 })
    }
}
