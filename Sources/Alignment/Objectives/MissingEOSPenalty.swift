import TensorEngine

/// Scores after TRL's `missing_eos_penalty`: `penalty` is subtracted from the score of every response that did not
/// end with an end-of-turn token (`finished` false: it was cut at the token limit). A reward model trained on complete
/// answers scores a cut one as if it were complete; the penalty makes ending the answer pay. `penalty` ≥ 0, and 0
/// leaves the scores as they are.
public func penalisingMissingEOS(scores: [Float], finished: [Bool], penalty: Float) -> [Float] {
    let op = "penalisingMissingEOS"
    if scores.count != finished.count {
        engineFailure(op, "\(scores.count) scores but \(finished.count) finished flags")
    }
    if !(penalty >= 0) || !penalty.isFinite { engineFailure(op, "penalty must be a finite number ≥ 0, got \(penalty)") }
    return zip(scores, finished).map { $1 ? $0 : $0 - penalty }
}

/// The share of responses cut at the token limit (no end-of-turn token), 0 for none.
public func truncatedFraction(_ finished: [Bool]) -> Double {
    finished.isEmpty ? 0 : Double(finished.filter { !$0 }.count) / Double(finished.count)
}
