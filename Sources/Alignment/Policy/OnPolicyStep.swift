/// When PPO's or GRPO's update can score a bf16 actor itself. Such an actor's sampler cannot stand for the old policy
/// (`RolloutScores`), so it would be rescored by a forward of its own; but with one epoch, one minibatch and one piece
/// of it, that is exactly the forward the update starts with, kept with its tape. One process only: the old
/// log-probabilities of every row are needed where the batch is assembled.
enum OnPolicyStep {
    /// Whether the step applies, for `rows` rollouts per iteration (`microBatchSize` 0: one piece).
    static func scoresTheActor(
        actorNeedsRescoring: Bool, oneProcess: Bool, rescoreAsked: Bool, epochs: Int, minibatchSize: Int, rows: Int,
        microBatchSize: Int = 0
    ) -> Bool {
        actorNeedsRescoring && oneProcess && !rescoreAsked && epochs == 1 && minibatchSize >= rows
            && (microBatchSize == 0 || microBatchSize >= rows)
    }
}
