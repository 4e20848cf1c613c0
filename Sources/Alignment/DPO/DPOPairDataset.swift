import Tokenizers

/// Turns preference pairs (from the store or JSON Lines, read by `AlignmentData`'s `PreferencePairSource`) into DPO
/// pairs with the tokenizer's chat template, split where the policy's answer starts.
public enum DPOPairDataset {
    /// Each pair as one prompt (earlier turns and the final user message, ending with the assistant's header: what
    /// the policy is asked) and the tokens of both answers (text and end-of-turn token, the assistant's part of the
    /// rendered conversation). Offline pairs thus look exactly like sampled ones.
    public static func tokenize(_ pairs: [TextPair], tokenizer: Tokenizer, format: ChatFormat? = nil) throws
        -> [DPOPair]
    {
        try pairs.enumerated().map { index, pair in
            do {
                let prompt = try promptIDs(
                    context: pair.context, prompt: pair.prompt, tokenizer: tokenizer, format: format)
                func answer(_ response: String) throws -> [Int] {
                    let full = try tokenizer.renderChat(
                        PairDataset.conversation(pair, response: response), format: format)
                    return try answerIDs(full, prompt: prompt)
                }
                return DPOPair(prompt: prompt, chosen: try answer(pair.chosen), rejected: try answer(pair.rejected))
            } catch {
                throw TrainingError.invalidData("pair \(index + 1) (comparison \(pair.id)): \(error)")
            }
        }
    }

    /// The distinct prompts (with their earlier turns) of preference pairs, in order of first appearance: on-policy
    /// DPO on the prompts of a store or a split. They render as `PromptDataset` renders prompt files.
    public static func prompts(of pairs: [TextPair], tokenizer: Tokenizer, format: ChatFormat? = nil) throws -> [[Int]]
    {
        var seen = Set<Int64>()
        return try pairs.filter { seen.insert($0.promptID).inserted }.map { pair in
            do {
                return try promptIDs(context: pair.context, prompt: pair.prompt, tokenizer: tokenizer, format: format)
            } catch {
                throw TrainingError.invalidData("prompt \(pair.promptID): \(error)")
            }
        }
    }

    /// The prompt of a conversation: `context` and the final user message `prompt`, with the generation prompt.
    public static func promptIDs(
        context: [ChatMessage], prompt: String, tokenizer: Tokenizer, format: ChatFormat? = nil
    ) throws -> [Int] {
        let messages = Array(PairDataset.conversation(context: context, prompt: prompt, response: "").dropLast())
        return try tokenizer.renderChat(messages, format: format, addGenerationPrompt: true).ids
    }

    /// The answer's tokens in a rendered conversation: what follows `prompt` when the rendering starts with it (the
    /// usual case), else the last run of assistant tokens (when the text joins across the boundary into other
    /// tokens), up to the end of that run.
    static func answerIDs(_ full: ChatEncoding, prompt: [Int]) throws -> [Int] {
        guard let end = full.assistantMask.lastIndex(of: true) else {
            throw TrainingError.invalidData("no assistant answer")
        }
        var start = end
        while start > 0 && full.assistantMask[start - 1] { start -= 1 }
        if full.ids.count > prompt.count && full.ids.starts(with: prompt) && prompt.count <= end {
            start = prompt.count
        }
        return Array(full.ids[start...end])
    }
}
