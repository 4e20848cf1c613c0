import AtomicFiles
import Foundation

/// Appends one JSON object per line to a metrics file (JSON Lines), flushed after every record so a crash loses
/// nothing already logged. A run that resumes from a checkpoint first drops the lines logged after it (an interrupted
/// run logged steps its checkpoint does not hold), so the file holds each step once.
public final class MetricsLogger {
    private let handle: FileHandle
    /// The file written.
    public let url: URL

    /// Opens `url` for appending (created if missing). With `resumingAfter` (a key every line has, such as "step",
    /// and the position a run starts from: its checkpoint's, 0 for a fresh start) the lines past that position are
    /// dropped first, the file rewritten under a temporary name and renamed.
    public init(url: URL, resumingAfter position: (key: String, value: Int)? = nil) throws {
        self.url = url
        if let position, let text = try? String(contentsOf: url, encoding: .utf8) {
            let kept = text.split(separator: "\n", omittingEmptySubsequences: true).filter { line in
                let record = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                return (record?[position.key] as? Int).map { $0 <= position.value } ?? false
            }
            if kept.count != text.split(separator: "\n", omittingEmptySubsequences: true).count {
                do {
                    try AtomicFile.write(Data(kept.map { $0 + "\n" }.joined().utf8), to: url)
                } catch {
                    throw TrainingError.checkpoint(
                        path: url.path, problem: "cannot rewrite metrics file: \(ErrorReason.of(error))")
                }
            }
        }
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
