import LengthBuckets
import Parallelism

/// Options of bucket-based length balancing (paper §2). The paper gives no boundaries; the defaults are ours.
public struct LengthBalancingOptions: Sendable, Hashable {
    /// Bucket edges on the absolute length difference |len(chosen) − len(rejected)|, strictly increasing and
    /// positive. Edges [e₀, e₁, …, eₙ] make buckets [1, e₀), [e₀, e₁), …, [eₙ, ∞); pairs of equal length are a
    /// bucket of their own and are all kept (they carry no length preference).
    /// Default: `defaultCharacterBoundaries`.
    public var boundaries: [Int]
    /// Seed of the down-sampling. Default: 0.
    public var seed: UInt64

    /// Default edges in characters: 20, 50, 100, 200, 400, 800.
    public static let defaultCharacterBoundaries = LengthUnit.characters.defaultBoundaries
    /// Default edges in tokens (about four characters each): 5, 12, 25, 50, 100, 200.
    public static let defaultTokenBoundaries = LengthUnit.tokens.defaultBoundaries

    /// Creates options; every argument has the default documented on its property.
    public init(boundaries: [Int] = LengthBalancingOptions.defaultCharacterBoundaries, seed: UInt64 = 0) {
        self.boundaries = boundaries
        self.seed = seed
    }

    /// Throws if the boundaries are not strictly increasing positive numbers.
    public func validate() throws {
        if let problem = LengthBoundaries.problem(boundaries) { throw PreferenceDataError.invalidArgument(problem) }
    }
}

/// The counts of one length-difference bucket before and after balancing.
public struct LengthBucketCounts: Sendable, Hashable {
    /// Smallest length difference in the bucket.
    public var lowerBound: Int
    /// One past the largest, or nil for the open last bucket.
    public var upperBound: Int?
    /// Pairs whose preferred response is the longer, before.
    public var longerBefore = 0
    /// Pairs whose preferred response is the shorter, before.
    public var shorterBefore = 0
    /// Pairs whose preferred response is the longer, after (equals `shorterAfter`).
    public var longerAfter = 0
    /// Pairs whose preferred response is the shorter, after.
    public var shorterAfter = 0
}

/// What length balancing did.
public struct LengthBalancingReport: Sendable, Hashable {
    /// The length unit.
    public var unit: String
    /// Per bucket, in order of length difference.
    public var buckets: [LengthBucketCounts]
    /// Pairs of equal length (all kept).
    public var equalLength = 0
    /// Tied pairs (no preferred response; all kept).
    public var ties = 0
    /// Pairs in.
    public var before = 0
    /// Pairs out.
    public var after = 0
}

/// Bucket-based length balancing: annotators favour longer answers, so a reward model trained on raw pairs learns
/// "longer is better". Within each bucket of length difference, pairs where the preferred response is longer are
/// down-sampled to the number where it is shorter, or the other way round, so length alone predicts nothing.
///
/// Which pairs are kept depends only on the seed and the pairs' content (not on row ids or input order).
public struct LengthBalancer: Sendable {
    /// The options.
    public var options: LengthBalancingOptions
    /// The length measure.
    public var measure: LengthMeasure

    /// Creates a balancer; throws if the options are invalid.
    public init(options: LengthBalancingOptions = LengthBalancingOptions(), measure: LengthMeasure = .characters) throws
    {
        try options.validate()
        self.options = options
        self.measure = measure
    }

    /// The balanced pairs (in input order) and the report.
    public func balance(_ pairs: [PreferencePair]) -> (pairs: [PreferencePair], report: LengthBalancingReport) {
        let differences = lengthDifferences(pairs)
        let edges = options.boundaries
        var report = LengthBalancingReport(unit: measure.unit, buckets: [], before: pairs.count)
        report.buckets = ([0] + edges).indices.map { index in
            LengthBucketCounts(
                lowerBound: index == 0 ? 1 : edges[index - 1], upperBound: index < edges.count ? edges[index] : nil)
        }
        var longer = [[Int]](repeating: [], count: report.buckets.count)
        var shorter = [[Int]](repeating: [], count: report.buckets.count)
        var keep = [Bool](repeating: false, count: pairs.count)
        for (index, pair) in pairs.enumerated() {
            let difference = differences[index]
            if pair.isTie {
                report.ties += 1
                keep[index] = true
            } else if difference == 0 {
                report.equalLength += 1
                keep[index] = true
            } else {
                // Bucket = number of edges ≤ |difference|.
                let bucket = edges.partitionIndex { $0 > abs(difference) }
                if difference > 0 { longer[bucket].append(index) } else { shorter[bucket].append(index) }
            }
        }
        for bucket in report.buckets.indices {
            report.buckets[bucket].longerBefore = longer[bucket].count
            report.buckets[bucket].shorterBefore = shorter[bucket].count
            let target = min(longer[bucket].count, shorter[bucket].count)
            for index in sample(longer[bucket], count: target, from: pairs)
                + sample(shorter[bucket], count: target, from: pairs)
            {
                keep[index] = true
            }
            report.buckets[bucket].longerAfter = target
            report.buckets[bucket].shorterAfter = target
        }
        let kept = pairs.indices.filter { keep[$0] }.map { pairs[$0] }
        report.after = kept.count
        return (kept, report)
    }

    /// len(chosen) − len(rejected) of each pair, measured in parallel (a tokenizer can be the slow part).
    private func lengthDifferences(_ pairs: [PreferencePair]) -> [Int] {
        let measure = self.measure
        return Parallel.map(count: pairs.count) { range in
            range.map { measure.length(pairs[$0].chosen) - measure.length(pairs[$0].rejected) }
        }.flatMap { $0 }
    }

    /// `count` of `indexes`, chosen by a seeded order of the pairs' content.
    private func sample(_ indexes: [Int], count: Int, from pairs: [PreferencePair]) -> [Int] {
        guard count < indexes.count else { return indexes }
        let keyed = indexes.map {
            (key: StableHash.orderKey(seed: options.seed, item: pairs[$0].contentHash), index: $0)
        }
        return keyed.sorted { ($0.key, pairs[$0.index].comparisonID) < ($1.key, pairs[$1.index].comparisonID) }
            .prefix(count).map(\.index)
    }
}

extension Array {
    /// The index of the first element for which `belongsInSecondPartition` is true, in an array partitioned by it.
    func partitionIndex(where belongsInSecondPartition: (Element) -> Bool) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if belongsInSecondPartition(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
