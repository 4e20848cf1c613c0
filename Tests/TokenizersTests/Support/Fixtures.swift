import Foundation
import JSONSupport

@testable import Tokenizers

/// Paths of the test fixtures (Tests/TokenizersTests/Fixtures, made by scripts/make-tokenizer-fixtures.py).
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func path(_ relative: String) -> String { directory.appendingPathComponent(relative).path }

    /// Parsed JSON of a fixture file.
    static func json(_ relative: String) throws -> JSONValue { try FileText.json(path(relative)) }

    /// Tokenizers are loaded once per test process (GPT-2's takes a moment in debug builds).
    nonisolated(unsafe) private static var cache: [String: Tokenizer] = [:]
    private static let lock = NSLock()

    static func tokenizer(_ relative: String) throws -> Tokenizer {
        lock.lock()
        defer { lock.unlock() }
        if let cached = cache[relative] { return cached }
        let tokenizer = try Tokenizer.load(from: path(relative))
        cache[relative] = tokenizer
        return tokenizer
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tokenizer-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `text` to `name` in a fresh temporary directory and returns the file's path.
    static func writeTemporary(_ text: String, name: String) throws -> String {
        let url = temporaryDirectory().appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }
}
