import Alignment
import SyntheticTask
import TensorEngine

/// The built-in task's prompts, dealt into sets: the SFT corpus, the pairs people label, the prompts PPO and DPO
/// optimise on, and the held-out evaluation prompts (with held-out SFT examples on them, for the PTX measure).
///
/// Some categories have few distinct prompt texts (open questions over a fixed list of facts, a handful of unsafe
/// requests), so holding out whole texts must not empty them: from each category and language's distinct texts, at
/// most a quarter go to evaluation and the training sets draw from the rest. An evaluation prompt's text therefore
/// never occurs in training, and every category is trained on. Deterministic for the settings.
struct TaskSplits {
    let sft: SFTCorpus
    let heldOutSFT: SFTCorpus
    let preference: [TaskPrompt]
    let rl: [TaskPrompt]
    let eval: [TaskPrompt]

    /// The largest share of a category's distinct texts held out for evaluation.
    static let evalShare = 0.25

    init(settings: QuickstartSettings) {
        let seed = settings.seed(for: "task")
        // A pool large enough to show every kind's small text space and give the large ones variety; the first
        // appearance of each text is kept, in order.
        let total = settings.sftPrompts + settings.preferencePrompts + settings.rlPrompts + settings.evalPrompts
        let pool = BuiltInTask.generate(seed: seed, promptCount: max(2_000, 2 * total))
        var seen: Set<String> = []
        var kinds: [[TaskPrompt]] = []
        var kindIndex: [String: Int] = [:]
        for prompt in pool where seen.insert(prompt.text).inserted {
            let key = "\(prompt.category.rawValue)/\(prompt.language.rawValue)"
            if kindIndex[key] == nil { kindIndex[key] = kinds.count; kinds.append([]) }
            kinds[kindIndex[key]!].append(prompt)
        }
        var evalKinds: [[TaskPrompt]] = [], trainKinds: [[TaskPrompt]] = []
        for (index, texts) in kinds.enumerated() {
            let quota = settings.evalPrompts / kinds.count + (index < settings.evalPrompts % kinds.count ? 1 : 0)
            let count = min(quota, Int(Double(texts.count) * Self.evalShare))
            evalKinds.append(Array(texts.prefix(count)))
            trainKinds.append(Array(texts.dropFirst(count)))
        }
        let eval = Self.interleave(evalKinds)
        self.eval = eval
        var rng = RandomGenerator(seed: seed &+ 1)
        func draw(_ count: Int) -> [TaskPrompt] {
            (0..<count).map { i in
                let texts = trainKinds[i % trainKinds.count]
                return texts[Int(rng.next() % UInt64(texts.count))]
            }
        }
        // A model trained from scratch learns from answers of mixed quality, so RLHF has flaws to remove; a real
        // model's short SFT is on good answers only (its flaws are its own).
        let mix = settings.model == nil ? QualityMix.default : QualityMix(weights: [.good: 1])
        sft = SFTCorpus.generate(
            prompts: draw(settings.sftPrompts), seed: seed &+ 11,
            responsesPerPrompt: settings.sftResponsesPerPrompt, mix: mix)
        // Distinct texts: the store merges answers to the same text, and every pair of them becomes a task, so a
        // text drawn n times would bring (4n choose 2) tasks.
        preference = Array(Self.interleave(trainKinds).prefix(settings.preferencePrompts))
        rl = draw(settings.rlPrompts)
        let evalCycle = eval.isEmpty ? [] : (0..<settings.heldOutSFTExamples).map { eval[$0 % eval.count] }
        heldOutSFT = SFTCorpus.generate(prompts: evalCycle, seed: seed &+ 12, mix: mix)
    }

    /// The lists taken in turn (one from each while they last), so categories stay balanced in any prefix.
    static func interleave(_ lists: [[TaskPrompt]]) -> [TaskPrompt] {
        var result: [TaskPrompt] = []
        for position in 0..<(lists.map(\.count).max() ?? 0) {
            for list in lists where position < list.count { result.append(list[position]) }
        }
        return result
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
