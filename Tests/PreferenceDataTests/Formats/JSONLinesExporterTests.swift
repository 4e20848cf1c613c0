import Foundation
import Testing

@testable import PreferenceData

@Suite struct JSONLinesExporterTests {
    private let nativeLines = [
        #"{"prompt":"Name a fruit.","context":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello!"}],"category":"qa","source":"logs","quality_flags":["near_duplicate"],"response_a":{"text":"Apple.","model":"sft-1","tokens":2},"response_b":{"text":"Car.","model":"sft-1"},"judgements":[{"annotator":"alice","annotator_kind":"human","overall":"a","helpfulness":"a","safety":"tie","fluency":"tie","comment":"b is not a fruit","time":"2024-05-01T10:00:00.123Z"},{"annotator":"rm-1","annotator_kind":"model","overall":"a","score_a":1.25,"score_b":-0.5},{"annotator":"hh","annotator_kind":"dataset","overall":"b"},{"annotator":"hh","annotator_kind":"dataset","overall":"b"}]}"#,
        #"{"prompt":"Name a fruit.","context":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello!"}],"category":"qa","source":"logs","quality_flags":["near_duplicate"],"response_a":{"text":"Apple.","model":"sft-1","tokens":2},"response_b":{"text":"Pear \"quoted\"\n","model":"sft-2"},"judgements":[]}"#,
        #"{"prompt":"A prompt waiting for responses."}"#,
    ]

    @Test func nativeExportThenImportReproducesEveryField() throws {
        let directory = try TemporaryDirectory()
        let original = try directory.store("original.sqlite")
        try importLines(nativeLines, into: original, in: directory)
        let exported = directory.file("export.jsonl")
        #expect(try JSONLinesExporter.exportNative(from: original, to: exported) == 3)
        #expect(try String(contentsOfFile: exported, encoding: .utf8) == jsonLines(nativeLines))

        let copy = try directory.store("copy.sqlite")
        try JSONLinesImporter().importFile(atPath: exported, into: copy)
        let again = directory.file("again.jsonl")
        try JSONLinesExporter.exportNative(from: copy, to: again)
        #expect(try String(contentsOfFile: again, encoding: .utf8) == jsonLines(nativeLines))
        // Importing the export into the store it came from adds nothing.
        let report = try JSONLinesImporter().importFile(atPath: exported, into: original)
        #expect(report.added.judgementsAdded == 0)
        #expect(report.added.judgementsAlreadyPresent == 4)
    }

    @Test func pairsAndHHExportsRoundTripThroughImport() throws {
        let directory = try TemporaryDirectory()
        let store = try directory.store()
        try importLines(nativeLines, into: store, in: directory)
        try store.saveSplit(
            named: "s",
            entries: [
                SplitEntry(comparisonID: ComparisonID(1), outcome: .a),
                SplitEntry(comparisonID: ComparisonID(2), outcome: .tie),
            ], recipe: "{}")
        let pairs = try store.pairs(inSplit: "s")
        for format in [RecordFormat.pairs, .hh] {
            let path = directory.file("out.\(format.rawValue).jsonl")
            #expect(try JSONLinesExporter.write(pairs, format: format, to: path) == 2)
            let copy = try directory.store("copy-\(format.rawValue).sqlite")
            try JSONLinesImporter().importFile(atPath: path, into: copy)
            let prompt = try #require(try copy.prompts().first)
            #expect(prompt.text == "Name a fruit.")
            #expect(prompt.context == [Turn(role: .user, content: "Hi"), Turn(role: .assistant, content: "Hello!")])
            let entries = try copy.postFilter(options: PostFilterOptions(dropTies: false)).entries
            let reread = try copy.pairs(for: entries)
            #expect(reread.map(\.chosen) == pairs.map(\.chosen))
            #expect(reread.map(\.isTie) == [false, true])
        }
        let line = try String(contentsOfFile: directory.file("out.pairs.jsonl"), encoding: .utf8).split(
            separator: "\n")[1]
        #expect(line.contains(#""tie":true"#))
        #expect(line.contains(#""category":"qa""#))
    }

    @Test func splitExportAndUnknownSplit() throws {
        let directory = try TemporaryDirectory()
        let store = try directory.store()
        try importLines(nativeLines, into: store, in: directory)
        try store.saveSplit(
            named: "one", entries: [SplitEntry(comparisonID: ComparisonID(2), outcome: .b)], recipe: "{}")
        let path = directory.file("split.jsonl")
        #expect(try JSONLinesExporter.exportNative(from: store, split: "one", to: path) == 1)
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("Pear"))
        #expect(throws: PreferenceDataError.self) {
            try JSONLinesExporter.exportNative(from: store, split: "two", to: directory.file("x.jsonl"))
        }
        #expect(!FileManager.default.fileExists(atPath: directory.file("x.jsonl")))
    }
}
