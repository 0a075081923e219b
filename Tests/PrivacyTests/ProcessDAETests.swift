import Learning
import MLCore
import Privacy
import Testing

/// Process-DAE: decode, denoise, sharpen, re-encode, every iterate of a descent in the code.
@Suite(.serialized) struct ProcessDAETests {
    @Test func processDAEKeepsTheDescentAmongDecodableImagesAndLowersTheCost() throws {
        // An 8 x 8 image world: code j (of 2) lights the left or right half.
        let (w, h) = (8, 8)
        var dec = Matrix(rows: 64, cols: 2)
        for i in 0..<64 { dec[i, (i % 8) < 4 ? 0 : 1] = 1 }
        let decoder = Decoder(Network(layers: [Dense(weight: dec, bias: [Float](repeating: 0, count: 64)), Activation.sigmoid]))
        // The encoder reads the mean brightness of each half back as a code.
        var enc = Matrix(rows: 2, cols: 64)
        for i in 0..<64 { enc[(i % 8) < 4 ? 0 : 1, i] = 4.0 / 32 }
        let encoder = Network(layers: [Dense(weight: enc, bias: [-2, -2])])
        var process = ProcessDAE(encoder: encoder, decoder: decoder, width: w, height: h)
        try process.validate()
        // The head: class 0 likes a bright left half, class 1 a bright right half.
        let head = NeuralClassifier(
            Network(layers: [Dense(weight: Matrix(rows: 2, cols: 2, data: [0.2, -0.2, -0.2, 0.2]), bias: [0, 0])]))
        var a = MIFace()
        a.alpha = 40
        a.lambda = 10
        a.gamma = 2  // never reached: every descent takes alpha steps
        a.cost = .negativeLogP
        a.space = .pixels
        // Without Process the codes run off past anything the encoder makes ([-2, 2] here).
        let free = try a.run(labels: [0, 1], holding: head)
        #expect(free.contains { $0.image.contains { abs($0) > 2.5 } })
        a.process = process.step
        let found = try a.run(labels: [0, 1], holding: head)
        for r in found {
            // The best code is a fixed point of Process up to the filter: decoding it gives an image whose brighter half
            // is the label's.
            let image = process.images(Matrix(rows: 1, cols: 2, data: r.image)).row(0)
            let left = (0..<64).filter { ($0 % 8) < 4 }.map { image[$0] }.reduce(0, +)
            let right = (0..<64).filter { ($0 % 8) >= 4 }.map { image[$0] }.reduce(0, +)
            #expect(r.label == 0 ? left > right : right > left)
            #expect(r.cost < logf(2), "label \(r.label): cost \(r.cost)")
            // Every iterate went through Process, so the best one is a code the encoder makes.
            #expect(r.image.allSatisfy { abs($0) <= 2 + 1e-5 })
        }

        // The same descent in the code of a served DAE-like classifier (encoder then head), through its oracle:
        // the images come back decoded, every evaluation is counted, and the model's brighter half wins.
        let served = NeuralClassifier(encoder.then(head.network))
        let oracle = WhiteBoxOracle(served)
        var inCode = a
        inCode.space = .code(head: head.network, decoder: decoder, start: nil)
        let decoded = try inCode.run(labels: [0, 1], oracle: oracle)
        #expect(oracle.queries == decoded.map(\.queries).reduce(0, +) && oracle.queries == 2 * 41)
        for r in decoded {
            #expect(r.image.count == 64)
            let left = (0..<64).filter { ($0 % 8) < 4 }.map { r.image[$0] }.reduce(0, +)
            let right = (0..<64).filter { ($0 % 8) >= 4 }.map { r.image[$0] }.reduce(0, +)
            #expect(r.label == 0 ? left > right : right > left)
            #expect(served.probabilities(Matrix(rows: 1, cols: 64, data: r.image))[0, r.label] > 0.5)
        }
        // A head or decoder that does not fit the served model is refused, and so is an x0.
        var wrongHead = inCode
        wrongHead.space = .code(
            head: Network(layers: [Dense(weight: Matrix(rows: 3, cols: 2), bias: [0, 0, 0])]), decoder: decoder, start: nil)
        #expect { try wrongHead.run(labels: [0], oracle: oracle) } throws: { "\($0)".contains("head maps 2 to 3") }
        #expect(throws: AttackError.self) { try inCode.run(labels: [0], oracle: oracle, x0: [Float](repeating: 0, count: 64)) }
        // Sizes that do not fit are refused with both numbers.
        process.width = 7
        #expect { try process.validate() } throws: { "\($0)".contains("64") && "\($0)".contains("56") }
    }
}

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif
