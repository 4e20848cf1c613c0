import AtomicFiles
import Foundation

/// The directory mechanics every trainer's checkpoints share: `<output>/checkpoint-<n>` folders, the newest found by
/// its number, each written under a hidden temporary name and renamed into place so a crash never leaves a
/// half-written checkpoint under the final name.
enum CheckpointDirectory {
    /// `<output>/checkpoint-<number>`.
    static func url(in output: URL, number: Int) -> URL {
        output.appendingPathComponent("checkpoint-\(number)")
    }

    /// The checkpoint folder with the highest number in `output`, if any.
    static func latest(in output: URL) -> URL? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: output.path)) ?? []
        let numbers = names.compactMap { name -> Int? in
            name.hasPrefix("checkpoint-") ? Int(name.dropFirst("checkpoint-".count)) : nil
        }
        return numbers.max().map { url(in: output, number: $0) }
    }

    /// Lets `fill` write checkpoint `number` into a temporary folder, then renames it into place (replacing an older
    /// one of the same number). Returns the final folder.
    static func write(in output: URL, number: Int, _ fill: (URL) throws -> Void) throws -> URL {
        let final = url(in: output, number: number)
        do { try AtomicDirectory.write(final, fill: fill) } catch {
            throw TrainingError.checkpoint(
                path: final.path, problem: "cannot save checkpoint: \(ErrorReason.of(error))")
        }
        return final
    }

    /// Writes `state` as pretty, key-sorted JSON (stable diffs between checkpoints).
    static func writeState<T: Encodable>(_ state: T, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(state).write(to: url)
    }
}
