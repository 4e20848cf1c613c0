import Testing

@testable import PreferenceData

@Suite struct PromptSplitterTests {
    private var pairs: [PreferencePair] {
        (0..<300).map { index in
            makePair(
                id: Int64(index + 1), prompt: Int64(index % 100 + 1), promptText: "prompt \(index % 100)",
                chosen: "c\(index)", rejected: "r\(index)")
        }
    }

    @Test func noPromptIsInBothAndTheFractionIsExact() throws {
        let split = try PromptSplitter.split(pairs, testFraction: 0.2, seed: 3)
        let trainPrompts = Set(split.train.map(\.promptID))
        let testPrompts = Set(split.test.map(\.promptID))
        #expect(trainPrompts.isDisjoint(with: testPrompts))
        #expect(testPrompts.count == 20)
        #expect(split.testPrompts == 20)
        #expect(split.trainPrompts == 80)
        #expect(split.train.count + split.test.count == 300)
        #expect(split.test.count == 60)  // every prompt has three pairs, and all go together
    }

    @Test func deterministicForASeedWhateverTheInputOrder() throws {
        let first = try PromptSplitter.split(pairs, testFraction: 0.3, seed: 11)
        let again = try PromptSplitter.split(pairs.reversed(), testFraction: 0.3, seed: 11)
        #expect(Set(first.test.map(\.promptID)) == Set(again.test.map(\.promptID)))
        let other = try PromptSplitter.split(pairs, testFraction: 0.3, seed: 12)
        #expect(Set(first.test.map(\.promptID)) != Set(other.test.map(\.promptID)))
    }

    @Test func edgeFractions() throws {
        #expect(try PromptSplitter.split(pairs, testFraction: 0, seed: 0).test.isEmpty)
        #expect(try PromptSplitter.split(pairs, testFraction: 1, seed: 0).train.isEmpty)
        #expect(throws: PreferenceDataError.self) { try PromptSplitter.split(pairs, testFraction: 1.5, seed: 0) }
        #expect(try PromptSplitter.split([], testFraction: 0.5, seed: 0).train.isEmpty)
    }
}
