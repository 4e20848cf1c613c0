import Foundation
import GRDB
import JSONSupport

@testable import PreferenceData

/// A fresh directory under the system's temporary directory, deleted when released.
final class TemporaryDirectory: @unchecked Sendable {
    let path: String

    init() throws {
        path =
            FileManager.default.temporaryDirectory.appendingPathComponent("PreferenceDataTests-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// A path inside the directory.
    func file(_ name: String) -> String { path + "/" + name }

    /// Writes `text` to `name` and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try text.write(toFile: file(name), atomically: true, encoding: .utf8)
        return file(name)
    }

    /// Writes raw bytes to `name` and returns its path.
    @discardableResult
    func write(_ name: String, bytes: [UInt8]) throws -> String {
        try Data(bytes).write(to: URL(fileURLWithPath: file(name)))
        return file(name)
    }

    /// A new store in the directory.
    func store(_ name: String = "store.sqlite") throws -> PreferenceStore {
        try PreferenceStore(path: file(name))
    }
}

/// JSON Lines text of the given lines.
func jsonLines(_ lines: [String]) -> String { lines.joined(separator: "\n") + "\n" }

/// A `{"prompt","chosen","rejected"}` line.
func pairLine(_ prompt: String, _ chosen: String, _ rejected: String) -> String {
    "{\"prompt\":\(quoted(prompt)),\"chosen\":\(quoted(chosen)),\"rejected\":\(quoted(rejected))}"
}

/// A JSON string literal.
func quoted(_ text: String) -> String { JSONWriter.string(.string(text)) }

/// Imports `lines` (as file `name` in `directory`) into `store`.
@discardableResult
func importLines(
    _ lines: [String], into store: PreferenceStore, in directory: TemporaryDirectory, name: String = "data.jsonl",
    options: ImportOptions = ImportOptions()
) throws -> ImportReport {
    let path = try directory.write(name, jsonLines(lines))
    return try JSONLinesImporter(options: options).importFile(atPath: path, into: store)
}

/// Row counts of the main tables, to check that a failed operation changed nothing.
func tableCounts(_ store: PreferenceStore) throws -> [String: Int] {
    try store.read { db in
        var counts: [String: Int] = [:]
        for table in [
            "prompt", "response", "comparison", "judgement", "annotator", "split", "split_pair", "import_log",
        ] {
            counts[table] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0
        }
        return counts
    }
}

/// A pair for the pure algorithms (no store).
func makePair(
    id: Int64, prompt: Int64 = 1, promptText: String? = nil, chosen: String, rejected: String,
    isTie: Bool = false
) -> PreferencePair {
    PreferencePair(
        comparisonID: ComparisonID(id), promptID: PromptID(prompt), prompt: promptText ?? "prompt \(prompt)",
        chosen: chosen, rejected: rejected, chosenID: ResponseID(id * 2), rejectedID: ResponseID(id * 2 + 1),
        isTie: isTie)
}

/// A store with `prompts` prompts of two responses ("rN.a", "rN.b"), a task each wanting `labelsPerTask` labels
/// (created at `now`), and people p0, p1, … who can sign in.
func makeTaskStore(
    _ directory: TemporaryDirectory, prompts: Int, people: Int, labelsPerTask: Int = 1, now: Date
) throws -> (PreferenceStore, [AnnotatorID]) {
    let store = try directory.store()
    try store.add(
        (0..<prompts).map { prompt in
            PreferenceRecord(
                prompt: PromptDraft(text: "prompt \(prompt)"),
                responses: [ResponseDraft(text: "r\(prompt).a"), ResponseDraft(text: "r\(prompt).b")])
        })
    try store.createTasks(TaskCreationOptions(labelsPerTask: labelsPerTask), now: now)
    let ids = try (0..<people).map {
        try store.addAnnotator(name: "p\($0)", kind: .human, tokenHash: "sha256:\($0)").id
    }
    return (store, ids)
}
