import Alignment
import LengthBuckets
import PreferenceData
import Tokenizers

extension PairDataset {
    /// The pairs to train on and, when balancing ran, what it did.
    public struct Prepared {
        /// The tokenized pairs, in the order of the input pairs that survived.
        public var pairs: [TokenizedPair]
        /// The balancing report, or nil when balancing was off.
        public var balancing: LengthBalancingReport?
    }

    /// Balances (when `balance`), attaches margins (`marginScale` × the score differences, when given) and
    /// tokenizes `pairs` with the settings of `config`.
    public static func prepare(
        _ pairs: [PreferencePair], scoreDifferences: [Float]? = nil, config: RewardModelConfig,
        balance: Bool, tokenizer: Tokenizer, format: ChatFormat? = nil
    ) throws -> Prepared {
        var kept = pairs
        var report: LengthBalancingReport? = nil
        if balance {
            (kept, report) = try balancer(config: config, tokenizer: tokenizer).balance(pairs)
        }
        var margins: [Float]? = nil
        if let scoreDifferences {
            let byComparison = Dictionary(
                zip(pairs.map(\.comparisonID), scoreDifferences), uniquingKeysWith: { a, _ in a })
            margins = kept.map { config.marginScale * (byComparison[$0.comparisonID] ?? 0) }
        }
        let tokenized = try tokenize(
            kept.map(\.textPair), margins: margins, tokenizer: tokenizer, format: format,
            maxLength: config.maxLength)
        return Prepared(pairs: tokenized, balancing: report)
    }

    /// The length balancer `config` describes (unit, boundaries, seed); token lengths need `tokenizer`.
    public static func balancer(config: RewardModelConfig, tokenizer: Tokenizer?) throws -> LengthBalancer {
        let edges = config.lengthBoundaries ?? config.lengthUnit.defaultBoundaries
        var measure = LengthMeasure.characters
        if config.lengthUnit == .tokens {
            guard let tokenizer else { throw TrainingError.invalidConfig("length unit tokens needs a tokenizer") }
            measure = .tokens { tokenizer.encode($0).count }
        }
        do {
            return try LengthBalancer(
                options: LengthBalancingOptions(boundaries: edges, seed: config.seed), measure: measure)
        } catch {
            throw TrainingError.invalidConfig("\(error)")
        }
    }
}
