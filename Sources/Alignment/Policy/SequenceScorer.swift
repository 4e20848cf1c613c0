import TensorEngine

/// Scores whole responses: the reward of PPO, GRPO and reward-model-labelled DPO. A trained `RewardModel`, or in
/// tests and the built-in task a known function of the tokens.
public protocol SequenceScorer {
    /// One score per (prompt, response) pair.
    func scores(prompts: [[Int]], responses: [[Int]]) -> [Float]
}

extension RewardModel: SequenceScorer {
    /// The reward model's score of each prompt + response, in batches of `scoringBatchSize`, without a tape.
    public func scores(prompts: [[Int]], responses: [[Int]]) -> [Float] {
        let padId = backbone.config.padTokenId ?? backbone.config.eosTokenIds.first ?? 0
        var out: [Float] = []
        for start in stride(from: 0, to: prompts.count, by: 16) {
            let end = min(start + 16, prompts.count)
            let batch = SequenceBatch(zip(prompts[start..<end], responses[start..<end]).map { $0 + $1 }, padId: padId)
            out += withNoGrad { scores(batch.ids, attentionMask: batch.attentionMask).scalars }
        }
        return out
    }
}
