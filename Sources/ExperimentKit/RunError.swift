/// A run cannot go on; the message says what is wrong and what to do (it names the option, file or folder).
public struct RunError: Error, CustomStringConvertible, Sendable {
    /// The user-facing message.
    public let description: String

    /// An error with this message.
    public init(_ description: String) {
        self.description = description
    }
}
