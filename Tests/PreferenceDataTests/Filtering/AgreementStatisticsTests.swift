import Testing

@testable import PreferenceData

@Suite struct AgreementStatisticsTests {
    private func close(_ value: Double?, _ expected: Double) -> Bool {
        guard let value else { return false }
        return abs(value - expected) < 1e-12
    }

    private func anonymous(_ choices: [Choice]) -> [Rating] { choices.map { Rating(rater: nil, choice: $0) } }

    /// Hand-computed Fleiss' kappa, 4 items × 3 ratings:
    /// P_i = Σ n_ij(n_ij − 1) / (3·2): [a,a,a] → 1; [a,b,a] → 2/6; [b,b,tie] → 2/6; [tie,tie,tie] → 1; P̄ = 2/3.
    /// Totals a 5, b 3, tie 4 of 12: P̄e = (25 + 9 + 16)/144 = 25/72; κ = (2/3 − 25/72)/(1 − 25/72) = 23/47.
    @Test func fleissKappaMatchesAHandComputation() {
        let items = [
            anonymous([.a, .a, .a]), anonymous([.a, .b, .a]), anonymous([.b, .b, .tie]), anonymous([.tie, .tie, .tie]),
        ]
        let statistics = AgreementStatistics(items: items)
        #expect(statistics.items == 4)
        #expect(statistics.ratings == 12)
        #expect(close(statistics.observedAgreement, 2.0 / 3.0))
        #expect(close(statistics.unanimous, 0.5))
        #expect(close(statistics.fleissKappa, 23.0 / 47.0))
        #expect(statistics.pairwise.isEmpty)  // no named raters
        #expect(statistics.meanCohenKappa == nil)
    }

    /// Hand-computed Cohen's kappa of two annotators over 10 items:
    /// X = a a a a b b b t t a, Y = a a b a b b a t b a. They agree on 7: p_o = 0.7.
    /// Marginals X (a 5, b 3, t 2), Y (a 5, b 4, t 1): p_e = (25 + 12 + 2)/100 = 0.39; κ = 0.31/0.61.
    /// As two-rating items for Fleiss: P̄ = 0.7, shares a 10/20, b 7/20, t 3/20: P̄e = 0.395; κ = 0.305/0.605.
    @Test func cohenKappaMatchesAHandComputation() throws {
        let x: [Choice] = [.a, .a, .a, .a, .b, .b, .b, .tie, .tie, .a]
        let y: [Choice] = [.a, .a, .b, .a, .b, .b, .a, .tie, .b, .a]
        let first = AnnotatorID(1), second = AnnotatorID(2)
        let items = zip(x, y).map { [Rating(rater: second, choice: $0.1), Rating(rater: first, choice: $0.0)] }
        let statistics = AgreementStatistics(items: items)
        let pair = try #require(statistics.pairwise.first)
        #expect(statistics.pairwise.count == 1)
        #expect(pair.first == first)
        #expect(pair.second == second)
        #expect(pair.sharedItems == 10)
        #expect(close(pair.agreement, 0.7))
        #expect(close(pair.cohenKappa, 0.31 / 0.61))
        #expect(close(statistics.meanCohenKappa, 0.31 / 0.61))
        #expect(close(statistics.fleissKappa, 0.305 / 0.605))
    }

    @Test func lightsKappaIsTheMeanOverPairsWithEnoughSharedItems() {
        let (p, q, r) = (AnnotatorID(1), AnnotatorID(2), AnnotatorID(3))
        // p–q share items 1–2 and agree on both (κ = 1); p–r share items 1–3; q–r share items 1–2.
        let items: [[Rating]] = [
            [Rating(rater: p, choice: .a), Rating(rater: q, choice: .a), Rating(rater: r, choice: .b)],
            [Rating(rater: p, choice: .b), Rating(rater: q, choice: .b), Rating(rater: r, choice: .a)],
            [Rating(rater: p, choice: .a), Rating(rater: r, choice: .a)],
        ]
        let statistics = AgreementStatistics(items: items, minimumSharedItems: 3)
        #expect(statistics.pairwise.map(\.second) == [r])  // only p–r shares three items
        let all = AgreementStatistics(items: items, minimumSharedItems: 2)
        #expect(all.pairwise.count == 3)
        #expect(close(all.pairwise[0].cohenKappa, 1))  // p–q
    }

    @Test func undefinedKappaAndIgnoredSingleRatings() {
        let statistics = AgreementStatistics(items: [anonymous([.a, .a]), anonymous([.a, .a]), anonymous([.b])])
        #expect(statistics.items == 2)
        #expect(statistics.observedAgreement == 1)
        #expect(statistics.fleissKappa == nil)  // everyone always said a: chance agreement is 1
        #expect(AgreementStatistics(items: []).observedAgreement == nil)
    }
}
