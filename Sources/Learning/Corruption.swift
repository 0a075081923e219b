import MLCore

/// Noise put on a minibatch's inputs before the forward pass (denoising training); the targets stay clean.
public enum Corruption: Sendable, Equatable, CustomStringConvertible {
    /// Each input value set to 0 with this probability (Vincent et al.'s masking noise).
    case masking(Float)
    /// Gaussian noise of this standard deviation added to each input value.
    case gaussian(Float)

    /// The name as tables spell it (`masking-0.25`, `gaussian-0.1`).
    public var description: String {
        switch self {
        case .masking(let r): return "masking-\(r)"
        case .gaussian(let s): return "gaussian-\(s)"
        }
    }

    func validate() throws {
        switch self {
        case .masking(let r):
            guard r >= 0, r < 1 else { throw TrainingError.invalidSetting("the masking rate must be in [0, 1) (got \(r))") }
        case .gaussian(let s):
            guard s >= 0, s.isFinite else { throw TrainingError.invalidSetting("the noise deviation must be non-negative (got \(s))") }
        }
    }

    /// `x` with the noise applied, drawn from `rng`.
    public func apply(_ x: Matrix, using rng: inout SeededGenerator) -> Matrix {
        var y = x
        switch self {
        case .masking(let r):
            for i in y.data.indices where rng.nextUniform() < r { y.data[i] = 0 }
        case .gaussian(let s):
            for i in y.data.indices { y.data[i] += s * rng.nextNormal() }
        }
        return y
    }
}
