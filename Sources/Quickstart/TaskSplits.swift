import Alignment

/// The built-in task's prompts, dealt into disjoint sets: the SFT corpus, the pairs people label, the prompts PPO
/// and DPO optimise on, held-out SFT examples (for the PTX measure) and the held-out evaluation prompts. An
/// evaluation prompt's text never occurs in any other set. Deterministic for the settings.
struct TaskSplits {
    let sft: SFTCorpus
    let heldOutSFT: SFTCorpus
    let preference: [TaskPrompt]
    let rl: [TaskPrompt]
    let eval: [TaskPrompt]

    init(settings: QuickstartSettings) {
        let seed = settings.seed(for: "task")
        eval = BuiltInTask.generate(seed: seed, promptCount: settings.evalPrompts)
        let held = Set(eval.map(\.text))
        func prompts(_ count: Int, _ salt: UInt64) -> [TaskPrompt] {
            BuiltInTask.generate(seed: seed &+ salt, promptCount: count).filter { !held.contains($0.text) }
        }
        let sftPrompts = prompts(settings.sftPrompts, 1)
        sft = SFTCorpus.generate(prompts: sftPrompts, seed: seed &+ 11, responsesPerPrompt: settings.sftResponsesPerPrompt)
        let seen = Set(sftPrompts.map(\.text))
        heldOutSFT = SFTCorpus.generate(prompts: Array(prompts(settings.heldOutSFTExamples * 2, 2)
                                                        .filter { !seen.contains($0.text) }.prefix(settings.heldOutSFTExamples)),
                                        seed: seed &+ 12)
        preference = prompts(settings.preferencePrompts, 3)
        rl = prompts(settings.rlPrompts, 4)
    }

    /// Every prompt by its text (the annotation API returns the text; the oracle needs the hidden facts).
    var promptsByText: [String: TaskPrompt] {
        var map: [String: TaskPrompt] = [:]
        for prompt in preference + rl + eval + sft.examples.map(\.prompt) where map[prompt.text] == nil {
            map[prompt.text] = prompt
        }
        return map
    }
}
