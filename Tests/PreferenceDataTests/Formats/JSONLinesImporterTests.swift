import Foundation
import GRDB
import Testing

@testable import PreferenceData

@Suite struct JSONLinesImporterTests {
    private let good = [pairLine("p1", "a", "b"), pairLine("p2", "c", "d"), pairLine("p3", "e", "f")]

    /// Each kind of malformed line, and the message that names its file and line.
    private static let malformed: [(line: [UInt8], message: String)] = [
        (
            Array(#"{"prompt": "p", "chosen": "a", "rejected": }"#.utf8),
            "invalid JSON at column 44: unexpected '}', expected a value"
        ),
        (Array(#"{"prompt": "p", "chosen": "a"}"#.utf8), "missing field \"rejected\""),
        (
            Array(#"{"prompt": "p", "chosen": "a", "rejected": 7}"#.utf8),
            "field \"rejected\" must be a string or a single assistant message, got a number"
        ),
        (
            Array(#"{"prompt": "p", "chosen": "a", "rejected": ""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8),
            "invalid UTF-8 at column 45"
        ),
        (Array(#"["prompt", "chosen", "rejected"]"#.utf8), "expected a JSON object, got an array"),
        (Array(#"{"prompt": "", "chosen": "a", "rejected": "b"}"#.utf8), "prompt is empty"),
        (
            Array(#"{"prompt": "p", "chosen": "same", "rejected": "same"}"#.utf8),
            "comparison compares a response with itself (the two texts are identical)"
        ),
    ]

    @Test(arguments: 0..<malformed.count)
    func malformedLineIsReportedWithFileAndLineAndNothingIsImported(_ which: Int) throws {
        let directory = try TemporaryDirectory()
        let store = try directory.store()
        try importLines([pairLine("existing", "x", "y")], into: store, in: directory, name: "first.jsonl")
        let before = try tableCounts(store)

        let bytes =
            Array(jsonLines(Array(good.prefix(2))).utf8) + Self.malformed[which].line + Array("\n".utf8)
            + Array(jsonLines([good[2]]).utf8)
        let path = try directory.write("bad.jsonl", bytes: bytes)
        let error = #expect(throws: PreferenceDataError.self) {
            try JSONLinesImporter().importFile(atPath: path, into: store)
        }
        #expect(
            error?.description
                == "\(path):3: \(Self.malformed[which].message); nothing was imported (--skip-invalid imports the valid lines)"
        )
        #expect(try tableCounts(store) == before)
    }

    @Test func skipInvalidImportsTheRestAndListsWhatItSkipped() throws {
        let directory = try TemporaryDirectory()
        let store = try directory.store()
        let lines = [good[0], #"{"prompt": "p", "chosen": 1}"#, good[1], "not json", good[2]]
        let report = try importLines(lines, into: store, in: directory, options: ImportOptions(skipInvalid: true))
        #expect(report.records == 3)
        #expect(report.added.comparisonsAdded == 3)
        #expect(report.skipped.map(\.line) == [2, 4])
        #expect(report.skipped.map(\.file) == [directory.file("data.jsonl"), directory.file("data.jsonl")])
        #expect(
            report.skipped[0].description.hasSuffix(
                "data.jsonl:2: field \"chosen\" must be a string or a single assistant message, got a number"))
        let log = try store.read {
            try Row.fetchOne($0, sql: "SELECT records, skipped, judgements_added FROM import_log")
        }
        #expect(log?["records"] == 3)
        #expect(log?["skipped"] == 2)
    }

    @Test func severalInvalidLinesAreCountedAndTheFirstNamed() throws {
        let directory = try TemporaryDirectory()
        let store = try directory.store()
        let error = #expect(throws: PreferenceDataError.self) {
            try importLines([good[0], "{", "[]", good[1]], into: store, in: directory)
        }
        #expect(error?.description.contains("data.jsonl:2: invalid JSON") == true)
        #expect(error?.description.contains("(2 invalid lines in all)") == true)
    }

    @Test func conflictWithTheStoreNamesTheLineAndChangesNothing() throws {
        let directory = try TemporaryDirectory()
        let store = try directory.store()
        let alice =
            #"{"prompt": "q", "response_a": {"text": "x"}, "response_b": {"text": "y"}, "judgements": [{"annotator": "alice", "overall": "a"}]}"#
        try importLines([alice], into: store, in: directory, name: "one.jsonl")
        let before = try tableCounts(store)
        let changedMind = alice.replacingOccurrences(of: #""overall": "a""#, with: #""overall": "b""#)
        let error = #expect(throws: PreferenceDataError.self) {
            try importLines(
                [pairLine("new prompt", "n1", "n2"), changedMind], into: store, in: directory, name: "two.jsonl",
                options: ImportOptions(format: .native))
        }
        #expect(
            error?.description.contains("two.jsonl:2: this comparison is already judged differently by \"alice\"")
                == true)
        #expect(try tableCounts(store) == before)
    }

    @Test func importingTheSameDataTwiceAddsNothing() throws {
        let directory = try TemporaryDirectory()
        let store = try directory.store()
        // The same pair twice in one file is two votes of the dataset; both are kept, once.
        let lines = good + [good[0]]
        let first = try importLines(lines, into: store, in: directory)
        #expect(first.added.judgementsAdded == 4)
        let after = try tableCounts(store)
        let second = try importLines(lines, into: store, in: directory)
        #expect(second.added.judgementsAdded == 0)
        #expect(second.added.judgementsAlreadyPresent == 4)
        var expected = after
        expected["import_log"] = 2
        #expect(try tableCounts(store) == expected)
    }

    @Test func blankLinesCRLFAndByteOrderMarkAreAccepted() throws {
        let directory = try TemporaryDirectory()
        let store = try directory.store()
        let text = "\u{FEFF}" + good[0] + "\r\n\r\n   \n" + good[1] + "\r\n" + good[2]
        let path = try directory.write("windows.jsonl", text)
        let report = try JSONLinesImporter().importFile(atPath: path, into: store)
        #expect(report.lines == 3)
        #expect(report.records == 3)
        // Line numbers count blank lines.
        let bad = try directory.write("bad.jsonl", "\r\n\r\n{\r\n")
        let error = #expect(throws: PreferenceDataError.self) {
            try JSONLinesImporter().importFile(atPath: bad, into: store)
        }
        #expect(error?.description.hasPrefix("\(bad):3: invalid JSON") == true)
    }

    @Test func dryRunChecksWithoutTouchingTheStore() throws {
        let directory = try TemporaryDirectory()
        let store = try directory.store()
        let report = try importLines(
            [good[0], "oops"], into: store, in: directory, options: ImportOptions(dryRun: true))
        #expect(report.records == 1)
        #expect(report.skipped.map(\.line) == [2])
        #expect(try tableCounts(store).values.allSatisfy { $0 == 0 })
    }

    @Test func missingFileIsAClearError() throws {
        let directory = try TemporaryDirectory()
        let store = try directory.store()
        let error = #expect(throws: PreferenceDataError.self) {
            try JSONLinesImporter().importFile(atPath: directory.file("absent.jsonl"), into: store)
        }
        #expect(error?.description.hasPrefix("\(directory.file("absent.jsonl")): cannot read") == true)
    }

    @Test func defaultSourceIsTheFileStem() {
        #expect(JSONLinesImporter.defaultSource(for: "data/hh-helpful.train.jsonl") == "hh-helpful.train")
        #expect(JSONLinesImporter.defaultSource(for: "x.jsonl.gz") == "x")
        #expect(JSONLinesImporter.defaultSource(for: "<stdin>") == "stdin")
    }
}
