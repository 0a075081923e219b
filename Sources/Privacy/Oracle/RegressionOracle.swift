import Learning
import MLCore

/// A trained regressor served behind an API: it answers predictions, hands the model out only
/// to white-box callers, and counts every input submitted.
public final class RegressionOracle {
    /// The access level granted.
    public let access: AccessLevel
    /// Inputs submitted so far (a batch of n rows counts n).
    public private(set) var queries = 0
    private let model: any Regressor

    /// Serves `model` with the given access.
    public init(_ model: any Regressor, access: AccessLevel) {
        self.model = model
        self.access = access
    }

    /// Input length the model takes.
    public var inputSize: Int { model.inputSize }

    /// The model's prediction for each row.
    public func query(_ x: Matrix) -> [Float] {
        queries += x.rows
        return model.predict(x)
    }

    /// The model itself (white-box only).
    public func whiteBoxModel() throws -> any Regressor {
        guard access == .whiteBox else {
            throw OracleError(description: "this oracle grants black-box access only: the model's parameters are not available")
        }
        return model
    }
}
