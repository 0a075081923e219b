import Foundation
import Learning
import MLCore

/// A kind of client a query monitor is tested against.
public enum MonitorClient: Hashable, Sendable, CustomStringConvertible {
    /// An ordinary client sending natural inputs.
    case benign
    /// Black-box MI-Face by finite differences.
    case blackBox
    /// Equation-solving extraction (Tramer et al.).
    case equationSolving
    /// Retraining extraction from natural inputs.
    case retraining
    /// An attacker who knows the monitor: probes in a natural basis, `cover` natural inputs after each.
    case adaptive(cover: Int)

    /// The name in tables and the client id at the oracle: `benign`, `black_box`, `adaptive_cover_4`, ...
    public var description: String {
        switch self {
        case .benign: return "benign"
        case .blackBox: return "black_box"
        case .equationSolving: return "equation_solving"
        case .retraining: return "retraining"
        case .adaptive(let cover): return "adaptive_cover_\(cover)"
        }
    }

    /// Whether the client is an attacker the monitor does not know of (caught by it if the monitor works).
    public var isNaiveAttack: Bool { self == .blackBox || self == .equationSolving }

    /// Whether the client adapts to the monitor.
    public var isAdaptive: Bool {
        if case .adaptive = self { return true }
        return false
    }
}

/// What the query monitor concluded about one kind of client.
public struct MonitorRow: Sendable {
    /// The kind of client.
    public let client: MonitorClient
    /// What the client does, for the report.
    public let description: String
    /// Clients of this kind.
    public let clients: Int
    /// Clients the monitor flagged.
    public let flagged: Int
    /// Queries each client sent (mean), cover queries included.
    public let queries: Double
    /// Queries sent when the alarm rose (median over flagged clients; nil: none flagged).
    public let queriesUntilDetection: Double?
    /// Unnatural queries among those examined (all clients of the kind).
    public let unnatural: Int
    /// Near-duplicate queries among those examined.
    public let duplicates: Int
    /// Nearest-neighbour identification of the faces the client recovered (inversion attacks only).
    public let identification: Double?
}

/// The query monitor's study: benign clients sending natural inputs, black-box MI-Face and two extraction attacks
/// against the served models, and an attacker who knows the monitor and hides its probes among natural cover
/// queries. The operator's monitor takes its basis from the operator's own natural inputs and its thresholds from
/// simulated benign clients.
public struct MonitorStudy {
    /// The operator's natural inputs (the monitor's basis).
    public var natural: Matrix
    /// One natural input as the operator's simulated clients send it (for the thresholds).
    public var calibrationInput: (inout SeededGenerator) -> [Float]
    /// One natural input as a benign client, or an adaptive attacker's cover, sends it.
    public var benignInput: (inout SeededGenerator) -> [Float]
    /// The model the inversion and equation-solving attacks query.
    public var linear: NeuralClassifier
    /// The model the retraining extraction queries.
    public var deep: NeuralClassifier
    /// Classes the inversion attacks reconstruct.
    public var labels: [Int]
    /// The naive black-box attacker's gradient estimator.
    public var estimator: FiniteDifferences
    /// The black-box attack's settings.
    public var attack: MIFace
    /// Benign clients.
    public var benignClients: Int
    /// Queries each benign client sends (and each simulated client of the calibration).
    public var benignQueries: Int
    /// The attackers' natural inputs (retraining queries, the adaptive attacker's basis).
    public var publicInputs: Matrix
    /// Scores the attackers' reconstructions.
    public var scorer: InversionScorer
    /// Principal components of the monitor's basis (and the adaptive attacker's).
    public var components: Int
    /// Cover queries per probe of each adaptive attacker.
    public var covers: [Int]
    /// The monitor's window and alarm count.
    public var settings = QueryMonitor.Settings(window: 100, flagsToAlarm: 10)

    /// A study of these pieces; the remaining settings take their defaults.
    public init(
        natural: Matrix, calibrationInput: @escaping (inout SeededGenerator) -> [Float],
        benignInput: @escaping (inout SeededGenerator) -> [Float], linear: NeuralClassifier, deep: NeuralClassifier, labels: [Int],
        estimator: FiniteDifferences, attack: MIFace, benignClients: Int, benignQueries: Int, publicInputs: Matrix, scorer: InversionScorer,
        components: Int, covers: [Int]
    ) {
        self.natural = natural
        self.calibrationInput = calibrationInput
        self.benignInput = benignInput
        self.linear = linear
        self.deep = deep
        self.labels = labels
        self.estimator = estimator
        self.attack = attack
        self.benignClients = benignClients
        self.benignQueries = benignQueries
        self.publicInputs = publicInputs
        self.scorer = scorer
        self.components = components
        self.covers = covers
    }

