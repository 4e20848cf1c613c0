import Foundation

/// The reason of a failed file or decoding operation, without the file's path: messages about a file name it once,
/// in front (`path: problem: reason`), while Foundation's own descriptions repeat the path in their user info.
enum ErrorReason {
    static func of(_ error: Error) -> String {
        if let cocoa = error as? CocoaError {
            if let posix = cocoa.userInfo[NSUnderlyingErrorKey] as? POSIXError {
                return String(cString: strerror(posix.code.rawValue))
            }
            switch cocoa.code {
            case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file"
            case .fileReadNoPermission, .fileWriteNoPermission: return "permission denied"
            case .fileWriteOutOfSpace: return "no space left on the device"
            case .fileReadCorruptFile: return "not in the expected format"
            case .fileWriteFileExists: return "already exists"
            default: return "file error \(cocoa.code.rawValue)"
            }
        }
        if let posix = error as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
        if let decoding = error as? DecodingError {
            switch decoding {
            case let .dataCorrupted(context), let .keyNotFound(_, context), let .typeMismatch(_, context),
                let .valueNotFound(_, context):
                let path = context.codingPath.map(\.stringValue).joined(separator: ".")
                return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
            @unknown default: return "\(decoding)"
            }
        }
        return "\(error)"
    }
}
