import Foundation
import Learning
import MLCore

/// Watches each client's query stream at an oracle, without seeing the client's code, and flags attack-like
/// behaviour. A query is suspicious when it is
/// - unnatural: its distance (root mean square over inputs) to a PCA basis fitted on natural inputs the operator
///   holds is above `residualThreshold` (model-inversion iterates and coordinate probes are far from faces), or
/// - a near-duplicate: it lies within `duplicateDistance` (root mean square) of one of the client's previous
///   `window` queries (finite-difference probes differ from their iterate by a tiny step).
/// A client is flagged once `flagsToAlarm` of its last `window` queries were suspicious; the monitor then stops
/// examining that client's queries (the operator would cut it off).
///
/// Thresholds come from `calibrate(benign:)`: above the largest residual and below the smallest near-duplicate
/// distance that benign calibration streams produced, each with a safety factor.
///
/// References: Juuti, Szyller, Marchal, Asokan, "PRADA: Protecting Against DNN Model Stealing Attacks", EuroS&P 2019
/// (distances between a client's successive queries); Fredrikson et al. CCS 2015, section 7 (monitoring queries).
public final class QueryMonitor {
    /// The monitor's thresholds.
    public struct Settings: Sendable, Equatable {
        /// Queries remembered per client.
        public var window = 100
        /// Suspicious queries within the window that raise the alarm.
        public var flagsToAlarm = 10
        /// RMS distance to the natural-input basis above which a query is unnatural.
        public var residualThreshold: Float = .infinity
        /// RMS distance to a recent query below which a query is a near-duplicate.
        public var duplicateDistance: Float = 0

        /// Settings with the window and alarm count; thresholds come from calibration.
        public init(window: Int = 100, flagsToAlarm: Int = 10) {
            self.window = window
            self.flagsToAlarm = flagsToAlarm
        }
    }

    /// What the monitor concluded about one client.
    public struct Verdict: Sendable, Equatable {
        /// Queries the client sent.
        public var queries = 0
        /// Queries examined (all of them unless the client was flagged).
        public var examined = 0
        /// Queries found unnatural and near-duplicate among those examined.
        public var unnatural = 0
        /// Near-duplicate queries among those examined.
        public var duplicates = 0
        /// The number of queries the client had sent when the alarm rose (nil: never).
        public var flaggedAt: Int?
        /// Whether the alarm rose.
        public var flagged: Bool { flaggedAt != nil }
    }

    /// The thresholds in use.
    public private(set) var settings: Settings
    private let mean: [Float]
    /// Orthonormal principal directions, components x inputs.
    private let basis: Matrix
    private var recent: [String: [[Float]]] = [:]
    /// The squared norm of each remembered query, beside `recent`.
    private var recentNorms: [String: [Float]] = [:]
    private var marks: [String: [Bool]] = [:]
    private var verdicts: [String: Verdict] = [:]

    /// A monitor whose natural-input basis is the top `components` principal directions of `natural` (rows).
    public init(natural: Matrix, components: Int, settings: Settings = Settings()) throws {
        guard natural.rows >= 2, components >= 1, components < natural.rows else {
            throw DefenseError(description: "query monitor: needs at least 2 natural inputs and 1 to \(natural.rows - 1) components")
        }
        guard settings.window >= 1, settings.flagsToAlarm >= 1, settings.flagsToAlarm <= settings.window else {
            throw DefenseError(description: "query monitor: the alarm count must be in 1...window (\(settings.window))")
        }
        let n = natural.rows
        let d = natural.cols
        mean = natural.columnSums().map { $0 / Float(n) }
        var centred = natural
        for r in 0..<n { for j in 0..<d { centred[r, j] -= mean[j] } }
        // Principal directions from the small n x n Gram matrix: eigenvectors u of X X^T give X^T u.
        let gram = Matrix.product(centred, .none, centred, .transposed)
        let eigen = try LinearAlgebra.symmetricEigen(gram.data.map(Double.init), n: n)
        var b = Matrix(rows: components, cols: d)
        for k in 0..<components {
            let i = n - 1 - k  // ascending eigenvalues: take from the top
            let u = Matrix(rows: 1, cols: n, data: (0..<n).map { Float(eigen.vectors[$0 * n + i]) })
            var v = Matrix.product(u, .none, centred, .none).data
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard norm > 0 else { break }
            for j in v.indices { v[j] /= norm }
            b.setRow(k, v)
        }
        basis = b
        self.settings = settings
    }

