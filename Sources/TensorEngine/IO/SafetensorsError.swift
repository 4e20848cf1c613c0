#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a safetensors file could not be read or written.
///
/// Every case carries the file path so that a failure deep inside checkpoint loading still says which file was
/// at fault; cases about one tensor also carry its name.
public enum SafetensorsError: Error, CustomStringConvertible, Equatable {
    /// The file could not be opened or read (missing, permissions, a directory, an I/O error).
    case unreadable(path: String, reason: String)
    /// The file ends before the end its own header promises: it was cut short (interrupted copy or download).
    case truncated(path: String, detail: String)
    /// The header is not a valid safetensors header: bad JSON, not an object, implausible length, an entry
    /// without `dtype`/`shape`/`data_offsets`, a malformed shape or `__metadata__`.
    case badHeader(path: String, detail: String)
    /// A tensor's `data_offsets` are inconsistent: outside the data section, reversed, not matching
    /// shape × element size, or overlapping another tensor.
    case badOffsets(path: String, name: String, detail: String)
    /// A tensor's dtype is not one of the safetensors dtypes this reader knows the size of.
    case unknownDtype(path: String, name: String, dtype: String)
    /// No tensor of that name is in the file.
    case missingTensor(path: String, name: String)
    /// The tensor exists but its dtype cannot be converted to the requested kind (e.g. ints read as floats).
    case wrongKind(path: String, name: String, dtype: String, expected: String)
    /// Writing failed; the target file was left untouched.
    case writeFailed(path: String, reason: String)

    /// The file concerned.
    public var path: String {
        switch self {
        case .unreadable(let path, _), .truncated(let path, _), .badHeader(let path, _), .badOffsets(let path, _, _),
            .unknownDtype(let path, _, _), .missingTensor(let path, _), .wrongKind(let path, _, _, _),
            .writeFailed(let path, _):
            return path
        }
    }

    /// What is wrong with it, without the path (for callers that name the file themselves).
    public var problem: String {
        switch self {
        case .unreadable(_, let reason):
            return "cannot read safetensors file: \(reason)"
        case .truncated(_, let detail):
            return "truncated safetensors file: \(detail)"
        case .badHeader(_, let detail):
            return "invalid safetensors header: \(detail)"
        case .badOffsets(_, let name, let detail):
            return "tensor \(Self.quote(name)) \(detail)"
        case .unknownDtype(_, let name, let dtype):
            return "tensor \(Self.quote(name)) has unknown dtype \(Self.quote(dtype))"
        case .missingTensor(_, let name):
            return "no tensor named \(Self.quote(name))"
        case .wrongKind(_, let name, let dtype, let expected):
            return "tensor \(Self.quote(name)) has dtype \(dtype), expected \(expected)"
        case .writeFailed(_, let reason):
            return "cannot write safetensors file: \(reason)"
        }
    }

    /// One line naming the file and the problem, suitable for a CLI error message.
    public var description: String { "\(path): \(problem)" }
}

extension SafetensorsError {
    /// The current `errno` as text, for the `reason` of I/O failures.
    static func errnoText() -> String { String(cString: strerror(errno)) }

    /// Quotes a name for an error message as a JSON string literal, so newlines and quotes in names from untrusted
    /// files cannot break the one-line message.
    static func quote(_ s: String) -> String { Safetensors.jsonString(s) }
}
