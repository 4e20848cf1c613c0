import Foundation

@testable import TensorEngine

/// Reference data produced by PyTorch (see `Fixtures/ops.json` for what each tensor is).
enum Fixtures {
    /// `Tests/TensorEngineTests/Fixtures`, found from this file's location so tests work from any directory.
    static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // TensorEngineTests
        .appendingPathComponent("Fixtures", isDirectory: true)

    /// Opened once: many tests read it, and the mapping is immutable and thread-safe.
    private static let opsFile = Result {
        try SafetensorsFile(url: directory.appendingPathComponent("ops.safetensors"))
    }

    /// The op reference tensors, `<case>.<input>`, `<case>.out`, `<case>.dout`, `<case>.grad_<input>`.
    static func ops() throws -> SafetensorsFile { try opsFile.get() }
}
