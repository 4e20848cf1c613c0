/// Why the quickstart stopped: one line naming the stage or file and the problem.
public struct QuickstartError: Error, CustomStringConvertible, Sendable {
    /// The message.
    public let description: String

    /// Creates an error.
    public init(_ description: String) {
        self.description = description
    }
}
