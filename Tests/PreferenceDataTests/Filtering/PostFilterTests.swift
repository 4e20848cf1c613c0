import Testing

@testable import PreferenceData

@Suite struct PostFilterTests {
    /// A comparison of responses `a` and `b` of `prompt` with one vote per choice in `votes`.
    private func judged(_ id: Int64, prompt: Int64 = 1, _ a: Int64, _ b: Int64, _ votes: [Choice]) -> JudgedComparison {
        JudgedComparison(
            comparisonID: ComparisonID(id), promptID: PromptID(prompt), responseA: ResponseID(a),
            responseB: ResponseID(b),
            votes: votes.enumerated().map { Vote(annotatorID: AnnotatorID(Int64($0.offset + 1)), overall: $0.element) })
    }

    private func check(_ report: PostFilterReport) {
        #expect(
            report.comparisons == report.kept + report.droppedContradictory + report.droppedBothBad
                + report.droppedTies + report.droppedCyclic)
    }

    @Test func tiesAndBothBadAreDroppedTiesOptionally() {
        let comparisons = [judged(1, 1, 2, [.a]), judged(2, 1, 3, [.tie]), judged(3, 2, 3, [.bothBad])]
        let (entries, report) = PostFilter().apply(to: comparisons)
        #expect(entries == [SplitEntry(comparisonID: ComparisonID(1), outcome: .a)])
        #expect((report.droppedTies, report.droppedBothBad, report.kept) == (1, 1, 1))
        check(report)
        let keepTies = PostFilter(options: PostFilterOptions(dropTies: false)).apply(to: comparisons)
        #expect(keepTies.entries.map(\.outcome) == [.a, .tie])
        #expect(keepTies.report.keptTies == 1)
        check(keepTies.report)
    }

    @Test func contradictionsByMajorityOrDropped() {
        let comparisons = [
            judged(1, 1, 2, [.a, .a, .b]),  // majority a
            judged(2, 3, 4, [.b, .tie, .b, .a]),  // majority b
            judged(3, 5, 6, [.a, .b]),  // no majority
            judged(4, 7, 8, [.a, .b, .tie, .tie]),  // majority tie
            judged(5, 9, 10, [.b, .b]),  // unanimous
        ]
        let (entries, report) = PostFilter().apply(to: comparisons)
        #expect(
            entries == [
                SplitEntry(comparisonID: ComparisonID(1), outcome: .a),
                SplitEntry(comparisonID: ComparisonID(2), outcome: .b),
                SplitEntry(comparisonID: ComparisonID(5), outcome: .b),
            ])
        #expect(report.contradictoryResolved == 3)
        #expect(report.droppedContradictory == 1)
        #expect(report.droppedTies == 1)
        check(report)

        // Agreement over the five comparisons, all judged more than once: per comparison the share of agreeing vote
        // pairs is 2/6, 2/12, 0, 2/12 and 1.
        #expect(report.agreement.items == 5)
        #expect(abs((report.agreement.observedAgreement ?? 0) - (2.0 / 6 + 2.0 / 12 + 0 + 2.0 / 12 + 1) / 5) < 1e-12)

        let strict = PostFilter(options: PostFilterOptions(contradictions: .drop)).apply(to: comparisons)
        #expect(strict.entries == [SplitEntry(comparisonID: ComparisonID(5), outcome: .b)])
        #expect(strict.report.droppedContradictory == 4)
        check(strict.report)
    }

    @Test func cyclesOfThreeAndFourAcrossSeveralPromptsAreDropped() {
        let comparisons = [
            // Prompt 1: 10 > 11 > 12 > 10, a 3-cycle; 10 > 13 is kept.
            judged(1, prompt: 1, 10, 11, [.a]), judged(2, prompt: 1, 11, 12, [.a]), judged(3, prompt: 1, 10, 12, [.b]),
            judged(4, prompt: 1, 10, 13, [.a]),
            // Prompt 2: 20 > 21 > 22 > 23 > 20, a 4-cycle written with mixed a/b orientation.
            judged(5, prompt: 2, 20, 21, [.a]), judged(6, prompt: 2, 21, 22, [.a]), judged(7, prompt: 2, 22, 23, [.a]),
            judged(8, prompt: 2, 20, 23, [.b]),
            // Prompt 3: consistent, 30 > 31 > 32 and 30 > 32.
            judged(9, prompt: 3, 30, 31, [.a]), judged(10, prompt: 3, 31, 32, [.a]),
            judged(11, prompt: 3, 30, 32, [.a]),
            // Prompt 4: a cycle only through a majority-resolved vote: 40 > 41, 41 > 42, 42 > 40 (2 votes to 1).
            judged(12, prompt: 4, 40, 41, [.a]), judged(13, prompt: 4, 41, 42, [.a]),
            judged(14, prompt: 4, 40, 42, [.b, .b, .a]),
        ]
        let (entries, report) = PostFilter().apply(to: comparisons)
        #expect(entries.map(\.comparisonID.rawValue) == [4, 9, 10, 11])
        #expect(report.droppedCyclic == 10)
        #expect(report.promptsWithCycles == 3)
        check(report)
        let keepCycles = PostFilter(options: PostFilterOptions(dropCycles: false)).apply(to: comparisons)
        #expect(keepCycles.entries.count == 14)
    }

    @Test func aTieDoesNotCloseACycle() {
        let comparisons = [judged(1, 1, 2, [.a]), judged(2, 2, 3, [.a]), judged(3, 1, 3, [.tie])]
        let (entries, report) = PostFilter(options: PostFilterOptions(dropTies: false)).apply(to: comparisons)
        #expect(entries.count == 3)
        #expect(report.droppedCyclic == 0)
    }

    @Test func storeLevelFilterSkipsFlaggedPromptsAndSavesASplit() throws {
        let directory = try TemporaryDirectory()
        let store = try directory.store()
        try importLines(
            [
                pairLine("Explain how tides work, please.", "The moon's gravity.", "Magic."),
                pairLine("hi", "Hello!", "Go away."),
            ], into: store, in: directory)
        let quality = try store.runPromptQuality()
        #expect(quality.tooShort == 1)
        let (entries, report) = try store.postFilter()
        #expect(report.comparisons == 1)
        #expect(try store.postFilter(includingFlaggedPrompts: true).report.comparisons == 2)
        try store.saveSplit(named: "filtered", entries: entries, recipe: "{}")
        #expect(try store.pairs(inSplit: "filtered").map(\.chosen) == ["The moon's gravity."])
    }
}
