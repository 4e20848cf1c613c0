import Testing

@testable import PreferenceData

@Suite struct SplitsTests {
    private func storeWithPairs(_ directory: TemporaryDirectory) throws -> PreferenceStore {
        let store = try directory.store()
        try importLines(
            [pairLine("p1", "a", "b"), pairLine("p2", "c", "d"), pairLine("p2", "e", "c")], into: store, in: directory)
        return store
    }

    @Test func savedSplitsReadBackAsPairs() throws {
        let directory = try TemporaryDirectory()
        let store = try storeWithPairs(directory)
        let entries = [
            SplitEntry(comparisonID: ComparisonID(1), outcome: .a),
            SplitEntry(comparisonID: ComparisonID(2), outcome: .b),
            SplitEntry(comparisonID: ComparisonID(3), outcome: .tie),
        ]
        try store.saveSplit(named: "mine", entries: entries, recipe: #"{"step":"test"}"#)
        let pairs = try store.pairs(inSplit: "mine")
        #expect(pairs.map(\.chosen) == ["a", "d", "c"])
        #expect(pairs.map(\.rejected) == ["b", "c", "e"])
        #expect(pairs.map(\.isTie) == [false, false, true])
        #expect(pairs.map(\.outcome) == [.a, .b, .tie])
        #expect(try store.pairs(for: entries) == pairs)
        let summary = try #require(try store.splits().first)
        #expect(summary.name == "mine")
        #expect((summary.pairs, summary.ties, summary.prompts) == (3, 1, 2))
        #expect(summary.recipe == #"{"step":"test"}"#)
        #expect(try store.entries(inSplit: "mine") == entries)
    }

    @Test func existingSplitsAreReplacedOnlyWhenAsked() throws {
        let directory = try TemporaryDirectory()
        let store = try storeWithPairs(directory)
        let one = [SplitEntry(comparisonID: ComparisonID(1), outcome: .a)]
        try store.saveSplit(named: "s", entries: one, recipe: "{}")
        #expect(throws: PreferenceDataError.self) { try store.saveSplit(named: "s", entries: [], recipe: "{}") }
        #expect(try store.entries(inSplit: "s") == one)
        try store.saveSplit(named: "s", entries: [], recipe: "{}", replacing: true)
        #expect(try store.entries(inSplit: "s").isEmpty)
        try store.deleteSplit(named: "s")
        #expect(try store.splits().isEmpty)
    }

    @Test func unknownSplitsAndComparisonsAreClearErrors() throws {
        let directory = try TemporaryDirectory()
        let store = try storeWithPairs(directory)
        let error = #expect(throws: PreferenceDataError.self) { try store.pairs(inSplit: "nope") }
        #expect(
            error?.description == "no split named \"nope\"; the store has no splits yet (`rlhf data filter` makes one)")
        #expect(throws: PreferenceDataError.notFound("comparison 99 is not in the store")) {
            try store.saveSplit(
                named: "x", entries: [SplitEntry(comparisonID: ComparisonID(99), outcome: .a)], recipe: "{}")
        }
        #expect(try store.splits().isEmpty)
    }
}
