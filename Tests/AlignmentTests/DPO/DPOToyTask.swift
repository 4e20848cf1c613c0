import Foundation
import LanguageModels
import TensorEngine

@testable import Alignment

/// A preference task a tiny policy learns in seconds: prompts of tokens 1…5; responses of tokens 6…11 where the
/// preferred one is rich in `liked` and the dispreferred one in `disliked`. Held-out pairs come from another seed,
/// so a margin that rises on them is a learned preference, not memorised pairs.
enum DPOToyTask {
    static let liked = 7, disliked = 8

    /// The tiny GPT-2 policy (vocabulary 12, width 16, one layer) of the PPO tests.
    static func policy(seed: UInt64 = 5) throws -> TransformerLM {
        let config = try ModelConfig(
            family: .gpt2, vocabSize: 12, hiddenSize: 16, layerCount: 1, headCount: 2, maxPositions: 16)
        return try TransformerLM(config: config, seed: seed, std: 0.2)
    }

    /// `n` pairs: two-token prompts, four-token responses; the chosen one holds `liked` twice, the rejected one
    /// `disliked` twice, the rest random.
    static func pairs(_ n: Int, seed: UInt64) -> [DPOPair] {
        var generator = RandomGenerator(seed: seed)
        func pick(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(generator.next() % UInt64(range.count)) }
        func response(rich token: Int) -> [Int] {
            var r = (0..<4).map { _ in pick(9...11) }
            let first = pick(0...3)
            r[first] = token
            r[(first + 1 + pick(0...2)) % 4] = token
            return r
        }
        return (0..<n).map { _ in
            DPOPair(
                prompt: [pick(1...5), pick(1...5)], chosen: response(rich: liked), rejected: response(rich: disliked))
        }
    }

    /// Settings for quick runs: no checkpoints, evaluations or progress unless asked.
    static func config(steps: Int, lossType: DPOLossType = .sigmoid) -> DPOConfig {
        var c = DPOConfig()
        c.steps = steps
        c.learningRate = 1e-2
        c.warmupSteps = 1
        c.batchSize = 8
        c.beta = 0.1
        c.lossType = lossType
        c.evalEvery = 0
        c.saveEvery = 0
        c.logEvery = 0
        c.maxPromptLength = 4
        c.maxLength = 16
        c.sampling.maxNewTokens = 6
        return c
    }

    /// A trainer of a copy of `reference` (or of `policy` when given) without progress lines.
    static func trainer(
        _ config: DPOConfig, train: [DPOPair], eval: [DPOPair] = [], reference: TransformerLM,
        policy: TransformerLM? = nil, output: URL
    ) throws -> DPOTrainer {
        let trainer = try DPOTrainer(
            policy: policy ?? reference.copy(), reference: reference, train: train, eval: eval,
            config: config, output: output)
        trainer.showProgress = false
        return trainer
    }

    /// A fresh temporary directory (not created).
    static func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("rlhf-dpo-\(UUID().uuidString)")
    }

    /// The records of a run's `metrics.jsonl`.
    static func metrics(in output: URL) throws -> [[String: Any]] {
        try String(contentsOf: output.appendingPathComponent("metrics.jsonl"), encoding: .utf8).split(separator: "\n")
            .map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }
}
