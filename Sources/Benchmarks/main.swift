// Benchmarks: the machine's SGEMM rate, training time per target model, MI-Face time for all 40
// faces per model at a fixed iteration count (no early stop), and the warfarin experiment's pieces
// (least squares, a functional-mechanism fit, one genotype inversion), with the GFLOP/s each reached.
//
// Run: swift run -c release Benchmarks [--iterations 5000] [--data DIR|URL] [--seed N]

import ArgumentParser
import Datasets
import ExperimentKit
import Foundation
import Learning
import MLCore
import Privacy
import Reporting

struct Benchmarks: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "SGEMM, training, MI-Face and warfarin timings on this machine.")

    @Option(help: "MI-Face iterations per face (every face runs all of them).") var iterations = 5000
    @Option(help: "Iterations of the pixel-space MI-Face (for the speed-up of the factored descent).") var pixelIterations = 100
    @Option(help: "Seed.") var seed: UInt64 = 2015
    @Option(help: "Dataset folder or http(s) URL laid out like data/.") var data: String?

    func validate() throws {
        guard iterations >= 1, pixelIterations >= 1 else { throw ValidationError("--iterations and --pixel-iterations must be at least 1") }
    }

    func run() throws {
        Console.blas(BLASInfo.current())
        var rng = SeededGenerator(seed: seed)

        Console.section(1, "SGEMM")
        var rows: [[String]] = []
        for (m, k, n) in [(1000, 1000, 1000), (280, 10304, 3000), (40, 3000, 3000)] {
            var a = Matrix(rows: m, cols: k)
            var b = Matrix(rows: k, cols: n)
            for i in a.data.indices { a.data[i] = rng.nextUniform() }
            for i in b.data.indices { b.data[i] = rng.nextUniform() }
            var c = Matrix(rows: m, cols: n)
            let (seconds, reps) = timeRepeated { Matrix.gemm(a, .none, b, .none, into: &c) }
            let flops = 2 * Double(m * k * n)
            rows.append(["\(m)x\(k)x\(n)", "OpenBLAS", f(flops / seconds / 1e9), String(format: "%.2f ms", 1000 * seconds), "\(reps)"])
            let (split, reps2) = timeRepeated { Matrix.gemmSplittingColumns(a, b, into: &c, parts: 2) }
            rows.append(["\(m)x\(k)x\(n)", "2 column blocks", f(flops / split / 1e9), String(format: "%.2f ms", 1000 * split), "\(reps2)"])
        }
        Console.table(["shape (m x k x n)", "how", "GFLOP/s", "per call", "calls"], rows)

        Console.section(2, "Training on the AT&T faces (280 images)")
        let faces = try ATTFaces.load(from: DatasetStore(override: data, localRoot: PackageRoot.path("data")))
        let (train, _) = faces.splitPerClass(trainPerClass: 7, using: &rng)
        var models: [(String, Network)] = []
        rows = []
        for (name, net, settings) in [
            (
                "softmax", Network.softmaxRegression(inputs: 10304, classes: 40),
                TrainingSettings(epochs: 100, batchSize: 40, learningRate: 0.01, optimizer: .sgd(momentum: 0.9))
            ),
            (
                "mlp", Network.mlp(inputs: 10304, hidden: 3000, classes: 40, using: &rng),
                TrainingSettings(epochs: 40, batchSize: 40, learningRate: 0.05, l2: 0.01, optimizer: .sgd(momentum: 0.9))
            ),
        ] {
            let start = Date()
            let fitted = try Trainer(settings).fit(net, x: train.images, labels: train.labels, using: &rng)
            let seconds = Date().timeIntervalSince(start)
            // Forward, weight gradient and (beyond the first layer) input gradient: about 3x the forward FLOPs.
            let flops = 3 * net.forwardFLOPsPerRow * Double(train.images.rows * settings.epochs)
            rows.append([name, "\(settings.epochs)", f2(seconds), f(flops / seconds / 1e9)])
            models.append((name, fitted))
        }
        Console.table(["model", "epochs", "seconds", "GFLOP/s"], rows)

        Console.section(3, "MI-Face, 40 faces as one batch, \(iterations) iterations each (no early stop)")
        rows = []
        for (name, net) in models {
            var attack = MIFace()
            attack.alpha = iterations
            attack.stopsEarly = false
            let oracle = try Oracle(net, access: .whiteBox)
            let start = Date()
            _ = try attack.run(labels: Array(0..<40), oracle: oracle)
            let seconds = Date().timeIntervalSince(start)
            let flops = factoredFLOPs(net, faces: 40, iterations: iterations)
            rows.append([
                name, "factored (span of W1)", "\(iterations)", f2(seconds), String(format: "%.4f", seconds / 40),
                f(flops / seconds / 1e9),
            ])

            var pixel = attack
            pixel.alpha = pixelIterations
            pixel.usesFactoredDescent = false
            let start2 = Date()
            _ = try pixel.run(labels: Array(0..<40), oracle: try Oracle(net, access: .whiteBox))
            let perIteration = Date().timeIntervalSince(start2) / Double(pixelIterations + 1)
            let pixelFLOPs = 40 * 3 * net.forwardFLOPsPerRow
            rows.append([
                name, "pixel space (measured over \(pixelIterations), scaled)", "\(iterations)",
                f2(perIteration * Double(iterations + 1)), String(format: "%.4f", perIteration * Double(iterations + 1) / 40),
                f(pixelFLOPs / perIteration / 1e9),
            ])
        }
        Console.table(["model", "descent", "iterations", "seconds (40 faces)", "seconds per face", "GFLOP/s"], rows)
        let paper = Published.Fredrikson2015.whiteBoxSecondsPerFace
        Console.line(
            "Paper (their machine and code): \(paper["softmax"] ?? .nan) s per face for softmax, \(paper["mlp"] ?? .nan) s per face for the MLP."
        )

        Console.section(4, "Warfarin: the IWPC cohort (least squares, functional mechanism, genotype inversion)")
        let cohort = try IWPCWarfarin.load(from: DatasetStore(override: data, localRoot: PackageRoot.path("data")))
        let x = IWPCDosing.design(cohort.patients)
        let y = IWPCDosing.target(cohort.patients)
        let n = Double(x.rows)
        let d = Double(x.cols + 1)
        rows = []
        var model = LinearRegression(weights: [], intercept: 0)
        let (ols, olsReps) = try timeRepeatedThrowing { model = try LinearRegression.fit(x: x, y: y) }
        // dgelsd on an n x d system: about 2 n d^2 for the bidiagonal reduction.
        rows.append([
            "least squares (dgelsd)", "\(x.rows) x \(Int(d))", String(format: "%.3f ms", 1000 * ols), f(2 * n * d * d / ols / 1e9),
            "\(olsReps)",
        ])
        let mechanism = FunctionalMechanism(epsilon: 1)
        let (fm, fmReps) = try timeRepeatedThrowing {
            _ = try mechanism.fit(x: x, y: y, bounds: IWPCDosing.publicBounds, targetBounds: IWPCDosing.publicTargetBounds, using: &rng)
        }
        // The objective's Gram matrix x^T x dominates: 2 n d^2.
        rows.append([
            "functional mechanism fit", "\(x.rows) x \(Int(d))", String(format: "%.3f ms", 1000 * fm), f(2 * n * d * d / fm / 1e9),
            "\(fmReps)",
        ])
        let genotyped = cohort.patients.filter { $0.vkorc1 != .unknown }
        let candidates = Matrix(rowVectors: genotyped.flatMap { p in VKORC1.known.map { IWPCDosing.covariates(p, vkorc1: $0) } })
        let attack = RegressionInversion(prior: [1.0 / 3, 1.0 / 3, 1.0 / 3], sigma: Double(model.residualStandardDeviation(x: x, y: y)))
        let observed = IWPCDosing.target(genotyped)
        let (inv, invReps) = try timeRepeatedThrowing {
            _ = try attack.run(RegressionOracle(model, access: .whiteBox), candidates: candidates, observed: observed)
        }
        rows.append([
            "VKORC1 inversion", "\(genotyped.count) patients x 3", String(format: "%.3f ms", 1000 * inv),
            f(2 * Double(candidates.rows) * d / inv / 1e9), "\(invReps)",
        ])
        Console.table(["what", "size", "per call", "GFLOP/s", "calls"], rows)
    }

    func timeRepeatedThrowing(_ body: () throws -> Void) throws -> (Double, Int) {
        var failure: Error?
        let result = timeRepeated {
            do { try body() } catch { failure = error }
        }
        if let failure { throw failure }
        return result
    }

    /// Useful FLOPs of the factored descent: the Gram matrix once, then per iteration and face the
    /// (1 x h)(h x h) product and the forward and backward passes of the layers after the first.
    func factoredFLOPs(_ net: Network, faces: Int, iterations: Int) -> Double {
        let w = net.inputWeights
        let h = Double(w.rows)
        let d = Double(w.cols)
        let rest = net.forwardFLOPsPerRow - 2 * h * d
        return 2 * h * h * d + Double(faces) * Double(iterations + 1) * (2 * h * h + 2 * rest) + Double(faces) * 2 * h * d
    }

    func timeRepeated(_ body: () -> Void) -> (Double, Int) {
        body()
        let start = Date()
        var reps = 0
        while Date().timeIntervalSince(start) < 1 || reps < 3 {
            body()
            reps += 1
        }
        return (Date().timeIntervalSince(start) / Double(reps), reps)
    }

    func f(_ x: Double) -> String { String(format: "%.1f", x) }
    func f2(_ x: Double) -> String { String(format: "%.2f", x) }
}

Benchmarks.main()
