import PreferenceData

/// How often judges agree with the gold oracle: the ceiling a reward model trained on their labels can reach on
/// oracle-labelled pairs, reported beside the reward model's accuracy.
public enum OracleAgreement {
    /// The fraction of pairs with a strict oracle preference on which the judge made the same choice (a judge's
    /// tie counts as disagreement); pairs the oracle ties are left out. Nil when no pair has a strict preference.
    ///
    /// - Precondition: both lists are the same length, one choice per pair in the same order.
    public static func rate(judgeChoices: [Choice], oracleChoices: [Choice]) -> Double? {
        precondition(judgeChoices.count == oracleChoices.count, "one judge choice per oracle choice")
        var decided = 0, agreed = 0
        for (judge, oracle) in zip(judgeChoices, oracleChoices) where oracle == .a || oracle == .b {
            decided += 1
            if judge == oracle { agreed += 1 }
        }
        return decided == 0 ? nil : Double(agreed) / Double(decided)
    }

    /// Lets `annotator` judge every pair and returns its agreement with `oracle` (see `rate`). Advances the
    /// annotator's noise stream.
    public static func rate(
        of annotator: inout SimulatedAnnotator, on pairs: [ResponsePair],
        oracle: GoldOracle = GoldOracle()
    ) -> Double? {
        let judged = pairs.map { annotator.judge($0).overall }
        return rate(
            judgeChoices: judged, oracleChoices: pairs.map { oracle.prefer(prompt: $0.prompt, a: $0.a, b: $0.b) })
    }
}
