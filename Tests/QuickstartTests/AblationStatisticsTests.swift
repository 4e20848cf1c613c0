import Testing

@testable import Quickstart

/// Ablations over seeds: mean ± standard deviation, and a verdict only beyond two standard errors.
@Suite struct AblationStatisticsTests {
    typealias Comparison = QuickstartReport.MeasureComparison

    @Test func meansStandardDeviationsAndThePairedStandardError() {
        let m = Comparison(on: [1, 2, 3], off: [2, 4, 3])
        #expect(m.onMean == 2)
        #expect(m.onStandardDeviation == 1)  // n − 1 in the denominator
        #expect(m.offMean == 3)
        #expect(abs(m.offStandardDeviation - 1) < 1e-12)
        // Differences −1, −2, 0: mean −1, standard deviation 1, standard error 1/√3.
        #expect(m.difference == -1)
        #expect(abs(m.standardError - 1 / 3.0.squareRoot()) < 1e-12)
    }

    @Test func aDifferenceBeyondTwoStandardErrorsMatchesThePaperOnlyInItsDirection() {
        let m = Comparison(on: [0.10, 0.12, 0.11], off: [0.30, 0.33, 0.31])
        #expect(m.verdict(expected: .lower) == .matchesPaper)
        #expect(m.verdict(expected: .higher) == .oppositeToPaper)
    }

    @Test func aDifferenceWithinTwoStandardErrorsIsNoise() {
        // Mean difference −0.01 against differences −0.05, +0.04, −0.02: well within two standard errors.
        let m = Comparison(on: [0.65, 0.70, 0.66], off: [0.70, 0.66, 0.68])
        #expect(abs(m.difference) < 2 * m.standardError)
        #expect(m.verdict(expected: .lower) == .withinNoise)
        #expect(m.verdict(expected: .higher) == .withinNoise)
    }

    @Test func oneSeedGivesNoVerdict() {
        let m = Comparison(on: [0.1], off: [0.5])
        #expect(m.onStandardDeviation.isNaN)
        #expect(m.verdict(expected: .lower) == .singleSeed)
    }

    @Test func aTechniqueMatchesOnlyWhenEveryPaperMeasureDoes() {
        typealias Verdict = QuickstartReport.Verdict
        #expect(Verdict.combining([.matchesPaper, .matchesPaper]) == .matchesPaper)
        #expect(Verdict.combining([.matchesPaper, .withinNoise]) == .withinNoise)
        #expect(Verdict.combining([.matchesPaper, .oppositeToPaper]) == .oppositeToPaper)
        #expect(Verdict.combining([.singleSeed]) == .singleSeed)
    }

    @Test func ablationSummarisesEveryMeasureOnBothSidesAndJudgesThePapersOnes() {
        let ablation = QuickstartReport.Ablation(
            on: [
                ["variance": 0.60, "kl_growth": 0.020, "only_on": 1],
                ["variance": 0.70, "kl_growth": 0.021, "only_on": 1],
                ["variance": 0.66, "kl_growth": 0.022, "only_on": 1],
            ],
            off: [
                ["variance": 0.70, "kl_growth": 0.030], ["variance": 0.66, "kl_growth": 0.031],
                ["variance": 0.68, "kl_growth": 0.029],
            ],
            paperMeasures: ["variance": .lower, "kl_growth": .lower], curvesOn: [:], curvesOff: [:],
            subject: "PPO with the reference baseline vs without")
        #expect(ablation.seeds == 3)
        #expect(Set(ablation.measures.keys) == ["variance", "kl_growth"])  // a measure of one side only is left out
        #expect(ablation.measureVerdicts == ["variance": .withinNoise, "kl_growth": .matchesPaper])
        #expect(ablation.verdict == .withinNoise)
        #expect(ablation.summary.hasPrefix("PPO with the reference baseline vs without over 3 seeds (mean ± sd): "))
        #expect(ablation.summary.contains("kl_growth 0.0210 ± 0.0010 with vs 0.0300 ± 0.0010 without"))
        #expect(ablation.summary.contains("variance") && ablation.summary.contains("within noise"))
    }
}
