import Testing

@testable import Alignment

/// The evaluation statistics against numpy/scipy (numbers below from `scipy.stats.pearsonr`, `spearmanr`,
/// `rankdata`, `numpy.std`, and numpy binning of σ(|d|) into 5 bins over [0.5, 1]); tolerance 1e-12 absolute,
/// since both sides compute in Double.
@Suite struct RewardStatisticsTests {
    let x: [Double] = [0.5, -1.25, 2.0, 3.5, 0.5, -0.75, 1.0, 2.0]
    let y: [Double] = [10, 4, 13, 20, 9, 4, 12, 7]
    let tolerance = 1e-12

    @Test func correlationsMatchScipy() throws {
        #expect(abs(try #require(RewardStatistics.pearson(x, y)) - 0.8628971673215231) < tolerance)
        #expect(abs(try #require(RewardStatistics.spearman(x, y)) - 0.8000146927830899) < tolerance)
        #expect(RewardStatistics.ranks(x) == [3.5, 1.0, 6.5, 8.0, 3.5, 2.0, 5.0, 6.5])
        #expect(abs(RewardStatistics.standardDeviation(x)! - 1.4510233457804875) < tolerance)
        #expect(RewardStatistics.mean(x) == 0.9375)
    }

    @Test func degenerateInputsHaveNoCorrelation() {
        #expect(RewardStatistics.pearson([1, 2, 3], [5, 5, 5]) == nil)
        #expect(RewardStatistics.pearson([1], [2]) == nil)
        #expect(RewardStatistics.mean([]) == nil)
    }

    @Test func calibrationMatchesNumpyBinning() {
        let d: [Double] = [2.0, -0.3, 0.1, 1.2, -2.5, 0.0, 3.1, 0.7, -0.05, 4.0]
        let table = RewardStatistics.calibration(scoreDifferences: d, bins: 5)
        let expected: [(Int, Double, Double)] = [
            (4, 0.5279797751937023, 0.25), (1, 0.6681877721681662, 1), (1, 0.7685247834990175, 1),
            (1, 0.8807970779778823, 1), (3, 0.9543494516918596, 2.0 / 3),
        ]
        #expect(table.map(\.count) == expected.map(\.0))
        for (bin, want) in zip(table, expected) {
            #expect(abs(bin.predicted! - want.1) < tolerance && abs(bin.observed! - want.2) < tolerance)
        }
        #expect(table.first!.lower == 0.5 && table.last!.upper == 1)
        #expect(abs(RewardStatistics.expectedCalibrationError(table)! - 0.2657457822205322) < tolerance)
    }

    @Test func winProbabilityIsStableForLargeDifferences() {
        #expect(RewardStatistics.winProbability(800) == 1)
        #expect(RewardStatistics.winProbability(-800) == 0)
        #expect(abs(RewardStatistics.winProbability(0) - 0.5) < tolerance)
    }
}
