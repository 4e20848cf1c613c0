/// Why a model could not be loaded or saved; `description` is one line naming the file and the problem.
public struct ModelLoadingError: Error, CustomStringConvertible, Equatable {
    /// The file or directory concerned.
    public let path: String
    /// What is wrong with it.
    public let problem: String

    /// An error about `path`.
    public init(_ path: String, _ problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "\(path): \(problem)" }
}
