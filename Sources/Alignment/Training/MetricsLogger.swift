import Foundation

/// Appends one JSON object per line to a metrics file (JSON Lines), flushed after every record so a crash loses
/// nothing already logged.
public final class MetricsLogger {
    private let handle: FileHandle
    /// The file written.
    public let url: URL

    /// Opens `url` for appending (created if missing).
    public init(url: URL) throws {
        self.url = url
        if !FileManager.default.fileExists(atPath: url.path) {
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                throw TrainingError.checkpoint(path: url.path, problem: "cannot create metrics file")
            }
        }
        do { handle = try FileHandle(forWritingTo: url) } catch {
            throw TrainingError.checkpoint(
                path: url.path, problem: "cannot open metrics file: \(error.localizedDescription)")
        }
        handle.seekToEndOfFile()
    }

    deinit { try? handle.close() }

    /// Writes one record; keys are sorted so lines diff cleanly between runs.
    public func log(_ record: [String: Any]) {
        let cleaned = record.mapValues { value -> Any in
            if let f = value as? Float { return f.isFinite ? Double(f) : "\(f)" as Any }
            if let d = value as? Double { return d.isFinite ? d : "\(d)" as Any }
            return value
        }
        guard let data = try? JSONSerialization.data(withJSONObject: cleaned, options: [.sortedKeys]) else { return }
        handle.write(data + Data("\n".utf8))
    }
}
