import Foundation
import Testing

@testable import Alignment

/// A checkpoint that cannot be read names its file once, with a short reason (Foundation's descriptions of file and
/// decoding errors repeat the path in their user info).
@Suite struct CheckpointErrorTests {
    private func occurrences(of needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    @Test func aMissingTrainerStateNamesItsFileOnce() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("missing-\(UUID().uuidString)")
        let error = try #require(throws: TrainingError.self) {
            try TrainingCheckpoint(directory: directory).loadState()
        }
        let path = directory.appendingPathComponent("trainer_state.json").path
        #expect(occurrences(of: path, in: error.description) == 1, "\(error.description)")
        #expect(error.description.hasPrefix("\(path): unreadable trainer state: "))
        #expect(!error.description.contains("NSCocoaErrorDomain"))
    }

    @Test func aCorruptTrainerStateSaysWhatIsWrongOnce() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("corrupt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("trainer_state.json")
        try Data(#"{"step": "three"}"#.utf8).write(to: file)
        let error = try #require(throws: TrainingError.self) {
            try TrainingCheckpoint(directory: directory).loadState()
        }
        #expect(occurrences(of: file.path, in: error.description) == 1, "\(error.description)")
        #expect(error.description.contains("step"), "names the field")
    }
}
