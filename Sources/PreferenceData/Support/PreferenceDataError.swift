/// A problem with one line of an input file: where it is and what is wrong, as `file:line: problem`.
public struct LineIssue: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file as the user named it (`<stdin>` for standard input).
    public var file: String
    /// The line number, counting from 1.
    public var line: Int
    /// What is wrong, e.g. `missing field "chosen"`.
    public var problem: String

    /// Creates an issue.
    public init(file: String, line: Int, problem: String) {
        self.file = file
        self.line = line
        self.problem = problem
    }

    /// `file:line: problem`.
    public var description: String { "\(file):\(line): \(problem)" }
}

/// Errors of the preference-data layer. Every description is one line that says what went wrong and where.
public enum PreferenceDataError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A file could not be read or written.
    case io(path: String, problem: String)
    /// An import found invalid lines and, not told to skip them, imported nothing.
    case importRejected(first: LineIssue, invalidLines: Int)
    /// The file is not a preference store this version can use (not SQLite, another application's database, or a
    /// newer schema).
    case store(path: String, problem: String)
    /// A named thing (store, split) does not exist.
    case notFound(String)
    /// The operation would overwrite or contradict something that exists.
    case conflict(String)
    /// An argument is out of its allowed range or inconsistent with another.
    case invalidArgument(String)
    /// A record handed to the store directly (not through a file) is invalid.
    case invalidRecord(index: Int, problem: String)

    /// One line for the user.
    public var description: String {
        switch self {
        case .io(let path, let problem):
            return "\(path): \(problem)"
        case .importRejected(let first, let invalidLines):
            let others = invalidLines > 1 ? " (\(invalidLines) invalid lines in all)" : ""
            return "\(first)\(others); nothing was imported (--skip-invalid imports the valid lines)"
        case .store(let path, let problem):
            return "\(path): \(problem)"
        case .notFound(let what), .conflict(let what), .invalidArgument(let what):
            return what
        case .invalidRecord(let index, let problem):
            return "record \(index + 1): \(problem)"
        }
    }
}
