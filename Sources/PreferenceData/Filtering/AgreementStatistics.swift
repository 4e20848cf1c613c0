/// One rating of an item for agreement statistics: who gave it (nil if the rater is unknown, as for a dataset's
/// votes) and the choice.
public struct Rating: Sendable, Hashable {
    /// The rater, or nil if unknown (counts for Fleiss' kappa, not for Cohen's).
    public var rater: AnnotatorID?
    /// The choice.
    public var choice: Choice

    /// Creates a rating.
    public init(rater: AnnotatorID?, choice: Choice) {
        self.rater = rater
        self.choice = choice
    }
}

/// Cohen's kappa of two annotators over the comparisons both judged.
public struct PairwiseAgreement: Sendable, Hashable {
    /// The annotator with the lower id.
    public var first: AnnotatorID
    /// The other annotator.
    public var second: AnnotatorID
    /// Comparisons both judged.
    public var sharedItems: Int
    /// Fraction of those on which they agree.
    public var agreement: Double
    /// Cohen's kappa; nil when chance agreement is 1 (both always gave the same single choice).
    public var cohenKappa: Double?
}

/// Inter-annotator agreement over items (comparisons) that received two or more ratings.
///
/// - `observedAgreement`: the mean over items of the fraction of rating pairs that agree (Fleiss' P̄).
/// - `fleissKappa`: (P̄ − P̄e) / (1 − P̄e) with P̄e = Σ_j p_j², p_j the share of all ratings in category j. With a
///   varying number of ratings per item each item's agreement uses its own count; with a constant count this is
///   exactly Fleiss (1971).
/// - `pairwise`: Cohen's kappa for every two named annotators with at least `minimumSharedItems` shared items;
///   `meanCohenKappa` is their mean (Light's kappa).
/// Categories are the four choices (a, b, tie, both_bad).
public struct AgreementStatistics: Sendable, Hashable {
    /// Items with two or more ratings.
    public var items = 0
    /// Ratings of those items.
    public var ratings = 0
    /// Mean fraction of agreeing rating pairs per item; nil without items.
    public var observedAgreement: Double?
    /// Fraction of items whose ratings are all the same; nil without items.
    public var unanimous: Double?
    /// Fleiss' kappa; nil without items or when chance agreement is 1.
    public var fleissKappa: Double?
    /// Cohen's kappa per annotator pair, ordered by annotator ids.
    public var pairwise: [PairwiseAgreement] = []
    /// Mean of the pairwise Cohen's kappas that are defined; nil if none.
    public var meanCohenKappa: Double?

    /// Creates empty statistics.
    public init() {}

    /// Computes the statistics of `items`, each the ratings of one item; items with fewer than two are ignored.
    public init(items: [[Rating]], minimumSharedItems: Int = 2) {
        let categories = Choice.allCases
        func slot(_ choice: Choice) -> Int { categories.firstIndex(of: choice)! }

        var totals = [Int](repeating: 0, count: categories.count)
        var agreementSum = 0.0
        var unanimousItems = 0
        struct PairTally {
            var shared = 0
            var agreeing = 0
            var firstCounts = [Int](repeating: 0, count: 4)
            var secondCounts = [Int](repeating: 0, count: 4)
        }
        struct RaterPair: Hashable { var first: AnnotatorID; var second: AnnotatorID }
        var tallies: [RaterPair: PairTally] = [:]

        for ratings in items where ratings.count >= 2 {
            self.items += 1
            self.ratings += ratings.count
            var counts = [Int](repeating: 0, count: categories.count)
            for rating in ratings { counts[slot(rating.choice)] += 1 }
            let n = Double(ratings.count)
            agreementSum += Double(counts.reduce(0) { $0 + $1 * ($1 - 1) }) / (n * (n - 1))
            if counts.contains(ratings.count) { unanimousItems += 1 }
            for (category, count) in counts.enumerated() { totals[category] += count }

            let named = ratings.compactMap { rating in rating.rater.map { ($0, rating.choice) } }.sorted { $0.0 < $1.0 }
            guard named.count >= 2 else { continue }
            for i in 0..<(named.count - 1) {
                for j in (i + 1)..<named.count where named[i].0 != named[j].0 {
                    let key = RaterPair(first: named[i].0, second: named[j].0)
                    var tally = tallies[key] ?? PairTally()
                    tally.shared += 1
                    if named[i].1 == named[j].1 { tally.agreeing += 1 }
                    tally.firstCounts[slot(named[i].1)] += 1
                    tally.secondCounts[slot(named[j].1)] += 1
                    tallies[key] = tally
                }
            }
        }
        guard self.items > 0 else { return }
        let observed = agreementSum / Double(self.items)
        observedAgreement = observed
        unanimous = Double(unanimousItems) / Double(self.items)
        let allRatings = Double(self.ratings)
        let chance = totals.reduce(0.0) { $0 + (Double($1) / allRatings) * (Double($1) / allRatings) }
        fleissKappa = Self.kappa(observed: observed, chance: chance)

        pairwise = tallies.filter { $0.value.shared >= minimumSharedItems }.map { key, tally in
            let n = Double(tally.shared)
            let chance = zip(tally.firstCounts, tally.secondCounts).reduce(0.0) {
                $0 + Double($1.0) / n * Double($1.1) / n
            }
            let agreement = Double(tally.agreeing) / n
            return PairwiseAgreement(
                first: key.first, second: key.second, sharedItems: tally.shared,
                agreement: agreement, cohenKappa: Self.kappa(observed: agreement, chance: chance))
        }.sorted { ($0.first, $0.second) < ($1.first, $1.second) }
        let kappas = pairwise.compactMap(\.cohenKappa)
        meanCohenKappa = kappas.isEmpty ? nil : kappas.reduce(0, +) / Double(kappas.count)
    }

    /// (observed − chance) / (1 − chance), undefined when chance agreement is certain.
    static func kappa(observed: Double, chance: Double) -> Double? {
        guard chance < 1 - 1e-12 else { return nil }
        return (observed - chance) / (1 - chance)
    }
}
