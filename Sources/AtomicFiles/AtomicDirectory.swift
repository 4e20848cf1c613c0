import Foundation

/// A directory filled under a temporary name beside its destination, then moved into place (replacing an older one
/// of the same name), so a crash never leaves a half-filled directory under the final name: checkpoints, saved
/// models.
public enum AtomicDirectory {
    /// Lets `fill` write into a fresh temporary directory, then moves it to `destination`. On failure the temporary
    /// directory is removed and the error rethrown.
    public static func write(_ destination: URL, fill: (URL) throws -> Void) throws {
        let manager = FileManager.default
        let temporary = destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).tmp-\(UUID().uuidString)")
        do {
            try manager.createDirectory(at: temporary, withIntermediateDirectories: true)
            try fill(temporary)
            if manager.fileExists(atPath: destination.path) { try manager.removeItem(at: destination) }
            try manager.moveItem(at: temporary, to: destination)
        } catch {
            try? manager.removeItem(at: temporary)
            throw error
        }
    }
}
