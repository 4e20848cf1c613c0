import Foundation
import PreferenceData
import Testing

@testable import SyntheticTask

/// Simulated annotators: noise, length bias and category scales measured on generated pairs match the settings.
@Suite struct SimulatedAnnotatorTests {
    let oracle = GoldOracle()
    let pairs = QuickstartFixtures.goodAgainstFlawed().map(\.pair)

    @Test func flipRateMatchesAndSetsTheOracleAgreement() throws {
        for flipRate in [0.0, 0.15, 0.3] {
            var annotator = SimulatedAnnotator(
                name: "noisy",
                config: SimulatedAnnotatorConfig(
                    flipRate: flipRate, lengthBias: 0, tieMargin: 0, seed: 9))
            let agreement = try #require(OracleAgreement.rate(of: &annotator, on: pairs, oracle: oracle))
            #expect(
                abs((1 - agreement) - flipRate) < 0.03,
                "flip rate \(flipRate): agreement \(agreement) over \(pairs.count) pairs")
        }
    }

    @Test func lengthBiasPicksTheLongerAnswerAsOftenAsSet() {
        let shorterIsBetter = pairs.filter { pair in
            let (a, b) = (TextMeasures.units(pair.a).count, TextMeasures.units(pair.b).count)
            let choice = oracle.prefer(prompt: pair.prompt, a: pair.a, b: pair.b)
            return a != b && choice != .tie && (choice == .a) == (a < b)
        }
        #expect(shorterIsBetter.count > 500)
        var annotator = SimulatedAnnotator(
            name: "long",
            config: SimulatedAnnotatorConfig(
                flipRate: 0, lengthBias: 0.3, tieMargin: 0, seed: 3))
        let longer = shorterIsBetter.filter { pair in
            let choice = annotator.judge(pair).overall
            return (choice == .a) == (TextMeasures.units(pair.a).count > TextMeasures.units(pair.b).count)
        }.count
        let rate = Double(longer) / Double(shorterIsBetter.count)
        #expect(abs(rate - 0.3) < 0.04, "picked the longer, worse answer in \(rate) of \(shorterIsBetter.count) pairs")
    }

    @Test func categoryScalesDifferAsConfigured() {
        let scales: [TaskCategory: Double] = [.writing: 3, .rolePlay: 2, .openQA: 1, .safety: 1, .arithmetic: 0.25]
        let annotator = SimulatedAnnotator(name: "scaled", config: SimulatedAnnotatorConfig(categoryScales: scales))
        for pair in pairs {
            let total = oracle.score(prompt: pair.prompt, response: pair.b).total
            let perceived = annotator.perceivedReward(prompt: pair.prompt, response: pair.b)
            #expect(abs(perceived - scales[pair.prompt.category]! * total) < 1e-12)
        }
        // A narrow scale turns small quality differences into ties: the padded answer ties far more often in
        // arithmetic than in writing.
        var judge = SimulatedAnnotator(
            name: "scaled",
            config: SimulatedAnnotatorConfig(
                flipRate: 0, lengthBias: 0, categoryScales: scales, tieMargin: 0.05))
        func tieRate(_ category: TaskCategory) -> Double {
            let padded = QuickstartFixtures.goodAgainstFlawed(
                QuickstartFixtures.prompts.filter { $0.category == category }
            )
            .filter { $0.flaw == .padded }.map(\.pair)
            return Double(padded.filter { judge.judge($0).overall == .tie }.count) / Double(padded.count)
        }
        let (arithmetic, writing) = (tieRate(.arithmetic), tieRate(.writing))
        #expect(arithmetic > writing + 0.5, "ties: arithmetic \(arithmetic), writing \(writing)")
    }

    @Test func judgementsAreDeterministicAndInThePreferenceDataFormat() throws {
        var first = SimulatedAnnotator(name: "ann-1", config: SimulatedAnnotatorConfig(reportsScores: true, seed: 5))
        var second = first
        let a = pairs.prefix(50).map { first.judge($0) }, b = pairs.prefix(50).map { second.judge($0) }
        #expect(a == b)
        let judgement = try #require(a.first)
        #expect(judgement.annotator == AnnotatorReference(name: "ann-1", kind: .human))
        #expect(Set(judgement.dimensions.keys) == Set(QualityDimension.allCases))
        #expect(judgement.scoreA != nil && judgement.scoreB != nil)
        let body = try JSONSerialization.jsonObject(with: judgement.labelRequestBody(taskID: 12)) as? [String: Any]
        #expect(body?["task_id"] as? Int == 12)
        #expect(Choice(text: body?["choice"] as? String ?? "") == judgement.overall)
        #expect((body?["dimensions"] as? [String: String])?.count == 3)
    }

    @Test func agreementRateCountsOnlyStrictOraclePreferences() {
        #expect(OracleAgreement.rate(judgeChoices: [.a, .b, .tie, .a], oracleChoices: [.a, .a, .b, .tie]) == 1.0 / 3)
        #expect(OracleAgreement.rate(judgeChoices: [.a], oracleChoices: [.tie]) == nil)
    }
}
