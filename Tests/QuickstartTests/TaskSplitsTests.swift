import Alignment
import SyntheticTask
import Testing

@testable import Quickstart

@Suite struct TaskSplitsTests {
    static let settings: QuickstartSettings = {
        var s = QuickstartSettings.fast
        s.sftPrompts = 300
        s.preferencePrompts = 120
        s.rlPrompts = 80
        s.evalPrompts = 60
        s.heldOutSFTExamples = 30
        return s
    }()

    @Test func evaluationPromptsNeverOccurInTraining() {
        let splits = TaskSplits(settings: Self.settings)
        let eval = Set(splits.eval.map(\.text))
        #expect(splits.eval.count == 60)
        #expect(eval.count == 60, "evaluation prompts are distinct")
        let training = splits.sft.examples.map(\.prompt.text) + splits.preference.map(\.text) + splits.rl.map(\.text)
        #expect(training.allSatisfy { !eval.contains($0) })
        #expect(splits.heldOutSFT.examples.allSatisfy { eval.contains($0.prompt.text) })
        #expect(Set(splits.preference.map(\.text)).count == splits.preference.count, "labelled prompts are distinct")
    }

    /// Categories with few distinct texts (open questions over a fixed list of facts, a few unsafe requests) keep most
    /// of them for training: evaluation takes at most a quarter of each.
    @Test func everyCategoryIsTrainedOnEvenWhenItsTextsAreFew() {
        var settings = QuickstartSettings.standard
        settings.evalPrompts = 400
        let splits = TaskSplits(settings: settings)
        for category in TaskCategory.allCases {
            let evalTexts = Set(splits.eval.filter { $0.category == category }.map(\.text))
            let trainTexts = Set(splits.sft.examples.map(\.prompt).filter { $0.category == category }.map(\.text))
            #expect(
                !evalTexts.isEmpty && trainTexts.count >= 2 * evalTexts.count,
                "\(category): \(evalTexts.count) held out, \(trainTexts.count) trained")
            #expect(
                splits.rl.contains { $0.category == category } && splits.preference.contains { $0.category == category }
            )
        }
    }

    @Test func splitsAreDeterministicAndCoverEveryCategory() {
        let a = TaskSplits(settings: Self.settings), b = TaskSplits(settings: Self.settings)
        #expect(a.eval == b.eval)
        #expect(a.rl == b.rl)
        #expect(a.sft == b.sft)
        #expect(Set(a.eval.map(\.category)) == Set(TaskCategory.allCases))
        #expect(Set(a.rl.map(\.category)) == Set(TaskCategory.allCases))
        var other = Self.settings
        other.seed += 1
        #expect(TaskSplits(settings: other).eval != a.eval)
    }

    @Test func everyPromptIsFoundByItsText() {
        let splits = TaskSplits(settings: Self.settings)
        let map = splits.promptsByText
        for prompt in splits.preference + splits.eval { #expect(map[prompt.text]?.facts == prompt.facts) }
    }
}
