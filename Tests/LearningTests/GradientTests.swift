import Learning
import MLCore
import Testing

/// Analytic gradients against central finite differences (in Double around Float parameters).
@Suite(.serialized) struct GradientTests {
    func smallNetwork(_ hidden: Layer, seed: UInt64) -> Network {
        var rng = SeededGenerator(seed: seed)
        return Network(layers: [
            .dense(Dense(inputs: 6, outputs: 5, using: &rng)), hidden,
            .dense(Dense(inputs: 5, outputs: 4, using: &rng)),
        ])
    }

    func batch(_ rng: inout SeededGenerator) -> (Matrix, [Int]) {
        var x = Matrix(rows: 3, cols: 6)
        for i in x.data.indices { x.data[i] = rng.nextUniform() * 2 - 1 }
        return (x, [0, 3, 1])
    }

    func loss(_ net: Network, _ x: Matrix, _ labels: [Int]) -> Double {
        Double(softmaxCrossEntropy(net.logits(x), labels: labels).loss)
    }

    @Test(arguments: [Layer.sigmoid, .relu, .tanh])
    func parameterGradientsMatchFiniteDifferences(_ hidden: Layer) {
        var rng = SeededGenerator(seed: 3)
        let net = smallNetwork(hidden, seed: 5)
        let (x, labels) = batch(&rng)
        let acts = net.activations(x)
        var grads = [Dense?](repeating: nil, count: net.layers.count)
        net.backward(acts, logitGradient: softmaxCrossEntropy(acts.last!, labels: labels).gradient, into: &grads)
        let h: Float = 1e-3
        var worst: Double = 0
        for li in [0, 2] {
            guard case .dense(let d) = net.layers[li], let g = grads[li] else {
                Issue.record("no dense layer")
                return
            }
            for i in stride(from: 0, to: d.weight.data.count, by: 3) {
                var plus = net
                var minus = net
                var dp = d
                var dm = d
                dp.weight.data[i] += h
                dm.weight.data[i] -= h
                plus.layers[li] = .dense(dp)
                minus.layers[li] = .dense(dm)
                let numeric = (loss(plus, x, labels) - loss(minus, x, labels)) / Double(2 * h)
                worst = max(worst, abs(numeric - Double(g.weight.data[i])))
            }
            for i in d.bias.indices {
                var plus = net
                var minus = net
                var dp = d
                var dm = d
                dp.bias[i] += h
                dm.bias[i] -= h
                plus.layers[li] = .dense(dp)
                minus.layers[li] = .dense(dm)
                let numeric = (loss(plus, x, labels) - loss(minus, x, labels)) / Double(2 * h)
                worst = max(worst, abs(numeric - Double(g.bias[i])))
            }
        }
        #expect(worst < 2e-3)
    }

    @Test(arguments: [Layer.sigmoid, .relu, .tanh])
    func inputGradientMatchesFiniteDifferences(_ hidden: Layer) {
        var rng = SeededGenerator(seed: 4)
        let net = smallNetwork(hidden, seed: 6)
        let (x, labels) = batch(&rng)
        let (_, g) = net.inputGradient(x) { softmaxCrossEntropy($0, labels: labels).gradient }
        let h: Float = 1e-3
        var worst: Double = 0
        for i in x.data.indices {
            var xp = x
            var xm = x
            xp.data[i] += h
            xm.data[i] -= h
            let numeric = (loss(net, xp, labels) - loss(net, xm, labels)) / Double(2 * h)
            worst = max(worst, abs(numeric - Double(g.data[i])))
        }
        #expect(worst < 2e-3)
    }

    @Test func preactivationGradientTimesWeightsIsTheInputGradient() {
        var rng = SeededGenerator(seed: 8)
        let net = smallNetwork(.sigmoid, seed: 9)
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
