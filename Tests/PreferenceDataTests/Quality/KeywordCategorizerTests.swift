import Testing

@testable import PreferenceData

@Suite struct KeywordCategorizerTests {
    private func prompt(_ text: String, context: [Turn] = []) -> Prompt {
        Prompt(id: PromptID(1), text: text, context: context, category: nil, source: nil, qualityFlags: [])
    }

    @Test func defaultRulesTagCommonIntents() {
        let tagger = KeywordCategorizer()
        #expect(tagger.category(of: prompt("Write a Python function that reverses a list")) == "coding")
        #expect(tagger.category(of: prompt("Solve the equation 3x + 2 = 11")) == "math")
        #expect(tagger.category(of: prompt("Translate 'good morning' into French")) == "translation")
        #expect(tagger.category(of: prompt("Write a poem about autumn leaves")) == "writing")
        #expect(tagger.category(of: prompt("Pretend you are a pirate captain")) == "role-play")
        #expect(tagger.category(of: prompt("请把这段话翻译成英语")) == "translation")
        #expect(tagger.category(of: prompt("写一篇关于春天的作文")) == "writing")
        #expect(tagger.category(of: prompt("Tell me something")) == "other")
    }

    @Test func keywordsMatchWholeWordsOnly() {
        let tagger = KeywordCategorizer(rules: [.init(category: "math", keywords: ["sum"])], fallback: nil)
        #expect(tagger.category(of: prompt("What is the sum of 2 and 3?")) == "math")
        #expect(tagger.category(of: prompt("Plan a summer holiday")) == nil)
    }

    @Test func earlierUserTurnsCount() {
        let context = [
            Turn(role: .user, content: "Here is a paragraph in German: …"), Turn(role: .assistant, content: "OK."),
        ]
        let tagger = KeywordCategorizer(rules: [.init(category: "translation", keywords: ["german"])])
        #expect(tagger.category(of: prompt("Now do the same for the next one", context: context)) == "translation")
    }

    @Test func rulesLoadFromJSON() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "rules.json", #"{"rules": [{"category": "food", "keywords": ["recipe", "cook"]}], "fallback": null}"#)
        let tagger = try KeywordCategorizer(contentsOfFile: path)
        #expect(tagger.category(of: prompt("How do I cook rice?")) == "food")
        #expect(tagger.category(of: prompt("Fix my car")) == nil)
        let bad = try directory.write("bad.json", #"{"rules": [{"category": "food"}]}"#)
        let error = #expect(throws: PreferenceDataError.self) { try KeywordCategorizer(contentsOfFile: bad) }
        #expect(error?.description.contains("rule 1 needs \"category\"") == true)
    }

    @Test func storeTagsOnlyUntaggedPromptsUnlessRetagging() throws {
        let directory = try TemporaryDirectory()
        let store = try directory.store()
        try importLines(
            [
                #"{"prompt": "Write a story about a dragon", "category": "fiction"}"#,
                #"{"prompt": "Write a story about a knight"}"#,
            ], into: store, in: directory, options: ImportOptions(format: .native))
        let report = try store.runPromptQuality()
        #expect(report.tagged == ["writing": 1])
        #expect(try store.prompts().map(\.category) == ["fiction", "writing"])
        try store.runPromptQuality(retag: true)
        #expect(try store.prompts().map(\.category) == ["writing", "writing"])
    }
}
