import Foundation
import Synchronization
import Testing

@testable import PreferenceData

/// Two importers writing one store at once, each through its own `DatabasePool` (as two processes would have):
/// both succeed (one waits for the other's transaction), and nothing is lost or duplicated. `CLITests` repeats
/// this with two real `rlhf` processes.
@Suite struct ConcurrentImportTests {
    private static func lines(_ tag: String, count: Int) -> [String] {
        // Shared prompts between the two files, so both importers race to create the same rows.
        (0..<count).map { pairLine("shared prompt \($0 % 50)", "\(tag) chosen \($0)", "\(tag) rejected \($0)") }
    }

    private func importConcurrently(_ files: [String], into storePath: String) throws -> [ImportReport] {
        let results = Mutex<[Int: Result<ImportReport, any Error>]>([:])
        let threads = files.enumerated().map { index, file in
            Thread {
                let result = Result { () throws -> ImportReport in
                    let store = try PreferenceStore(path: storePath)
                    return try JSONLinesImporter().importFile(atPath: file, into: store)
                }
                results.withLock { $0[index] = result }
            }
        }
        threads.forEach { $0.start() }
        while results.withLock({ $0.count }) < files.count { usleep(1000) }
        return try results.withLock { $0 }.sorted { $0.key < $1.key }.map { try $0.value.get() }
    }

    @Test func differentFilesAreBothImportedCompletely() throws {
        let directory = try TemporaryDirectory()
        let first = try directory.write("first.jsonl", jsonLines(Self.lines("one", count: 2000)))
        let second = try directory.write("second.jsonl", jsonLines(Self.lines("two", count: 2000)))
        let storePath = directory.file("store.sqlite")
        let reports = try importConcurrently([first, second], into: storePath)
        #expect(reports.map(\.added.comparisonsAdded) == [2000, 2000])
        let counts = try tableCounts(PreferenceStore(path: storePath))
        #expect(counts["prompt"] == 50)
        #expect(counts["response"] == 8000)
        #expect(counts["comparison"] == 4000)
        #expect(counts["judgement"] == 4000)
        #expect(counts["import_log"] == 2)
    }

    @Test func theSameFileTwiceAtOnceIsImportedOnce() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("data.jsonl", jsonLines(Self.lines("same", count: 2000)))
        let storePath = directory.file("store.sqlite")
        let reports = try importConcurrently([file, file], into: storePath)
        #expect(reports.map(\.added.judgementsAdded).sorted() == [0, 2000])
        #expect(reports.map(\.added.judgementsAlreadyPresent).sorted() == [0, 2000])
        let counts = try tableCounts(PreferenceStore(path: storePath))
        #expect(counts["comparison"] == 2000)
        #expect(counts["judgement"] == 2000)
    }
}
