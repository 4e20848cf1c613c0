/// A preference pair as DPO reads it: one prompt and two responses to it, as token ids. The prompt is what the
/// policy is conditioned on (chat template applied, ending with the assistant's header); only the response tokens'
/// log-probabilities enter the loss.
public struct DPOPair: Sendable, Equatable, Codable {
    /// The prompt's ids (non-empty).
    public var prompt: [Int]
    /// The preferred response's ids (non-empty).
    public var chosen: [Int]
    /// The dispreferred response's ids (non-empty).
    public var rejected: [Int]

    /// A pair; every part must be non-empty (an empty response has no log-probability to move).
    public init(prompt: [Int], chosen: [Int], rejected: [Int]) {
        precondition(
            !prompt.isEmpty && !chosen.isEmpty && !rejected.isEmpty,
            "a DPO pair needs a prompt and two non-empty responses")
        self.prompt = prompt
        self.chosen = chosen
        self.rejected = rejected
    }

    /// The pair cut to fit: the prompt keeps its last `maxPromptLength` tokens (those next to the response matter
    /// most), then each response keeps its first `maxLength − prompt` tokens (where the two start to differ).
    public func truncated(maxPromptLength: Int, maxLength: Int) -> DPOPair {
        precondition(maxPromptLength >= 1 && maxLength > maxPromptLength, "no room for a response")
        var cut = self
        cut.prompt = Array(prompt.suffix(maxPromptLength))
        let room = maxLength - cut.prompt.count
        cut.chosen = Array(chosen.prefix(room))
        cut.rejected = Array(rejected.prefix(room))
        return cut
    }

    /// The longer of the two sequences, prompt included.
    public var longestSequence: Int { prompt.count + Swift.max(chosen.count, rejected.count) }
}
