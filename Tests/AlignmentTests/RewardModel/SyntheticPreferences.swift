import Foundation
import LanguageModels
import PreferenceData
import TensorEngine

@testable import Alignment

/// Small synthetic preference sets with a known learnable property, and the tiny models that learn them in seconds.
///
/// Texts are written in a character alphabet where every character is one token: a prompt of letters, a response
/// of letters in which the preferred response contains the marker `#` (the property) and the dispreferred one does
/// not. The sequence a reward model reads is `BOS prompt SEP response EOS`.
enum SyntheticPreferences {
    static let pad = 0, bos = 1, sep = 2, eos = 3
    static let marker: Character = "#"
    static let letters = Array("abcdefghijklmnopqrstuvwxyz")
    static let vocabularySize = 4 + 1 + letters.count

    /// The id of a text character.
    static func id(_ c: Character) -> Int { c == marker ? 4 : 5 + letters.firstIndex(of: c)! }

    /// `BOS prompt SEP response EOS`.
    static func sequence(prompt: String, response: String) -> [Int] {
        [bos] + prompt.map(id) + [sep] + response.map(id) + [eos]
    }

    /// The reward-model input of a text pair (lengths in characters = tokens).
    static func tokenized(_ pair: PreferencePair) -> TokenizedPair {
        TokenizedPair(
            chosen: sequence(prompt: pair.prompt, response: pair.chosen),
            rejected: sequence(prompt: pair.prompt, response: pair.rejected),
            chosenLength: pair.chosen.count, rejectedLength: pair.rejected.count, category: pair.category)
    }

    /// `n` pairs whose preferred response has the marker, except a `labelNoise` share whose labels are flipped (the
    /// rejected response has it). Response lengths are drawn from `lengths`; with `longerPreferred` p, the preferred
    /// response is the longer one with probability p whatever the marker (the two lengths always differ), else
    /// lengths are independent of the label. Categories alternate between "even" and "odd" prompts.
    static func pairs(
        _ n: Int, seed: UInt64, lengths: ClosedRange<Int> = 3...14, longerPreferred: Double? = nil,
        labelNoise: Double = 0
    ) -> [PreferencePair] {
        var generator = RandomGenerator(seed: seed)
        func uniform() -> Double { Double(generator.next() >> 11) / Double(1 << 53) }
        func integer(_ range: ClosedRange<Int>) -> Int {
            range.lowerBound + Int(generator.next() % UInt64(range.count))
        }
        func word(_ length: Int) -> String {
            String((0..<length).map { _ in letters[integer(0...(letters.count - 1))] })
        }
        return (0..<n).map { i in
            var a = integer(lengths), b = integer(lengths)
            if let longerPreferred {
                while a == b { b = integer(lengths) }
                let chosenLonger = uniform() < longerPreferred
                if (a > b) != chosenLonger { swap(&a, &b) }
            }
            var chosen = Array(word(a)), rejected = Array(word(b))
            if uniform() < labelNoise {
                rejected[integer(0...(b - 1))] = marker
            } else {
                chosen[integer(0...(a - 1))] = marker
            }
            let prompt = word(integer(2...4))
            return PreferencePair(
                comparisonID: ComparisonID(rawValue: Int64(i + 1)), promptID: PromptID(rawValue: Int64(i + 1)),
                prompt: prompt, category: i % 2 == 0 ? "even" : "odd", chosen: String(chosen),
                rejected: String(rejected), chosenID: ResponseID(rawValue: Int64(2 * i + 1)),
                rejectedID: ResponseID(rawValue: Int64(2 * i + 2)))
        }
    }

    /// A tiny GPT-2-style backbone (learned positions, so a response's length is as easy to read as its content).
    static func backbone(seed: UInt64 = 1, layers: Int = 2, width: Int = 32) throws -> TransformerLM {
        let config = try ModelConfig(
            family: .gpt2, vocabSize: vocabularySize, hiddenSize: width, layerCount: layers,
            headCount: 4, maxPositions: 32)
        return try TransformerLM(config: config, seed: seed, std: 0.1)
    }

    /// A tiny reward model with a fresh head.
    static func rewardModel(seed: UInt64 = 1, layers: Int = 2, width: Int = 32) throws -> RewardModel {
        RewardModel(
            backbone: try backbone(seed: seed, layers: layers, width: width), headSeed: seed &+ 100, headStd: 0.1)
    }

    /// Settings for quick runs on these sets: no checkpoints or progress unless asked.
    static func config(steps: Int, learningRate: Float = 3e-3, batchSize: Int = 16, scorePriorWeight: Float = 0.01)
        -> RewardModelConfig
    {
        var config = RewardModelConfig()
        config.steps = steps
        config.learningRate = learningRate
        config.warmupSteps = max(1, steps / 20)
        config.batchSize = batchSize
        config.scorePriorWeight = scorePriorWeight
        config.evalEvery = 0
        config.saveEvery = 0
        config.logEvery = 0
        config.lengthBoundaries = [2, 4, 8]
        return config
    }

    /// A fresh temporary directory (not created).
    static func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("rlhf-rm-\(UUID().uuidString)")
    }

    /// Whether the slow experiments run (`RLHF_SLOW_TESTS=1`).
    static var slowTestsEnabled: Bool { ProcessInfo.processInfo.environment["RLHF_SLOW_TESTS"] == "1" }
}
