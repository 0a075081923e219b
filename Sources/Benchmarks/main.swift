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

/// The parts of the benchmark, each runnable alone with --only.
enum BenchmarkPart: String, CaseIterable, ExpressibleByArgument {
    case sgemm, faces, warfarin, membership, dpsgd, decoders
}

struct Benchmarks: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "Benchmarks", abstract: "SGEMM, training, MI-Face, warfarin and membership-inference timings on this machine.")

    @Option(parsing: .upToNextOption, help: "The parts to run (default: all of sgemm, faces, warfarin, membership, dpsgd, decoders).")
    var only: [BenchmarkPart] = BenchmarkPart.allCases
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
        if only.contains(.sgemm) { sgemm(using: &rng) }
        if only.contains(.faces) { try faces(using: &rng) }
        if only.contains(.warfarin) { try warfarin(using: &rng) }
        if only.contains(.membership) { try membership(using: &rng) }
        if only.contains(.dpsgd) { try dpsgd(using: &rng) }
        if only.contains(.decoders) { try decoders(using: &rng) }
    }

    func sgemm(using rng: inout SeededGenerator) {
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
    }

    func faces(using rng: inout SeededGenerator) throws {
        Console.section(2, "Training on the AT&T faces (280 images)")
        let faces = try ATTFaces.load(from: DatasetStore(override: data, localRoot: PackageRoot.path("data")))
        let (train, _) = faces.splitPerClass(trainPerClass: 7, using: &rng)
        var models: [(String, NeuralClassifier)] = []
        var rows: [[String]] = []
        for (name, net, settings) in [
            (
                "softmax", NeuralClassifier.softmaxRegression(inputs: 10304, classes: 40),
                TrainingSettings(epochs: 100, batchSize: 40, learningRate: 0.01, optimizer: .sgd(momentum: 0.9))
            ),
            (
                "mlp", NeuralClassifier.mlp(inputs: 10304, hidden: 3000, classes: 40, using: &rng),
                TrainingSettings(epochs: 40, batchSize: 40, learningRate: 0.05, l2: 0.01, optimizer: .sgd(momentum: 0.9))
            ),
        ] {
            let start = Date()
            let fitted = try Trainer(settings).fit(net, x: train.images, labels: train.labels, using: &rng)
            let seconds = Date().timeIntervalSince(start)
            // Forward, weight gradient and (beyond the first layer) input gradient: about 3x the forward FLOPs.
            let flops = 3 * net.network.forwardFLOPsPerRow * Double(train.images.rows * settings.epochs)
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
            let oracle = WhiteBoxOracle(net)
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
            pixel.space = .pixels
            let start2 = Date()
            _ = try pixel.run(labels: Array(0..<40), oracle: WhiteBoxOracle(net))
            let perIteration = Date().timeIntervalSince(start2) / Double(pixelIterations + 1)
            let pixelFLOPs = 40 * 3 * net.network.forwardFLOPsPerRow
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
    }

    func warfarin(using rng: inout SeededGenerator) throws {
        Console.section(4, "Warfarin: the IWPC cohort (least squares, functional mechanism, genotype inversion)")
        let cohort = try IWPCWarfarin.load(from: DatasetStore(override: data, localRoot: PackageRoot.path("data")))
        let x = IWPCDosing.design(cohort.patients)
        let y = IWPCDosing.target(cohort.patients)
        let n = Double(x.rows)
        let d = Double(x.cols + 1)
        var rows: [[String]] = []
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
            _ = try attack.run(
                WhiteBoxOracle(model), targets: AttributeTargets(candidates: candidates, valueCount: 3, observed: observed))
        }
        rows.append([
            "VKORC1 inversion", "\(genotyped.count) patients x 3", String(format: "%.3f ms", 1000 * inv),
            f(2 * Double(candidates.rows) * d / inv / 1e9), "\(invReps)",
        ])
        // The ideal classifier (VKORC1 from every other covariate and the dose): Newton to convergence. Each step's
        // Hessian is two products over the patients, (3 d')^2 n and 3 d'^2 n multiply-adds for d' = features + 1.
        let labels = genotyped.map { VKORC1.known.firstIndex(of: $0.vkorc1) ?? 0 }
        let features = Matrix(
            rowVectors: genotyped.map { p in
                let c = IWPCDosing.covariates(p)
                return IWPCDosing.columnNames.indices.filter { !IWPCDosing.columnNames[$0].hasPrefix("vkorc1_") }.map { c[$0] }
                    + [(p.weeklyDoseMg ?? 0).squareRoot()]
            })
        var steps = 0
        let (ideal, idealReps) = try timeRepeatedThrowing {
            steps = try IdealClassifier().fit(x: features, labels: labels, classCount: 3).fit.iterations
        }
        let width = Double(3 * (features.cols + 1))
        let hessianFlops = Double(steps) * 2 * Double(features.rows) * (width * width + width * Double(features.cols + 1))
        rows.append([
            "ideal classifier (Newton, \(steps) steps)", "\(features.rows) x \(features.cols + 1) x 3",
            String(format: "%.3f ms", 1000 * ideal),
            f(hessianFlops / ideal / 1e9), "\(idealReps)",
        ])
        Console.table(["what", "size", "per call", "GFLOP/s", "calls"], rows)
    }

    /// The issue's benchmark: 64 Location models (446 -> 128 tanh -> 30, Adam, 50 epochs, batch 100), each on a
    /// random half (2,505 records), one per core; then every standard attack against 8 of them.
    func membership(using rng: inout SeededGenerator) throws {
        Console.section(5, "Membership inference: 64 Location models, then every attack against 8 targets")
        let data = try Location.load(from: DatasetStore(override: data, localRoot: PackageRoot.path("data")))
        let models = 64
        let halves = (0..<models).map { _ in rng.half(of: data.count) }
        let settings = TrainingSettings(epochs: 50, batchSize: 100, learningRate: 0.001, l2: 1e-6)
        let trainer = ShallowTrainer(hidden: 128, activation: .tanh, settings: settings)
        let inputs = ShallowInputs(data.features)
        let seeds = (0..<models).map { rng.derived(UInt64($0)) }
        var trained = [NeuralClassifier?](repeating: nil, count: models)
        let lock = NSLock()
        let start = Date()
        try Parallel.run(models) { m in
            var r = seeds[m]
            let net = try trainer.fit(inputs, labels: data.labels, subset: halves[m], classCount: 30, using: &r)
            lock.lock()
            trained[m] = net
            lock.unlock()
        }
        let training = Date().timeIntervalSince(start)
        // Dense-equivalent work (what a dense implementation computes): per row and epoch, the forward pass of both
        // layers, both weight gradients and the second layer's input gradient, 2 FLOPs per multiply-add.
        let weights: Double = 446 * 128 + 128 * 30
        let perRow: Double = 4 * weights + 2 * 128 * 30
        let flops = perRow * Double(data.count / 2) * Double(settings.epochs) * Double(models)
        let nonZeros = data.features.data.filter { $0 != 0 }.count
        Console.table(
            ["what", "seconds", "dense-equivalent GFLOP/s", "note"],
            [
                [
                    "train 64 models", f2(training), f(flops / training / 1e9),
                    "\(Parallel.cores) cores, one model each; input \(Format.pct(Double(nonZeros) / Double(data.features.data.count))) non-zero",
                ]
            ])

        let networks = trained.compactMap { $0 }
        let members = halves.map { h -> [Bool] in
            var keep = [Bool](repeating: false, count: data.count)
            for i in h { keep[i] = true }
            return keep
        }
        let population = data.subset(Array(rng.permutation(data.count).prefix(2000)))
        let refStart = Date()
        let references = networks.indices.map {
            ReferenceModel(
                model: networks[$0], members: members[$0], records: data.features, mirrored: nil, population: population.features)
        }
        let answering = Date().timeIntervalSince(refStart)
        let targets = 8
        let shadows = Array(references[targets..<(targets + 10)])
        func audit(_ t: Int) -> MembershipAudit {
            MembershipAudit(
                records: data, references: references.indices.filter { $0 != t }.map { references[$0] }, shadows: shadows,
                population: population, mirroredRecords: nil)
        }
        let attackStart = Date()
        var attackRNG = rng.derived(99)
        let attacks = try MembershipAttacks.standard(audit(0), perturbation: .flips(0.02), probes: 10, mirrored: false, using: &attackRNG)
        let shadowTraining = Date().timeIntervalSince(attackStart)
        var perAttack = [Double](repeating: 0, count: attacks.count)
        for t in 0..<targets {
            let a = audit(t)
            let confidences = try BlackBoxOracle(networks[t])
            let labels = try BlackBoxOracle(networks[t], policy: .labelOnly)
            for (k, attack) in attacks.enumerated() {
                let s = Date()
                _ = try attack.run(target: attack.needs == .labels ? labels : confidences, audit: a, using: &attackRNG)
                perAttack[k] += Date().timeIntervalSince(s)
            }
        }
        let scoring = Date().timeIntervalSince(attackStart)
        var rows = [
            ["answers of 64 models on 5,010 records and 2,000 population samples", f2(answering)],
            ["shadow attack models (shokri: 30 per-class models; ml_leaks)", f2(shadowTraining)],
        ]
        rows += attacks.indices.map { ["\(attacks[$0].name), 8 targets", f2(perAttack[$0])] }
        rows.append(["every attack against 8 targets, in all", f2(scoring)])
        Console.table(["what", "seconds"], rows)
        Console.line(
            "Goal: under 13 s for the training (a PyTorch reference on these 2 cores: 87 s one model after another, 38 s batched).")
    }

    /// DP-SGD against plain training of the same model on the same rows: seconds per epoch on one core, for
    /// Location (sparse binary input) and MNIST (dense pixels); and the Gaussian noise alone, deviates per second.
    func dpsgd(using rng: inout SeededGenerator) throws {
        Console.section(6, "DP-SGD against plain training, one model on one core")
        let store = DatasetStore(override: data, localRoot: PackageRoot.path("data"))
        let location = try Location.load(from: store)
        let mnist = try MNIST.load(from: store)
        let mnistRows = mnist.subset(Array(rng.permutation(mnist.count).prefix(10_000)).sorted())
        var rows: [[String]] = []
        for (name, data, sparse) in [("location", location, true), ("mnist 10,000", mnistRows, false), ("mnist 10,000", mnistRows, true)] {
            let half = rng.half(of: data.count)
            let inputs = ShallowInputs(data.features, sparse: sparse)
            let settings = TrainingSettings(epochs: 5, batchSize: 100, learningRate: 0.001, l2: 1e-6)
            let plain = ShallowTrainer(hidden: 128, activation: .tanh, settings: settings)
            var clipped = plain
            clipped.privacy = PrivateTraining(clip: 1, noiseMultiplier: 0)
            var dp = plain
            dp.privacy = PrivateTraining(clip: 1, noiseMultiplier: 1)
            var seconds: [Double] = []
            for trainer in [plain, clipped, dp] {
                var best = Double.infinity
                for rep in 0..<3 {
                    var r = rng.derived(UInt64(rep))
                    let start = Date()
                    _ = try trainer.fit(inputs, labels: data.labels, subset: half, classCount: data.classCount, using: &r)
                    best = min(best, Date().timeIntervalSince(start) / Double(settings.epochs))
                }
                seconds.append(best)
            }
            rows.append([
                "\(name) (\(sparse ? "sparse" : "dense") input), \(half.count) rows", String(format: "%.4f", seconds[0]),
                String(format: "%.4f", seconds[1]), String(format: "%.4f", seconds[2]), f2(seconds[2] / seconds[0]),
            ])
        }
        Console.table(
            [
                "model: 128 tanh units, Adam, batch 100", "plain s/epoch", "clipping only (Poisson, no noise)", "DP-SGD s/epoch",
                "DP-SGD / plain",
            ], rows)
        var buffer = [Float](repeating: 0, count: 1 << 20)
        var r = rng.derived(7)
        let (perCall, _) = timeRepeated {
            buffer.withUnsafeMutableBufferPointer { r.fillNormal($0.baseAddress!, count: $0.count, sigma: 1) }
        }
        Console.line("Gaussian noise: \(f(Double(buffer.count) / perCall / 1e6)) million deviates per second (vector Box-Muller).")
        Console.line("Goal: DP-SGD at most 1.5x plain training (a per-example backward pass would be 10x or worse).")
    }

    /// The DAE's first layer pre-trained on masked faces, an inversion model's decoder (40 answers -> 1000 -> 10304)
    /// trained on answer rows, and one Process-DAE step on 40 codes.
    func decoders(using rng: inout SeededGenerator) throws {
        Console.section(7, "Decoders: DAE pre-training, an inversion model's decoder, Process-DAE")
        let faces = try ATTFaces.load(from: DatasetStore(override: data, localRoot: PackageRoot.path("data")))
        let (train, _) = faces.splitPerClass(trainPerClass: 7, using: &rng)
        var rows: [[String]] = []

        let epochs = 5
        let masked = TrainingSettings(epochs: epochs, batchSize: 20, learningRate: 1e-3, corruption: .masking(0.25))
        var start = Date()
        let stack = try StackedAutoencoder.pretrain(x: train.images, sizes: [1000], settings: masked, using: &rng)
        var seconds = Date().timeIntervalSince(start)
        let layerFLOPs = stack.encoder.forwardFLOPsPerRow + stack.decoder.network.forwardFLOPsPerRow
        rows.append([
            "DAE layer 10304 -> 1000 -> 10304, masking 0.25", "\(epochs) epochs x 280 faces", f2(seconds),
            f(3 * layerFLOPs * Double(train.images.rows * epochs) / seconds / 1e9),
        ])

        // Answer rows as an inversion model sees them: a softmax of random logits per auxiliary face.
        let n = 2000
        var logits = Matrix(rows: n, cols: 40)
        for i in logits.data.indices { logits.data[i] = 4 * rng.nextNormal() }
        let answers = Softmax.rows(logits)
        let images = train.images.rows((0..<n).map { $0 % train.images.rows })
        let decoder = Decoder(
            Network(layers: [
                Dense(inputs: 40, outputs: 1000, using: &rng), Activation.relu, Dense(inputs: 1000, outputs: 10304, using: &rng),
                Activation.sigmoid,
            ]))
        let decoderEpochs = 3
        start = Date()
        _ = try Trainer(TrainingSettings(epochs: decoderEpochs, batchSize: 64, learningRate: 1e-3)).fit(
            decoder, codes: answers, outputs: images, using: &rng)
        seconds = Date().timeIntervalSince(start)
        rows.append([
            "inversion decoder 40 -> 1000 -> 10304, squared error", "\(decoderEpochs) epochs x \(n) answers", f2(seconds),
            f(3 * decoder.network.forwardFLOPsPerRow * Double(n * decoderEpochs) / seconds / 1e9),
        ])

        let process = ProcessDAE(encoder: stack.encoder, decoder: stack.decoder, width: faces.width, height: faces.height)
        try process.validate()
        let codes = stack.encode(train.images.rows(Array(0..<40)))
        var out = codes
        let (perStep, calls) = timeRepeated { out = process(codes) }
        _ = out
        rows.append([
            "Process-DAE: decode, bilateral filter, sharpen, encode", "40 codes of 1000", String(format: "%.1f ms", 1000 * perStep),
            f(40 * layerFLOPs / perStep / 1e9) + " (products only; \(calls) calls)",
        ])
        Console.table(["what", "size", "seconds", "GFLOP/s"], rows)
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
    func factoredFLOPs(_ net: NeuralClassifier, faces: Int, iterations: Int) -> Double {
        let w = net.inputWeights
        let h = Double(w.rows)
        let d = Double(w.cols)
        let rest = net.network.forwardFLOPsPerRow - 2 * h * d
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
