import Alignment
import SyntheticTask
import TensorEngine
import Testing

@testable import Quickstart

/// The reward model's and the annotators' oracle agreement are counted on the same held-out pairs.
@Suite struct HeldOutAgreementTests {
    /// Good against garbage on each prompt, labelled right or wrong as `annotatorsRight` says; the reward model
    /// right as `rewardModelRight` says; plus one pair of identical answers the oracle ties.
    static func pairs(annotatorsRight: [Bool], rewardModelRight: [Bool]) -> [HeldOutAgreement.LabelledPair] {
        let prompts = BuiltInTask.generate(seed: 3, promptCount: annotatorsRight.count + 1)
        var rng = RandomGenerator(seed: 4)
        var pairs: [HeldOutAgreement.LabelledPair] = []
        for (index, prompt) in prompts.dropLast().enumerated() {
            let good = ResponseWriter.write(.good, for: prompt, rng: &rng)
            let bad = ResponseWriter.write(.garbage, for: prompt, rng: &rng)
            let (chosen, rejected) = annotatorsRight[index] ? (good, bad) : (bad, good)
            // The reward model is right when it prefers the good answer, whichever side the label put it on.
            let prefersChosen = rewardModelRight[index] == annotatorsRight[index]
            pairs.append(
                .init(prompt: prompt, chosen: chosen, rejected: rejected, rewardModelPrefersChosen: prefersChosen))
        }
        let same = ResponseWriter.write(.good, for: prompts.last!, rng: &rng)
        pairs.append(.init(prompt: prompts.last!, chosen: same, rejected: same, rewardModelPrefersChosen: true))
        return pairs
    }

    @Test func bothRatesCountTheSamePairsTheOracleDecides() {
        let pairs = Self.pairs(
            annotatorsRight: [true, true, true, false], rewardModelRight: [true, false, false, false])
        let agreement = HeldOutAgreement.measure(pairs, oracle: GoldOracle())
        #expect(agreement.decidedPairs == 4)
        #expect(agreement.annotators == 0.75)
        #expect(agreement.rewardModel == 0.25)
        #expect(agreement.rewardModelPerCategory.values.allSatisfy { (0...1).contains($0) })
    }

    @Test func aRewardModelThatCopiesTheLabelsMatchesTheAnnotatorsExactly() {
        let right = [true, false, true, true, false, true]
        let agreement = HeldOutAgreement.measure(
            Self.pairs(annotatorsRight: right, rewardModelRight: right),
            oracle: GoldOracle())
        #expect(agreement.rewardModel == agreement.annotators)
        #expect(agreement.annotators == 4.0 / 6)
    }

    @Test func theReportTakesTheAnnotatorsRateOfTheRewardModelsPairs() {
        let result = RewardModelResult(
            pairsAfterFilter: 50, pairsAfterBalancing: 40, trainPairs: 30, evalPairs: 10,
            oracleAccuracy: 0.7, annotatorOracleAgreement: 0.9, oracleDecidedPairs: 8,
            labelAccuracy: 0.6, lengthCorrelation: 0.1, perCategory: [:], loss: [])
        let info = QuickstartPipeline.rewardModelInfo(result)
        #expect(info.accuracy == 0.7)
        #expect(info.oracleAgreement == 0.9)
        #expect(info.oraclePairs == 8)
    }
}

/// The run summary names the reward model's rates, or says there was no held-out pair the oracle decides instead of
/// printing 0/0.
@Suite struct RewardModelSummaryLineTests {
    func info(accuracy: Double, agreement: Double, pairs: Int) -> QuickstartReport.RewardModelInfo {
        QuickstartReport.RewardModelInfo(
            accuracy: accuracy, oracleAgreement: agreement, oraclePairs: pairs, labelAccuracy: 0.5,
            lengthCorrelation: 0, perCategory: [:], trainPairs: 10, evalPairs: 3, loss: [])
    }

    @Test func ratesOrTheReasonThereAreNone() {
        #expect(
            info(accuracy: 0.75, agreement: 0.8, pairs: 4).summaryLine
                == "reward model: accuracy vs oracle 0.750, annotators' oracle agreement 0.800")
        let none = info(accuracy: .nan, agreement: .nan, pairs: 0).summaryLine
        #expect(none == "reward model: no held-out pair the oracle decides, so no accuracy vs oracle")
    }
}
