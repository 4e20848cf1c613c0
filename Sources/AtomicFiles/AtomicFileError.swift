import Foundation

/// Why an atomic write failed: the destination, the step and the system's reason. The destination is untouched.
public struct AtomicFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The steps of an atomic write.
    public enum Step: String, Sendable {
        case create = "cannot create a temporary file next to it"
        case write = "cannot write"
        case sync = "cannot sync to disk"
        case rename = "cannot rename the temporary file into place"
    }

    /// The destination.
    public let path: String
    /// The step that failed.
    public let step: Step
    /// `errno` of the failed call.
    public let code: Int32

    /// What failed and why, without the path: callers name the file in their own errors.
    public var reason: String { "\(step.rawValue): \(String(cString: strerror(code)))" }

    public var description: String { "\(path): \(reason)" }
}
