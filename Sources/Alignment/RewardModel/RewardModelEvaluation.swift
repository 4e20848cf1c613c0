import Foundation
import TensorEngine

/// Scoring held-out pairs with a reward model and summarising the scores into a `RewardEvaluationReport`.
public enum RewardModelEvaluation {
    /// The scores of both sides of every pair, `batchSize` pairs per forward pass, without gradients.
    public static func scores(
        of pairs: [TokenizedPair], model: RewardModel, batchSize: Int,
        padId: Int
    ) -> (chosen: [Float], rejected: [Float]) {
        var chosen: [Float] = [], rejected: [Float] = []
        withNoGrad {
            for start in stride(from: 0, to: pairs.count, by: max(1, batchSize)) {
                let batch = PairBatch(Array(pairs[start..<min(start + max(1, batchSize), pairs.count)]), padId: padId)
                let (c, r) = batch.split(
                    model.scores(batch.sequences.ids, attentionMask: batch.sequences.attentionMask))
                chosen += c.scalars
                rejected += r.scalars
            }
        }
        return (chosen, rejected)
    }

    /// The report of `pairs` scored `chosenScores` / `rejectedScores`. Length buckets use `lengthBoundaries`
    /// (tokens, edges as in length balancing) plus a bucket of equal-length pairs; calibration uses `calibrationBins`.
    public static func report(
        pairs: [TokenizedPair], chosenScores: [Float], rejectedScores: [Float],
        lengthBoundaries: [Int], calibrationBins: Int
    ) -> RewardEvaluationReport {
        precondition(
            pairs.count == chosenScores.count && pairs.count == rejectedScores.count, "one score per side of each pair")
        precondition(!pairs.isEmpty, "no pairs to evaluate")
        let chosen = chosenScores.map(Double.init), rejected = rejectedScores.map(Double.init)
        let differences = zip(chosen, rejected).map { $0 - $1 }
        let correct = differences.map { $0 > 0 }
        let all = chosen + rejected
        let lengths = pairs.map { Double($0.chosenLength) } + pairs.map { Double($0.rejectedLength) }
        let rankingLoss =
            differences.reduce(0.0) { $0 - Foundation.log(RewardStatistics.winProbability($1)) } / Double(pairs.count)
        let calibration = RewardStatistics.calibration(scoreDifferences: differences, bins: calibrationBins)
        return RewardEvaluationReport(
            pairs: pairs.count, accuracy: accuracy(Array(pairs.indices), correct)!, rankingLoss: rankingLoss,
            scoreMean: RewardStatistics.mean(all)!, scoreStd: RewardStatistics.standardDeviation(all)!,
            chosenScoreMean: RewardStatistics.mean(chosen)!, rejectedScoreMean: RewardStatistics.mean(rejected)!,
            lengthPearson: RewardStatistics.pearson(all, lengths),
            lengthSpearman: RewardStatistics.spearman(all, lengths),
            categories: categoryGroups(pairs, correct),
            lengthBuckets: lengthBuckets(pairs, correct, boundaries: lengthBoundaries),
            calibration: calibration, expectedCalibrationError: RewardStatistics.expectedCalibrationError(calibration))
    }

    static let uncategorised = "(none)"

    private static func accuracy(_ indices: [Int], _ correct: [Bool]) -> Double? {
        indices.isEmpty ? nil : Double(indices.filter { correct[$0] }.count) / Double(indices.count)
    }

    private static func categoryGroups(_ pairs: [TokenizedPair], _ correct: [Bool]) -> [RewardEvaluationReport.Group] {
        let byCategory = Dictionary(grouping: pairs.indices) { pairs[$0].category ?? uncategorised }
        return byCategory.keys.sorted().map { name in
            RewardEvaluationReport.Group(
                name: name, pairs: byCategory[name]!.count, accuracy: accuracy(byCategory[name]!, correct))
        }
    }

    private static func lengthBuckets(
        _ pairs: [TokenizedPair], _ correct: [Bool],
        boundaries: [Int]
    ) -> [RewardEvaluationReport.LengthBucket] {
        let lowers = [0, 1] + boundaries
        return lowers.indices.map { b in
            let lower = lowers[b], upper = b + 1 < lowers.count ? lowers[b + 1] : nil
            let members = pairs.indices.filter {
                let difference = abs(pairs[$0].chosenLength - pairs[$0].rejectedLength)
                return difference >= lower && (upper.map { difference < $0 } ?? true)
            }
            let longer = members.filter { pairs[$0].chosenLength > pairs[$0].rejectedLength }
            let shorter = members.filter { pairs[$0].chosenLength < pairs[$0].rejectedLength }
            let sides =
                lower == 0
                ? []
                : [
                    RewardEvaluationReport.Group(
                        name: "longer", pairs: longer.count, accuracy: accuracy(longer, correct)),
                    RewardEvaluationReport.Group(
                        name: "shorter", pairs: shorter.count, accuracy: accuracy(shorter, correct)),
                ]
            return RewardEvaluationReport.LengthBucket(
                lower: lower, upper: upper, pairs: members.count,
                accuracy: accuracy(members, correct), byPreferredSide: sides)
        }
    }
}
