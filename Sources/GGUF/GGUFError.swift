/// A GGUF file that cannot be read: the path and a one-line description of the problem.
public struct GGUFError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file being read (or written).
    public let path: String
    /// What is wrong, e.g. "truncated: tensor directory needs 24 more bytes at offset 1180".
    public let problem: String

    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "\(path): \(problem)" }
}
