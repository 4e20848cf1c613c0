import TensorEngine

/// The paper's reference-baseline reward (ChatGLM-RLHF §3): r′(x, y) = r(x, y) − r(x, y_ref), where y_ref is the
/// reference (SFT) model's response to the same prompt x, generated and scored once before training.
///
/// Subtracting each prompt's own baseline removes the reward-scale differences between prompts and tasks that
/// destabilise the critic, so rewards start near 0 and the paper needs no reward or advantage normalisation with it.
/// `scores` and `referenceScores` are [B], row i scoring a policy response and the reference response to prompt i.
/// Computed without a tape.
public func referenceBaselineRewards(scores: Tensor, referenceScores: Tensor) -> Tensor {
    let op = "referenceBaselineRewards"
    ObjectiveChecks.rank(op, "scores", scores, 1, "[batch]")
    ObjectiveChecks.sameShape(op, ["scores": scores, "referenceScores": referenceScores])
    return withNoGrad { scores - referenceScores }
}
