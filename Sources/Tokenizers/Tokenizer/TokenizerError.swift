/// A tokenizer file that cannot be loaded or used: the path and a one-line description of the problem.
public struct TokenizerError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file (or directory) concerned; empty when no file is involved.
    public let path: String
    /// What is wrong, e.g. `unsupported model type "Unigram" (only byte-level BPE is supported)`.
    public let problem: String

    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { path.isEmpty ? problem : "\(path): \(problem)" }
}
