import Foundation
import TensorEngine

/// The quickstart's built-in alignment task: instruction prompts in every category and both languages, drawn from
/// templates with a seed, each carrying the hidden facts the gold oracle judges by.
public enum BuiltInTask {
    /// `promptCount` prompts, deterministic for a seed. Categories and languages take turns, so every pair of them
    /// appears once `promptCount` ≥ 10 and they stay balanced; an exact repeat of an earlier prompt is drawn again
    /// (a few tries), so the prompts are distinct while the templates allow it.
    public static func generate(seed: UInt64, promptCount: Int) -> [TaskPrompt] {
        precondition(promptCount >= 0, "promptCount must not be negative")
        var rng = RandomGenerator(seed: seed)
        let kinds = TaskCategory.allCases.flatMap { category in TaskLanguage.allCases.map { (category, $0) } }
        var seen: Set<String> = []
        var prompts: [TaskPrompt] = []
        prompts.reserveCapacity(promptCount)
        for index in 0..<promptCount {
            let (category, language) = kinds[index % kinds.count]
            var draft = PromptTemplates.draw(category, language, &rng)
            for _ in 0..<8 where seen.contains(draft.text) { draft = PromptTemplates.draw(category, language, &rng) }
            seen.insert(draft.text)
            prompts.append(
                TaskPrompt(
                    id: String(format: "p%05d", index), category: category, language: language,
                    text: draft.text, facts: draft.facts, slots: draft.slots))
        }
        return prompts
    }
}
