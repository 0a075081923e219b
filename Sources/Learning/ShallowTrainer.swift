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
    /// The squared norm of every row (per-example gradient norms of private training).
    public let squaredNorms: [Float]

    /// Stores `x`; `sparse` nil decides by density (`SparseRows.pays`).
    public init(_ x: Matrix, sparse: Bool? = nil) {
        dense = x
        self.sparse = (sparse ?? SparseRows.pays(for: x)) ? SparseRows(x) : nil
        squaredNorms = (0..<x.rows).map { r in x.row(r).reduce(0) { $0 + $1 * $1 } }
    }
}

/// Stop training when the loss on a held-out part of the training rows has not improved for `patience` epochs,
/// and keep the parameters of the best epoch.
public struct EarlyStopping: Sendable, Equatable {
    /// The share of the training rows held out to watch (they are not trained on).
    public var validationShare: Double
    /// Epochs without improvement before stopping.
    public var patience: Int

    /// Early stopping on `validationShare` of the rows with this patience.
    public init(validationShare: Double = 0.1, patience: Int = 5) {
        self.validationShare = validationShare
        self.patience = patience
    }
}

/// DP-SGD (Abadi et al., CCS 2016): each example's gradient clipped to norm `clip`, Gaussian noise of standard
/// deviation `noiseMultiplier * clip` added to the sum, the sum divided by the expected batch size. With
/// `.poisson` sampling every step takes each training row independently with probability batch size / rows, the
/// sampling the RDP accountant assumes.
public struct PrivateTraining: Sendable, Equatable {
    /// How the rows of a step are chosen.
    public enum Sampling: Sendable, Equatable {
        /// Each row with probability batch / rows, independently at every step (what the accountant assumes).
        case poisson
        /// Shuffled fixed-size batches, as plain training (for tests that compare with it; no DP guarantee from the accountant).
        case shuffled
    }

    /// The per-example gradient norm bound C.
    public var clip: Float
    /// sigma: the noise's standard deviation over C.
    public var noiseMultiplier: Float
    /// How the rows of a step are chosen.
    public var sampling: Sampling

    /// DP-SGD with these parameters.
    public init(clip: Float, noiseMultiplier: Float, sampling: Sampling = .poisson) {
        self.clip = clip
        self.noiseMultiplier = noiseMultiplier
        self.sampling = sampling
    }
}

/// Fast training of the networks membership-inference experiments train by the dozen: one hidden layer,
/// `inputs -> hidden (activation) -> classes`, softmax cross-entropy, minibatches, Adam or SGD with momentum,
/// L2 on the weights; optionally dropout on the hidden layer, early stopping, or DP-SGD. Without those, the same
/// model and the same steps as `Trainer` on `Network.mlp`-shaped networks (a test holds the two to float
/// tolerance), made cheap where it matters:
/// - the first layer never computes a gradient with respect to its input;
/// - a sparse input (binary Location features, one-hot Adult, MNIST's black background) enters through its
///   non-zeros only, in the forward product and in the weight gradient;
/// - the first layer's weights are kept input-major, so a non-zero feature adds one contiguous row;
/// - every parameter lives in one buffer, so one pass of the optimiser updates them all;
/// - DP-SGD clips without a per-example backward pass: in a dense layer an example's weight gradient is the outer
///   product of its input and output-gradient rows, so its squared norm is |input|^2 |output gradient|^2 (the
///   bias adds |output gradient|^2); scaling each example's output-gradient rows by its clipping factor before the
///   usual products gives the clipped sum.
public struct ShallowTrainer: Sendable {
    /// Hidden units.
    public let hidden: Int
    /// The hidden layer's non-linearity: `.tanh`, `.sigmoid` or `.relu`.
    public let activation: Activation
    /// Epochs, batch size, learning rate, L2, optimiser.
    public let settings: TrainingSettings
    /// The probability of dropping a hidden unit at each training step (inverted dropout; 0 for none).
    public var dropout: Float = 0
    /// Early stopping on held-out training rows, or nil.
    public var earlyStopping: EarlyStopping?
    /// DP-SGD, or nil.
    public var privacy: PrivateTraining?

    /// A trainer for networks with `hidden` units and this activation.
    public init(hidden: Int, activation: Activation = .tanh, settings: TrainingSettings) {
        self.hidden = hidden
        self.activation = activation
        self.settings = settings
    }

    /// The network a fit starts from, drawn from `rng` exactly as `NeuralClassifier.mlp` would (Glorot-uniform, zero bias).
    public func initialNetwork(inputs: Int, classes: Int, using rng: inout SeededGenerator) -> NeuralClassifier {
        NeuralClassifier.mlp(inputs: inputs, hidden: hidden, classes: classes, activation: activation, using: &rng)
    }

    func validate() throws {
        try settings.validate()
        guard hidden >= 1 else { throw TrainingError.invalidSetting("hidden units must be at least 1 (got \(hidden))") }
        guard dropout >= 0, dropout < 1 else { throw TrainingError.invalidSetting("dropout must be in [0, 1) (got \(dropout))") }
        if let e = earlyStopping {
            guard e.validationShare > 0, e.validationShare < 1, e.patience >= 1 else {
                throw TrainingError.invalidSetting("early stopping needs a validation share in (0, 1) and a patience of at least 1")
            }
        }
        if let p = privacy {
            guard p.clip > 0, p.clip.isFinite else {
                throw TrainingError.invalidSetting("the DP-SGD clip must be positive (got \(p.clip))")
            }
            guard p.noiseMultiplier >= 0, p.noiseMultiplier.isFinite else {
                throw TrainingError.invalidSetting("the DP-SGD noise multiplier must be non-negative (got \(p.noiseMultiplier))")
            }
        }
    }

    /// Trains a fresh network on the rows `subset` of `data` (all rows when nil); the random start, the minibatches,
    /// the dropout masks and the noise come from `rng`.
    public func fit(
        _ data: ShallowInputs, labels: [Int], subset: [Int]? = nil, classCount: Int, using rng: inout SeededGenerator
    ) throws -> NeuralClassifier {
        try validate()
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
        var state = ShallowState(
            first: Dense(inputs: data.dense.cols, outputs: hidden, using: &rng),
            second: Dense(inputs: hidden, outputs: classCount, using: &rng),
            trainer: self)
        try state.train(data, labels: labels, rows: rows, using: &rng)
        return state.network
    }
}
