import Foundation
import PreferenceData
import Tokenizers

/// Turns preference pairs into reward-model inputs: optional bucket-based length balancing, then each side rendered
/// as a chat (context, prompt, response) with the tokenizer's template.
public enum PairDataset {
    /// The pairs to train on and, when balancing ran, what it did.
    public struct Prepared {
        /// The tokenized pairs, in the order of the input pairs that survived.
        public var pairs: [TokenizedPair]
        /// The balancing report, or nil when balancing was off.
        public var balancing: LengthBalancingReport?
    }

    /// Balances (when `balance`), attaches margins (`marginScale` × the score differences, when given) and
    /// tokenizes `pairs` with the settings of `config`.
    public static func prepare(_ pairs: [PreferencePair], scoreDifferences: [Float]? = nil, config: RewardModelConfig,
                               balance: Bool, tokenizer: Tokenizer, format: ChatFormat? = nil) throws -> Prepared {
        var kept = pairs
        var report: LengthBalancingReport? = nil
        if balance {
            (kept, report) = try balancer(config: config, tokenizer: tokenizer).balance(pairs)
        }
        var margins: [Float]? = nil
        if let scoreDifferences {
            let byComparison = Dictionary(zip(pairs.map(\.comparisonID), scoreDifferences), uniquingKeysWith: { a, _ in a })
            margins = kept.map { config.marginScale * (byComparison[$0.comparisonID] ?? 0) }
        }
        let tokenized = try tokenize(kept, margins: margins, tokenizer: tokenizer, format: format, maxLength: config.maxLength)
        return Prepared(pairs: tokenized, balancing: report)
    }

    /// The length balancer `config` describes (unit, boundaries, seed); token lengths need `tokenizer`.
    public static func balancer(config: RewardModelConfig, tokenizer: Tokenizer?) throws -> LengthBalancer {
        let tokens = config.lengthUnit == "tokens"
        let edges = config.lengthBoundaries
            ?? (tokens ? LengthBalancingOptions.defaultTokenBoundaries : LengthBalancingOptions.defaultCharacterBoundaries)
        var measure = LengthMeasure.characters
        if tokens {
            guard let tokenizer else { throw TrainingError.invalidConfig("length unit tokens needs a tokenizer") }
            measure = .tokens { tokenizer.encode($0).count }
        }
        do {
            return try LengthBalancer(options: LengthBalancingOptions(boundaries: edges, seed: config.seed), measure: measure)
        } catch {
            throw TrainingError.invalidConfig("\(error)")
        }
    }

    /// Renders and tokenizes both sides of every pair. Conversations longer than `maxLength` keep their last
    /// `maxLength` tokens: the score is read at the end, so the start of a long prompt is the cheapest part to lose.
    public static func tokenize(_ pairs: [PreferencePair], margins: [Float]? = nil, tokenizer: Tokenizer,
                                format: ChatFormat? = nil, maxLength: Int) throws -> [TokenizedPair] {
        precondition(margins == nil || margins!.count == pairs.count, "one margin per pair")
        return try pairs.enumerated().map { index, pair in
            func side(_ response: String) throws -> [Int] {
                do { return Array(try scoredSequence(conversation(pair, response: response), tokenizer: tokenizer,
                                                     format: format).suffix(maxLength)) } catch {
                    throw TrainingError.invalidData("pair \(index + 1) (comparison \(pair.comparisonID)): \(error)")
                }
            }
            return TokenizedPair(chosen: try side(pair.chosen), rejected: try side(pair.rejected),
                                 chosenLength: tokenizer.encode(pair.chosen).count,
                                 rejectedLength: tokenizer.encode(pair.rejected).count,
                                 category: pair.category, margin: margins?[index] ?? 0)
        }
    }

    /// The tokens a reward model scores for a chat ending in the assistant's answer: the rendered chat up to the
    /// answer's end-of-turn token. What a template writes after it (ChatML's newline) is cut, so the score is read
    /// at the same token as in PPO, whose sampled answers stop at the end-of-turn token.
    public static func scoredSequence(_ messages: [ChatMessage], tokenizer: Tokenizer, format: ChatFormat? = nil) throws -> [Int] {
        let encoding = try tokenizer.renderChat(messages, format: format)
        guard let last = encoding.assistantMask.lastIndex(of: true) else { return encoding.ids }
        return Array(encoding.ids[...last])
    }

    /// The chat of `pair`'s context and prompt answered by `response`.
    public static func conversation(_ pair: PreferencePair, response: String) -> [ChatMessage] {
        conversation(context: pair.context, prompt: pair.prompt, response: response)
    }

    /// The chat of earlier turns, the final user message and the response (what `rlhf rm score` scores too).
    public static func conversation(context: [Turn], prompt: String, response: String) -> [ChatMessage] {
        context.map { ChatMessage(role: ChatMessage.Role(rawValue: $0.role.rawValue) ?? .user, content: $0.content) }
            + [.user(prompt), .assistant(response)]
    }
}