    /// Runs every client against one monitor; returns a row per kind of client and the calibrated monitor.
    public func run(using rng: inout SeededGenerator) throws -> (rows: [MonitorRow], monitor: QueryMonitor) {
        let monitor = try QueryMonitor(natural: natural, components: components, settings: settings)
        let calibration = (0..<10).map { _ in Matrix(rowVectors: (0..<benignQueries).map { _ in calibrationInput(&rng) }) }
        monitor.calibrate(benign: calibration)
        var rows: [MonitorRow] = []
        func summarise(_ kind: MonitorClient, _ text: String, _ clients: [String], queries: Double? = nil, identification: Double? = nil) {
            let v = clients.map { monitor.verdict($0) }
            let times = v.compactMap(\.flaggedAt).map(Double.init).sorted()
            rows.append(
                MonitorRow(
                    client: kind, description: text, clients: clients.count, flagged: v.filter(\.flagged).count,
                    queries: queries ?? Double(v.map(\.queries).reduce(0, +)) / Double(max(v.count, 1)),
                    queriesUntilDetection: times.isEmpty ? nil : times[times.count / 2], unnatural: v.map(\.unnatural).reduce(0, +),
                    duplicates: v.map(\.duplicates).reduce(0, +), identification: identification))
        }
        func serve(_ m: NeuralClassifier) throws -> BlackBoxOracle<NeuralClassifier> {
            let o = try BlackBoxOracle(m)
            o.observer = { client, x, _ in monitor.observe(client: client, inputs: x) }
            return o
        }

        // Benign clients: natural inputs, ten at a time.
        let linearOracle = try serve(linear)
        let benign = (0..<benignClients).map { "\(MonitorClient.benign)-\($0)" }
        for c in benign {
            for _ in 0..<(benignQueries / 10) {
                _ = try linearOracle.query(Matrix(rowVectors: (0..<10).map { _ in benignInput(&rng) }), client: c)
            }
        }
        summarise(.benign, "varied held-out photos (shifts, brightness, noise), \(benignQueries) each", benign)

        // The attacks, unaware of the monitor.
        let naive = MonitorClient.blackBox.description
        let found = try attack.run(labels: labels, oracle: linearOracle, estimator: estimator, client: naive)
        summarise(
            .blackBox, "black-box MI-Face (\(estimator)) on softmax, \(labels.count) subjects", [naive],
            identification: identify(found, using: &rng))
        let solver = MonitorClient.equationSolving.description
        _ = try EquationSolving().extract(from: linearOracle, client: solver)
        summarise(.equationSolving, "equation-solving extraction of softmax (d + 1 coordinate queries)", [solver])
        let retrainer = MonitorClient.retraining.description
        _ = try serve(deep).query(publicInputs, client: retrainer)
        summarise(.retraining, "retraining extraction of the MLP from \(publicInputs.rows) varied public photos", [retrainer])

        // The adaptive attacker: descends in the span of its own natural basis from their mean, with probes long enough
        // not to repeat, and sends `cover` natural inputs after every probe.
        let basis = try QueryMonitor(natural: publicInputs, components: components).basisRows
        let mean = publicInputs.columnSums().map { $0 / Float(publicInputs.rows) }
        var spread = FiniteDifferences(
            width: estimator.width, height: estimator.height, randomDirections: estimator.directionCount, step: 10,
            seed: estimator.seed &+ 99)
        spread.basis = basis
        for cover in covers {
            let kind = MonitorClient.adaptive(cover: cover)
            let name = kind.description
            var sent = 0
            var coverRNG = rng.derived(100 + UInt64(cover))
            let oracle = try BlackBoxOracle(linear)
            let benignInput = self.benignInput
            oracle.observer = { client, x, _ in
                // Each probe followed by `cover` natural inputs, as the monitor sees the stream.
                var stream: [[Float]] = []
                for r in 0..<x.rows {
                    stream.append(x.row(r))
                    for _ in 0..<cover { stream.append(benignInput(&coverRNG)) }
                }
                sent += stream.count
                monitor.observe(client: client, inputs: Matrix(rowVectors: stream))
            }
            let faces = try attack.run(labels: labels, oracle: oracle, estimator: spread, x0: mean, client: name)
            summarise(
                kind, "knows the monitor: random directions in a face basis, probes of length 10, \(cover) cover photos per probe", [name],
                queries: Double(sent), identification: identify(faces, using: &rng))
        }
        return (rows, monitor)
    }

    func identify(_ found: [Reconstruction], using rng: inout SeededGenerator) -> Double {
        let scores = scorer.score(Matrix(rowVectors: found.map(\.image)), subjects: found.map(\.label), using: &rng)
        return ScoreSummary(scores).nearestNeighbour
    }
}
