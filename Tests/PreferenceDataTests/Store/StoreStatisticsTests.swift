import Testing

@testable import PreferenceData

@Suite struct StoreStatisticsTests {
    private func native(
        _ prompt: String, _ a: String, _ b: String, _ judgements: [(String, String)], context: Bool = false
    ) -> String {
        let list = judgements.map { #"{"annotator": "\#($0.0)", "overall": "\#($0.1)", "helpfulness": "\#($0.1)"}"# }
        let contextField = context ? #", "context": [{"role": "user", "content": "before"}]"# : ""
        return
            #"{"prompt": "\#(prompt)"\#(contextField), "category": "qa", "response_a": {"text": "\#(a)"}, "response_b": {"text": "\#(b)"}, "judgements": [\#(list.joined(separator: ","))]}"#
    }

    @Test func countsWhatTheStoreHolds() throws {
        let directory = try TemporaryDirectory()
        let store = try directory.store()
        try importLines(
            [
                native("q1", "short", "much longer answer", [("x", "b"), ("y", "b")]),
                native("q2", "longer one here", "tiny", [("x", "a"), ("y", "b")], context: true),
                native("q3", "same", "size", [("x", "tie")]),
                native("q4", "u", "v", []),
                #"{"prompt": "lonely"}"#,
            ], into: store, in: directory)
        try importLines([pairLine("q5", "ok", "no")], into: store, in: directory, name: "hh.jsonl")

        let statistics = try store.statistics()
        #expect(statistics.prompts == 6)
        #expect(statistics.multiTurnPrompts == 1)
        #expect(statistics.categories.first == NamedCount(name: "qa", count: 4))
        #expect(statistics.sources.map(\.name).contains("hh"))
        #expect(statistics.responses == 10)
        #expect(statistics.comparisons == 5)
        #expect(statistics.unjudgedComparisons == 1)
        #expect(statistics.judgements == 6)
        #expect(statistics.judgementsByChoice == [.a: 2, .b: 3, .tie: 1])
        #expect(statistics.judgementsPerComparison == [1: 2, 2: 2])
        #expect(statistics.annotators == [.human: 2, .dataset: 1])
        #expect(statistics.imports == 2)
        // Decided judgements: q1 b,b (longer twice), q2 a (longer) and b (shorter), q5 a (ok=2 = no=2: neither).
        #expect(statistics.lengthPreference.decided == 5)
        #expect(statistics.lengthPreference.preferredLonger == 3)
        #expect(statistics.lengthPreference.preferredShorter == 1)
        // Two comparisons judged twice: one agreement (q1), one disagreement (q2).
        #expect(statistics.agreement.items == 2)
        #expect(statistics.agreement.observedAgreement == 0.5)
        #expect(statistics.agreement.pairwise.count == 1)
        #expect(statistics.dimensionAgreement[.helpfulness]?.items == 2)
        #expect(statistics.dimensionAgreement[.safety] == nil)
    }

    @Test func emptyStoreHasZeroesAndNoAgreement() throws {
        let directory = try TemporaryDirectory()
        let statistics = try directory.store().statistics()
        #expect(statistics.prompts == 0)
        #expect(statistics.lengthPreference.meanPreferredCharacters == nil)
        #expect(statistics.agreement.fleissKappa == nil)
    }
}
