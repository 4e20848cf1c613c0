import Testing

@testable import PreferenceData

@Suite struct PromptQualityFilterTests {
    private func prompt(_ id: Int64, _ text: String, context: [Turn] = []) -> Prompt {
        Prompt(id: PromptID(id), text: text, context: context, category: nil, source: nil, qualityFlags: [])
    }

    @Test func wordsTreatCJKCharactersAsWords() {
        #expect(TextNormalization.words("Hello, WORLD! It's 2024.") == ["hello", "world", "it", "s", "2024"])
        #expect(TextNormalization.words("写一首诗about spring") == ["写", "一", "首", "诗", "about", "spring"])
        #expect(TextNormalization.normalized("  Ünïcode—DASH  ") == "ünïcode dash")
    }

    @Test func eachRuleAndItsCount() {
        let prompts = [
            prompt(
                1, "Explain how a rainbow forms after the rain, and why the colours always appear in the same order."),
            prompt(2, "hi"),  // too short
            prompt(3, "???!!! ... ---"),  // too short (no words at all)
            prompt(4, "hello hello thanks ok"),  // only fillers
            prompt(5, "Thank you very much, hello!"),  // only fillers
            prompt(
                // duplicate of 1
                6, "EXPLAIN how a rainbow forms after the rain -- and why the colours always appear in the same order"),
            // Jaccard 0.9
            prompt(7, "Explain how a rainbow forms after rain, and why the colours always appear in the same order."),
            prompt(8, "Write a short poem about the sea."),
            prompt(9, "写一首关于春天的诗"),
            prompt(10, "写一首关于春天的诗。"),  // duplicate
            prompt(11, "你好"),  // too short (2 words)
            prompt(12, "你好你好谢谢"),  // only fillers
        ]
        let flags = PromptQualityFilter().flags(for: prompts)
        #expect(
            flags == [
                [], .tooShort, .tooShort, .noRequest, .noRequest, .duplicate, .nearDuplicate, [], [], .duplicate,
                .tooShort, .noRequest,
            ])
        let report = PromptQualityFilter.report(of: flags)
        #expect((report.tooShort, report.noRequest, report.duplicate, report.nearDuplicate) == (3, 3, 2, 1))
        #expect(report.kept == 3)
        #expect(report.removed + report.kept == report.checked)
    }

    @Test func followUpsCountTheirConversationAndDuplicatesNeedTheSameConversation() {
        let first = [
            Turn(role: .user, content: "Tell me about the French revolution."),
            Turn(role: .assistant, content: "It began in 1789."),
        ]
        let second = [
            Turn(role: .user, content: "Tell me about volcanoes in Iceland."),
            Turn(role: .assistant, content: "There are many."),
        ]
        let flags = PromptQualityFilter().flags(for: [
            prompt(1, "Why?", context: first), prompt(2, "Why?", context: second),
            prompt(3, "thanks", context: first), prompt(4, "why?", context: first),
        ])
        #expect(flags == [[], [], .noRequest, .duplicate])
    }

    @Test func nearDuplicateThresholdIsRespectedExactly() {
        let base = "Please list five interesting facts about the planet Jupiter and its moons"
        let prompts = [
            prompt(1, base), prompt(2, base + " for kids"),
            prompt(3, "List five facts about Saturn's rings for a school report"),
        ]
        #expect(PromptQualityFilter().flags(for: prompts) == [[], .nearDuplicate, []])
        let strict = PromptQualityFilter(options: PromptQualityOptions(nearDuplicateThreshold: 0.99))
        #expect(strict.flags(for: prompts) == [[], [], []])
        let off = PromptQualityFilter(options: PromptQualityOptions(nearDuplicateThreshold: 2))
        #expect(off.flags(for: [prompt(1, base), prompt(2, base + "!!")]) == [[], .duplicate])
    }

    @Test func nearDuplicatesAmongManyPrompts() {
        // 600 templated prompts (they share LSH buckets, the detector's worst case) plus a light edit of every 20th:
        // exactly the edits are flagged.
        var prompts: [Prompt] = []
        for index in 0..<600 {
            prompts.append(
                prompt(
                    Int64(index),
                    "Question \(index): how would you describe the number \(index * 7919 % 10007) to a child?"))
        }
        for index in stride(from: 0, to: 600, by: 20) {
            prompts.append(
                prompt(
                    Int64(10_000 + index),
                    "Question \(index): how would you describe the number \(index * 7919 % 10007) to a child??"))
        }
        let flags = PromptQualityFilter().flags(for: prompts)
        #expect(flags.prefix(600).allSatisfy { $0.isEmpty })
        #expect(flags.suffix(30).allSatisfy { $0 == .duplicate || $0 == .nearDuplicate })
    }
}
