import Testing

@testable import SyntheticTask

/// The built-in task: deterministic per seed, every category and language, real variety, consistent facts.
@Suite struct BuiltInTaskTests {
    @Test func theSameSeedGivesTheSamePromptsAndAnotherSeedOthers() {
        let a = BuiltInTask.generate(seed: 7, promptCount: 120)
        #expect(a == BuiltInTask.generate(seed: 7, promptCount: 120))
        #expect(a.map(\.text) != BuiltInTask.generate(seed: 8, promptCount: 120).map(\.text))
    }

    @Test func everyCategoryAndLanguageIsPresentAndBalanced() {
        let ten = BuiltInTask.generate(seed: 1, promptCount: 10)
        #expect(Set(ten.map { "\($0.category)/\($0.language)" }).count == 10)
        let prompts = BuiltInTask.generate(seed: 1, promptCount: 200)
        for category in TaskCategory.allCases {
            for language in TaskLanguage.allCases {
                #expect(prompts.filter { $0.category == category && $0.language == language }.count == 20)
            }
        }
        #expect(Set(prompts.map(\.id)).count == 200)
    }

    @Test func promptsVaryAndSafetyMixesUnsafeWithSafe() {
        let prompts = BuiltInTask.generate(seed: 3, promptCount: 300)
        #expect(Set(prompts.map(\.text)).count >= 280, "templates × slots give distinct prompts")
        let safety = prompts.filter { $0.category == .safety }
        let unsafe = safety.filter(\.facts.isUnsafe).count
        #expect(unsafe > safety.count / 4 && unsafe < safety.count * 3 / 4)
        #expect(prompts.filter { $0.category != .safety }.allSatisfy { !$0.facts.isUnsafe })
        #expect(prompts.filter { $0.category == .rolePlay }.allSatisfy { $0.facts.persona != nil })
    }

    @Test func arithmeticFactsHoldTheAnswer() throws {
        let prompts = BuiltInTask.generate(seed: 5, promptCount: 200).filter { $0.category == .arithmetic }
        for prompt in prompts {
            let (a, b) = (Int(prompt.slots["a"]!)!, Int(prompt.slots["b"]!)!)
            let op = try #require(ArithmeticOperation(rawValue: Int(prompt.slots["op"]!)!))
            #expect(prompt.facts.answer == op.apply(a, b))
            #expect(prompt.text.contains("\(a)") && prompt.text.contains("\(b)"))
            #expect(prompt.facts.answer! >= 0)
        }
    }
}
