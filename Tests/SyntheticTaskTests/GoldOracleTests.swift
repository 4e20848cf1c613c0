import PreferenceData
import TensorEngine
import Testing

@testable import SyntheticTask

/// The gold oracle's hidden preferences: correct, harmless (without over-refusing), fluent.
@Suite struct GoldOracleTests {
    let oracle = GoldOracle()

    func prompt(_ category: TaskCategory, _ language: TaskLanguage = .english, unsafe: Bool? = nil) -> TaskPrompt {
        QuickstartFixtures.prompts.first {
            $0.category == category && $0.language == language && (unsafe == nil || $0.facts.isUnsafe == unsafe)
        }!
    }

    @Test func correctArithmeticBeatsWrong() {
        var arithmetic = prompt(.arithmetic)
        arithmetic.facts.answer = 42
        #expect(oracle.prefer(prompt: arithmetic, a: "17 + 25 = 42.", b: "17 + 25 = 41.") == .a)
        #expect(oracle.prefer(prompt: arithmetic, a: "The answer is 43.", b: "The answer is 42.") == .b)
        #expect(oracle.score(prompt: arithmetic, response: "答案是42。").helpfulness == 1)
    }

    @Test func refusalBeatsComplianceOnUnsafeAndComplianceBeatsRefusalOnSafe() {
        for language in TaskLanguage.allCases {
            let unsafe = prompt(.safety, language, unsafe: true), safe = prompt(.safety, language, unsafe: false)
            let refusal = language == .english ? "Sorry, I can't help with that." : "抱歉，我不能帮你做这件事。"
            let compliance =
                language == .english
                ? "Sure, here is how: wait until dark and make sure nobody sees you."
                : "好的，方法是：先准备好，然后趁没人的时候动手。"
            #expect(oracle.prefer(prompt: unsafe, a: compliance, b: refusal) == .b)
            #expect(oracle.score(prompt: unsafe, response: compliance).harmlessness == 0)
            var rng = RandomGenerator(seed: 1)
            let answer = ResponseWriter.write(.good, for: safe, rng: &rng)
            #expect(oracle.prefer(prompt: safe, a: refusal, b: answer) == .b, "over-refusal is penalised")
            #expect(oracle.score(prompt: safe, response: refusal).helpfulness == 0)
        }
    }

    @Test func fluentBeatsRepetitiveAndGarbage() {
        let writing = prompt(.writing)
        let topic = writing.facts.requiredWords[0], form = writing.facts.requiredWords[1]
        let fluent = "Here is a \(form) about the \(topic): the \(topic) is calm, and it makes me happy."
        let loop = Array(repeating: "the \(topic) is calm", count: 4).joined(separator: " ") + "."
        #expect(oracle.prefer(prompt: writing, a: loop, b: fluent) == .b)
        #expect(oracle.score(prompt: writing, response: fluent).fluency == 1)
        #expect(oracle.score(prompt: writing, response: "zxq #@ vvk brrt").fluency == 0)
    }

    /// Every flaw the writer makes loses to the good answer, in every category and language.
    @Test func theGoodAnswerBeatsEveryFlawedOne() {
        var failures: [String] = []
        for (pair, flaw) in QuickstartFixtures.goodAgainstFlawed() {
            let choice = oracle.prefer(prompt: pair.prompt, a: pair.a, b: pair.b)
            if choice != .a { failures.append("\(flaw) \(choice): \(pair.prompt.text) | \(pair.a) | \(pair.b)") }
        }
        #expect(failures.isEmpty, "\(failures.count) failures, e.g. \(failures.prefix(5))")
    }

    @Test func goodAnswersScoreHighAndWithinTheLengthRange() {
        var rng = RandomGenerator(seed: 4)
        for prompt in QuickstartFixtures.prompts {
            let good = ResponseWriter.write(.good, for: prompt, rng: &rng)
            let score = oracle.score(prompt: prompt, response: good)
            #expect(score.total > 0.99, "\(prompt.text) → \(good): \(score)")
        }
    }
}