    /// The orthonormal principal directions of the natural inputs, one per row.
    public var basisRows: Matrix { basis }

    /// RMS distance of each row to the natural-input basis.
    public func residuals(_ x: Matrix) -> [Float] {
        var c = x
        for r in 0..<c.rows { for j in 0..<c.cols { c[r, j] -= mean[j] } }
        let coeff = Matrix.product(c, .none, basis, .transposed)
        let projected = Matrix.product(coeff, .none, basis, .none)
        return (0..<c.rows).map { r in
            var s: Float = 0
            for j in 0..<c.cols {
                let e = c[r, j] - projected[r, j]
                s += e * e
            }
            return (s / Float(c.cols)).squareRoot()
        }
    }

    /// Sets the thresholds from benign calibration streams (each a matrix of queries in order): residual threshold
    /// at `margin` times the largest benign residual, near-duplicate distance at the smallest benign distance to a
    /// recent query divided by `margin`.
    public func calibrate(benign streams: [Matrix], margin: Float = 1.5) {
        var maxResidual: Float = 0
        var minDistance = Float.infinity
        for s in streams {
            maxResidual = max(maxResidual, residuals(s).max() ?? 0)
            for r in 0..<s.rows {
                let row = s.row(r)
                for p in max(0, r - settings.window)..<r { minDistance = min(minDistance, QueryMonitor.rms(row, s.row(p))) }
            }
        }
        settings.residualThreshold = maxResidual * margin
        settings.duplicateDistance = minDistance.isFinite ? minDistance / margin : 0
    }

    /// Examines one batch a client sent (attach as the oracle's observer). Distances to the recent queries come from
    /// one product per chunk of the batch.
    public func observe(client: String, inputs: Matrix) {
        var v = verdicts[client] ?? Verdict()
        let before = v.queries
        v.queries += inputs.rows
        defer { verdicts[client] = v }
        guard !v.flagged else { return }
        let res = residuals(inputs)
        var window = recent[client] ?? []
        var windowNorms = recentNorms[client] ?? []
        var flags = marks[client] ?? []
        var raised = flags.filter { $0 }.count  // flags up in the window, kept as rows enter and leave
        let d = Float(inputs.cols)
        let limit = settings.duplicateDistance * settings.duplicateDistance * d
        var start = 0
        while start < inputs.rows && !v.flagged {
            let end = min(inputs.rows, start + 64)
            let chunk = inputs.rows(Array(start..<end))
            let chunkRows = (0..<chunk.rows).map { chunk.row($0) }
            // Candidates: the window as it stands, then the chunk's own rows (each row's norm computed once).
            let candidates = Matrix(rowVectors: window + chunkRows)
            let gram = Matrix.product(chunk, .none, candidates, .transposed)
            let norms = windowNorms + chunkRows.map { row in row.reduce(0) { $0 + $1 * $1 } }
            let w0 = window.count
            for i in 0..<chunk.rows {
                let own = norms[w0 + i]
                // Row i sees the last `window` queries before it: candidates [w0 + i - window, w0 + i).
                let first = max(0, w0 + i - settings.window)
                var duplicate = false
                for c in first..<(w0 + i) where own + norms[c] - 2 * gram[i, c] < limit {
                    duplicate = true
                    break
                }
                let unnatural = res[start + i] > settings.residualThreshold
                v.examined += 1
                if unnatural { v.unnatural += 1 }
                if duplicate { v.duplicates += 1 }
                flags.append(unnatural || duplicate)
                if unnatural || duplicate { raised += 1 }
                if flags.count > settings.window, flags.removeFirst() { raised -= 1 }
                if raised >= settings.flagsToAlarm {
                    v.flaggedAt = before + start + i + 1
                    break
                }
            }
            window = Array((window + chunkRows).suffix(settings.window))
            windowNorms = Array(norms.suffix(settings.window))
            start = end
        }
        recent[client] = window
        recentNorms[client] = windowNorms
        marks[client] = flags
    }

    /// The verdict on a client so far.
    public func verdict(_ client: String) -> Verdict { verdicts[client] ?? Verdict() }

    /// Forgets every client.
    public func reset() {
        recent = [:]
        recentNorms = [:]
        marks = [:]
        verdicts = [:]
    }

    static func rms(_ a: [Float], _ b: [Float]) -> Float {
        var s: Float = 0
        for i in a.indices {
            let e = a[i] - b[i]
            s += e * e
        }
        return (s / Float(a.count)).squareRoot()
    }
}
