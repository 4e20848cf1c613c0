import Tokenizers

/// Turns preference pairs into reward-model inputs: each side rendered as a chat (context, prompt, response) with the
/// tokenizer's template. (Reading pairs from the store and balancing their lengths is `AlignmentData`'s.)
public enum PairDataset {
    /// Renders and tokenizes both sides of every pair, with `margins` (one per pair) when given. Conversations longer
    /// than `maxLength` keep their last `maxLength` tokens: the score is read at the end, so the start of a long
    /// prompt is the cheapest part to lose.
    public static func tokenize(
        _ pairs: [TextPair], margins: [Float]? = nil, tokenizer: Tokenizer,
        format: ChatFormat? = nil, maxLength: Int
    ) throws -> [TokenizedPair] {
        precondition(margins == nil || margins!.count == pairs.count, "one margin per pair")
        return try pairs.enumerated().map { index, pair in
            func side(_ response: String) throws -> [Int] {
                do {
                    return Array(
                        try scoredSequence(
                            conversation(pair, response: response), tokenizer: tokenizer,
                            format: format
                        ).suffix(maxLength))
                } catch {
                    throw TrainingError.invalidData("pair \(index + 1) (comparison \(pair.id)): \(error)")
                }
            }
            return TokenizedPair(
                chosen: try side(pair.chosen), rejected: try side(pair.rejected),
                chosenLength: tokenizer.encode(pair.chosen).count,
                rejectedLength: tokenizer.encode(pair.rejected).count,
                category: pair.category, margin: margins?[index] ?? 0)
        }
    }

    /// The tokens a reward model scores for a chat ending in the assistant's answer: the rendered chat up to the
    /// answer's end-of-turn token. What a template writes after it (ChatML's newline) is cut, so the score is read
    /// at the same token as in PPO, whose sampled answers stop at the end-of-turn token.
    public static func scoredSequence(_ messages: [ChatMessage], tokenizer: Tokenizer, format: ChatFormat? = nil) throws
        -> [Int]
    {
        let encoding = try tokenizer.renderChat(messages, format: format)
        guard let last = encoding.assistantMask.lastIndex(of: true) else { return encoding.ids }
        return Array(encoding.ids[...last])
    }

    /// The chat of `pair`'s context and prompt answered by `response`.
    public static func conversation(_ pair: TextPair, response: String) -> [ChatMessage] {
        conversation(context: pair.context, prompt: pair.prompt, response: response)
    }

    /// The chat of earlier turns, the final user message and the response (what `rlhf rm score` scores too).
    public static func conversation(context: [ChatMessage], prompt: String, response: String) -> [ChatMessage] {
        context + [.user(prompt), .assistant(response)]
    }
}
