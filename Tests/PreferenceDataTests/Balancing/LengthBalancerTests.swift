import Testing

@testable import PreferenceData

@Suite struct LengthBalancerTests {
    /// Pairs whose chosen response is `difference` characters longer (negative: shorter) than the rejected one.
    private func pairs(_ differences: [Int]) -> [PreferencePair] {
        differences.enumerated().map { index, difference in
            let base = 10 + index % 7
            return makePair(
                id: Int64(index + 1), prompt: Int64(index / 3 + 1),
                chosen: String(repeating: "c", count: base + max(0, difference)) + "\(index)",
                rejected: String(repeating: "r", count: base + max(0, -difference)) + "\(index)")
        }
    }

    private func bucketCounts(_ pairs: [PreferencePair], boundaries: [Int]) -> [Int: (longer: Int, shorter: Int)] {
        var counts: [Int: (longer: Int, shorter: Int)] = [:]
        for pair in pairs where !pair.isTie {
            let difference = pair.chosen.count - pair.rejected.count
            guard difference != 0 else { continue }
            let bucket = boundaries.filter { $0 <= abs(difference) }.count
            var count = counts[bucket] ?? (0, 0)
            if difference > 0 { count.longer += 1 } else { count.shorter += 1 }
            counts[bucket] = count
        }
        return counts
    }

    /// A length-biased set: in every bucket, more preferred-longer than preferred-shorter pairs (and one bucket the
    /// other way round).
    private var biased: [PreferencePair] {
        var differences: [Int] = []
        differences += Array(repeating: 5, count: 30) + Array(repeating: -3, count: 20)  // bucket [1, 20)
        differences += Array(repeating: 30, count: 40) + Array(repeating: -45, count: 10)  // [20, 50)
        differences += Array(repeating: 70, count: 5) + Array(repeating: -90, count: 12)  // [50, 100): shorter wins
        differences += Array(repeating: 500, count: 9)  // [400, 800): no shorter at all
        differences += Array(repeating: 0, count: 4)  // equal length
        return pairs(differences)
    }

    @Test func everyBucketEndsWithEqualCounts() throws {
        let balancer = try LengthBalancer()
        let (kept, report) = balancer.balance(biased)
        let boundaries = LengthBalancingOptions.defaultCharacterBoundaries
        for (bucket, count) in bucketCounts(kept, boundaries: boundaries) {
            #expect(count.longer == count.shorter, "bucket \(bucket)")
        }
        #expect(report.buckets.map(\.longerBefore) == [30, 40, 5, 0, 0, 9, 0])
        #expect(report.buckets.map(\.shorterBefore) == [20, 10, 12, 0, 0, 0, 0])
        #expect(report.buckets.map(\.longerAfter) == [20, 10, 5, 0, 0, 0, 0])
        #expect(report.buckets.map(\.shorterAfter) == report.buckets.map(\.longerAfter))
        #expect(report.buckets.first?.lowerBound == 1)
        #expect(report.buckets.first?.upperBound == 20)
        #expect(report.buckets.last?.lowerBound == 800)
        #expect(report.buckets.last?.upperBound == nil)
        #expect(report.equalLength == 4)
        #expect(report.before == 130)
        #expect(report.after == 2 * (20 + 10 + 5) + 4)
        #expect(kept.count == report.after)
        // Kept pairs stay in input order.
        #expect(kept.map(\.comparisonID) == kept.map(\.comparisonID).sorted())
    }

    @Test func deterministicForASeedAndIndependentOfInputOrder() throws {
        let balancer = try LengthBalancer(options: LengthBalancingOptions(seed: 7))
        let first = balancer.balance(biased).pairs
        #expect(balancer.balance(biased).pairs == first)
        #expect(Set(balancer.balance(biased.reversed()).pairs.map(\.comparisonID)) == Set(first.map(\.comparisonID)))
        let other = try LengthBalancer(options: LengthBalancingOptions(seed: 8)).balance(biased).pairs
        #expect(other.count == first.count)
        #expect(other != first)
    }

    @Test func tiesAndEqualLengthsAreKept() throws {
        var input = pairs([3, 3, 3, 0])
        input.append(makePair(id: 99, chosen: "long tie response", rejected: "x", isTie: true))
        let (kept, report) = try LengthBalancer().balance(input)
        #expect(report.ties == 1)
        #expect(report.equalLength == 1)
        #expect(kept.map(\.comparisonID.rawValue) == [4, 99])  // the three one-sided pairs have no counterpart
    }

    @Test func tokenMeasureAndCustomBoundaries() throws {
        // "Tokens" here are words; the chosen response has 1 or 6 more words than the rejected one.
        let words = LengthMeasure.tokens { $0.split(separator: " ").count }
        let input = [
            makePair(id: 1, chosen: "a b c", rejected: "a b"), makePair(id: 2, chosen: "a", rejected: "a b"),
            makePair(id: 3, chosen: "a b c d e f g", rejected: "a"),
            makePair(id: 4, chosen: "a b c d e f g h", rejected: "a b"),
        ]
        let balancer = try LengthBalancer(options: LengthBalancingOptions(boundaries: [2, 5]), measure: words)
        let (kept, report) = balancer.balance(input)
        #expect(report.unit == "tokens")
        #expect(report.buckets.map(\.longerBefore) == [1, 0, 2])
        #expect(report.buckets.map(\.shorterBefore) == [1, 0, 0])
        #expect(kept.map(\.comparisonID.rawValue) == [1, 2])
    }

    @Test func invalidBoundariesAreRejected() {
        for boundaries in [[], [0, 10], [10, 10], [20, 10]] {
            #expect(throws: PreferenceDataError.self) {
                try LengthBalancer(options: LengthBalancingOptions(boundaries: boundaries))
            }
        }
    }
}
