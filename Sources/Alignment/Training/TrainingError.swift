/// Why a training run stopped; `description` is one line saying where and what.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
    /// The loss or gradient norm became NaN or infinite; the last good checkpoint is left in place.
    case nonFinite(what: String, step: Int, lastCheckpoint: String?)
    /// The configuration is unusable.
    case invalidConfig(String)
    /// A data file or example is unusable.
    case invalidData(String)
    /// A checkpoint could not be written or read.
    case checkpoint(path: String, problem: String)
    /// The ranks of a data-parallel run disagree (settings, weights) or cannot split the work.
    case distributed(String)

    public var description: String {
        switch self {
        case let .nonFinite(what, step, last):
            return "training stopped at step \(step): \(what) is not finite; "
                + (last.map { "last good checkpoint: \($0)" } ?? "no checkpoint was saved yet")
        case let .invalidConfig(problem): return "invalid configuration: \(problem)"
        case let .invalidData(problem): return problem
        case let .checkpoint(path, problem): return "\(path): \(problem)"
        case let .distributed(problem): return problem
        }
    }
}
