import Foundation
import LanguageModels

/// The sizes and hyperparameters of one quickstart run. Presets: `standard` (the default) and `fast` (smaller
/// everything) train a small model from scratch; `realModel(at:fast:)` aligns a real chat model instead. A run
/// directory remembers the settings it was made with and refuses to continue under different ones, so results of two
/// configurations never mix.
public struct QuickstartSettings: Codable, Sendable, Equatable {
    /// The preset the settings started from.
    public var mode: QuickstartMode
    /// Every stage derives its seed from this one.
    public var seed: UInt64

    // A real chat model instead of one trained from scratch (nil in the from-scratch presets, whose run.json files
    // predate these fields).
    /// The starting chat model: a Hugging Face directory or a .gguf file. Nil trains a small model from scratch.
    public var model: String?
    /// LoRA rank of every training stage (SFT, reward model, PPO's actor and critic, DPO); 0 or nil: full
    /// fine-tuning.
    public var loraRank: Int?
    /// Recompute each block in the backward pass of every training stage (less memory, more time).
    public var activationCheckpointing: Bool?
    // The built-in task: disjoint prompt sets (an evaluation prompt never appears in any training set).
    /// Prompts in the SFT corpus.
    public var sftPrompts: Int
    /// Responses written per SFT prompt (of independently drawn qualities).
    public var sftResponsesPerPrompt: Int
    /// Prompts whose SFT response pairs the simulated annotators label.
    public var preferencePrompts: Int
    /// SFT answers sampled per preference prompt; every pair of distinct answers becomes an annotation task.
    public var preferenceResponsesPerPrompt: Int
    /// Prompts PPO and DPO optimise on.
    public var rlPrompts: Int
    /// Held-out prompts for the oracle's evaluation, at most: each category and language gives at most a quarter of
    /// its distinct prompt texts (`TaskSplits`), so categories with few texts can leave the set smaller.
    public var evalPrompts: Int
    /// Held-out SFT examples for the PTX ablation's SFT loss.
    public var heldOutSFTExamples: Int

    // The model trained from scratch.
    /// BPE vocabulary size, special tokens and the 256 bytes included.
    public var vocabularySize: Int
    /// Width.
    public var hiddenSize: Int
    /// Transformer blocks.
    public var layerCount: Int
    /// Attention heads.
    public var headCount: Int
    /// MLP width.
    public var intermediateSize: Int
    /// Longest training sequence in tokens.
    public var maxLength: Int
    /// Longest response in tokens, when sampling.
    public var maxNewTokens: Int

    // SFT.
    /// With a real model, 0 skips its short SFT (the SFT row is then the original model).
    public var sftSteps: Int
    public var sftBatchSize: Int
    public var sftLearningRate: Float

    // Annotation.
    /// Simulated annotators labelling through the API.
    public var annotators: Int
    /// Labels each task collects (from different annotators).
    public var labelsPerTask: Int

    // Reward model.
    public var rmSteps: Int
    public var rmBatchSize: Int
    public var rmLearningRate: Float
    /// Fraction of preference prompts held out to measure the reward model.
    public var rmHeldOutFraction: Double

    // PPO.
    public var ppoIterations: Int
    public var ppoPromptsPerIteration: Int
    public var ppoEpochs: Int
    public var ppoMinibatchSize: Int
    public var ppoActorLearningRate: Float
    public var ppoCriticLearningRate: Float
    public var ppoKLCoefficient: Float
    public var ppoPTXCoefficient: Float
    /// Reference answers per prompt the PPO baseline averages (one answer's score is noisy).
    public var ppoReferenceBaselineSamples: Int
    /// Whiten advantages per batch: the reward model's scale then does not set the step size.
    public var ppoWhitenAdvantages: Bool
    /// Subtracted from the reward of an answer cut at `maxNewTokens` without its end-of-turn token. The reward model
    /// saw only finished answers, so a cut one would otherwise score as if complete; 1 is about half the spread of
    /// the quickstart reward model's scores (score prior 0.01), enough to make finishing pay without outweighing
    /// the answer's quality.
    public var ppoMissingEOSPenalty: Float

    // DPO (pairs: best and worst of several SFT samples by the reward model).
    public var dpoPrompts: Int
    public var dpoSamplesPerPrompt: Int
    public var dpoSteps: Int
    public var dpoBatchSize: Int
    public var dpoLearningRate: Float
    public var dpoBeta: Float
    /// Keep samples cut at `maxNewTokens` (no end-of-turn) in DPO's pairs. Off: the reward model saw only finished
    /// answers, so its verdict on a cut one is unreliable; a barely trained model whose answers all run to the limit
    /// leaves no pairs then, and the stage says so.
    public var dpoKeepTruncatedSamples: Bool

    // Evaluation.
    /// Sampling temperature of every policy on the held-out prompts (the greedy SFT baseline aside).
    public var evalTemperature: Float
    /// SFT samples per held-out prompt the reward model picks the best of: the cheap alternative to RL.
    public var bestOfSamples: Int

    // Ablations.
    /// Seeds each ablation and its full-pipeline counterpart run with; the report gives mean ± standard deviation.
    public var ablationSeeds: Int

    /// The default run: the one the README's first command starts.
    public static let standard = QuickstartSettings(
        mode: .standard, seed: 1,
        sftPrompts: 3000, sftResponsesPerPrompt: 2, preferencePrompts: 1000, preferenceResponsesPerPrompt: 4,
        rlPrompts: 800,
        evalPrompts: 400,
        heldOutSFTExamples: 300,
        vocabularySize: 2048, hiddenSize: 128, layerCount: 4, headCount: 4, intermediateSize: 384, maxLength: 96,
        maxNewTokens: 40,
        sftSteps: 600, sftBatchSize: 64, sftLearningRate: 2e-3,
        annotators: 3, labelsPerTask: 1,
        rmSteps: 300, rmBatchSize: 16, rmLearningRate: 2e-4, rmHeldOutFraction: 0.15,
        ppoIterations: 60, ppoPromptsPerIteration: 64, ppoEpochs: 2, ppoMinibatchSize: 16,
        ppoActorLearningRate: 5e-5, ppoCriticLearningRate: 1e-4, ppoKLCoefficient: 0.05, ppoPTXCoefficient: 0.1,
        ppoReferenceBaselineSamples: 4, ppoWhitenAdvantages: true, ppoMissingEOSPenalty: 1,
        dpoPrompts: 800, dpoSamplesPerPrompt: 4, dpoSteps: 150, dpoBatchSize: 16, dpoLearningRate: 5e-5, dpoBeta: 0.1,
        dpoKeepTruncatedSamples: false,
        evalTemperature: 1, bestOfSamples: 4, ablationSeeds: 3)

    /// The real-model recipe for the chat model at `path` (`--model`): the same stages with the model as the
    /// starting policy, LoRA (rank 16, bf16 frozen weights) in every training stage, a short SFT on the task's good
    /// answers (its own row in the report), and sizes that fit SmolLM2-135M-Instruct into an hour and 6 GB on a 2-core
    /// machine. `fast`: a tiny form of it in a few minutes, for CI.
    public static func realModel(at path: String, fast: Bool = false) -> QuickstartSettings {
        var s = standard
        s.mode = fast ? .realModelFast : .realModel
        s.model = path
        s.loraRank = 16
        // Off: it costs a third more time, and the recipe's batches fit in 6 GB without it.
        s.activationCheckpointing = false
        s.sftPrompts = 320
        s.sftResponsesPerPrompt = 1
        s.preferencePrompts = 160
        s.preferenceResponsesPerPrompt = 3
        // PPO visits 12 × 16 of them; DPO samples the first 64.
        s.rlPrompts = 256
        s.evalPrompts = 160
        s.heldOutSFTExamples = 40
        s.maxLength = 128
        s.maxNewTokens = 48
        s.sftSteps = 40
        s.sftBatchSize = 8
        s.sftLearningRate = 2e-4
        s.rmSteps = 48
        s.rmBatchSize = 8
        s.rmLearningRate = 2e-4
        // One pass of two minibatches per iteration: on two cores each pass over the rollouts costs ~35 s. LoRA
        // adapters start at zero and move slowly, hence learning rates above full fine-tuning's (at 5e-5 the clip
        // fraction stayed at 0 and the policy barely moved).
        s.ppoIterations = 12
        s.ppoPromptsPerIteration = 16
        s.ppoEpochs = 1
        s.ppoMinibatchSize = 8
        s.ppoActorLearningRate = 2e-4
        s.ppoCriticLearningRate = 2e-4
        s.ppoReferenceBaselineSamples = 1
        s.dpoPrompts = 64
        s.dpoSamplesPerPrompt = 4
        s.dpoSteps = 16
        s.dpoBatchSize = 8
        s.dpoLearningRate = 1e-4
        s.ablationSeeds = 1
        guard fast else { return s }
        s.sftPrompts = 32
        s.sftSteps = 4
        s.sftBatchSize = 4
        // Enough labelled pairs that post-filtering and length balancing still leave held-out pairs the oracle
        // decides (16 prompts × 2 answers once left one held-out pair, an oracle tie, and no accuracy to report).
        s.preferencePrompts = 32
        s.preferenceResponsesPerPrompt = 3
        s.rlPrompts = 16
        s.evalPrompts = 10
        s.heldOutSFTExamples = 8
        s.maxLength = 64
        s.maxNewTokens = 16
        s.rmSteps = 4
        s.rmBatchSize = 4
        s.ppoIterations = 2
        s.ppoPromptsPerIteration = 4
        s.ppoMinibatchSize = 4
        s.dpoPrompts = 8
        s.dpoSamplesPerPrompt = 2
        s.dpoSteps = 2
        s.dpoBatchSize = 4
        s.dpoKeepTruncatedSamples = true
        s.bestOfSamples = 2
        return s
    }

    /// The `--fast` run: the same pipeline, smaller, for CI and a first look.
    public static let fast: QuickstartSettings = {
        var s = standard
        s.mode = .fast
        s.sftPrompts = 1500
        s.preferencePrompts = 600
        s.preferenceResponsesPerPrompt = 3
        s.rlPrompts = 400
        s.evalPrompts = 200
        s.heldOutSFTExamples = 150
        s.sftSteps = 120
        s.rmSteps = 100
        s.ppoIterations = 16
        s.ppoPromptsPerIteration = 32
        s.dpoPrompts = 300
        s.dpoSteps = 50
        return s
    }()

    /// What makes the settings unusable, or nil.
    public var problem: String? {
        let positive: [(String, Int)] = [
            ("sftPrompts", sftPrompts), ("sftResponsesPerPrompt", sftResponsesPerPrompt),
            ("preferencePrompts", preferencePrompts), ("rlPrompts", rlPrompts), ("evalPrompts", evalPrompts),
            ("heldOutSFTExamples", heldOutSFTExamples), ("hiddenSize", hiddenSize), ("layerCount", layerCount),
            ("headCount", headCount), ("intermediateSize", intermediateSize), ("maxLength", maxLength),
            ("maxNewTokens", maxNewTokens), ("sftSteps", sftSteps), ("sftBatchSize", sftBatchSize),
            ("annotators", annotators), ("labelsPerTask", labelsPerTask), ("rmSteps", rmSteps),
            ("rmBatchSize", rmBatchSize), ("ppoIterations", ppoIterations),
            ("ppoPromptsPerIteration", ppoPromptsPerIteration), ("ppoEpochs", ppoEpochs),
            ("ppoMinibatchSize", ppoMinibatchSize), ("ppoReferenceBaselineSamples", ppoReferenceBaselineSamples),
            ("dpoPrompts", dpoPrompts),
            ("dpoSamplesPerPrompt", dpoSamplesPerPrompt), ("dpoSteps", dpoSteps), ("dpoBatchSize", dpoBatchSize),
            ("bestOfSamples", bestOfSamples), ("ablationSeeds", ablationSeeds),
        ]
        if let (name, value) = positive.first(where: { $0.1 < 1 && !($0.0 == "sftSteps" && model != nil && $0.1 == 0) })
        {
            return "\(name) must be at least 1, got \(value)"
        }
        if vocabularySize < 300 {
            return "vocabularySize must be at least 300 (256 bytes and the special tokens), got \(vocabularySize)"
        }
        if hiddenSize % headCount != 0 { return "hiddenSize \(hiddenSize) is not a multiple of headCount \(headCount)" }
        if labelsPerTask > annotators { return "labelsPerTask \(labelsPerTask) exceeds the \(annotators) annotators" }
        if preferenceResponsesPerPrompt < 2 {
            return "preferenceResponsesPerPrompt must be at least 2, got \(preferenceResponsesPerPrompt)"
        }
        if dpoSamplesPerPrompt < 2 { return "dpoSamplesPerPrompt must be at least 2, got \(dpoSamplesPerPrompt)" }
        if !(0..<1).contains(rmHeldOutFraction) {
            return "rmHeldOutFraction must be in [0, 1), got \(rmHeldOutFraction)"
        }
        if !(evalTemperature > 0) || !evalTemperature.isFinite {
            return
                "evalTemperature must be above 0 (the greedy baseline is reported separately), got \(evalTemperature)"
        }
        if !(ppoMissingEOSPenalty >= 0) || !ppoMissingEOSPenalty.isFinite {
            return "ppoMissingEOSPenalty must be a finite number ≥ 0, got \(ppoMissingEOSPenalty)"
        }
        if dpoPrompts > rlPrompts { return "dpoPrompts \(dpoPrompts) exceeds rlPrompts \(rlPrompts)" }
        if let loraRank, loraRank < 0 { return "loraRank must be 0 (full fine-tuning) or positive, got \(loraRank)" }
        if model?.isEmpty == true { return "model must name a chat model's directory or .gguf file" }
        return nil
    }

    /// How every stage samples answers: up to `maxNewTokens` new tokens at `temperature` (1 for training data and
    /// rollouts, `evalTemperature` or 0 for evaluation), from `seed`.
    func sampling(temperature: Float, seed: UInt64 = 0) -> GenerationConfig {
        GenerationConfig(maxNewTokens: maxNewTokens, temperature: temperature, seed: seed)
    }

    /// A stage's own seed: the run seed mixed with the stage name, so stages draw independent streams.
    func seed(for stage: String) -> UInt64 {
        stableHash(stage) ^ (seed &* 0x9E37_79B9_7F4A_7C15)
    }
}

/// FNV-1a of the text: the same on every run, unlike Swift's seeded `Hasher`.
func stableHash(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0100_0000_01B3 }
    return hash
}

extension QuickstartSettings {
    /// These settings with the fields named in `overrides` (property names, e.g. `ppoIterations`) replaced. An
    /// unknown name or a value of the wrong type throws, naming `source` and the field.
    public func overriding(with overrides: [String: Any], source: String) throws -> QuickstartSettings {
        let encoded = try JSONSerialization.jsonObject(with: JSONEncoder().encode(self))
        guard var fields = encoded as? [String: Any] else { throw QuickstartError("\(source): cannot apply settings") }
        for (key, value) in overrides.sorted(by: { $0.key < $1.key }) {
            guard fields[key] != nil else {
                throw QuickstartError(
                    "\(source): unknown setting \"\(key)\" (known: \(fields.keys.sorted().joined(separator: ", ")))")
            }
            fields[key] = value
        }
        do {
            return try JSONDecoder().decode(
                QuickstartSettings.self, from: JSONSerialization.data(withJSONObject: fields))
        } catch let DecodingError.typeMismatch(_, context) {
            throw QuickstartError(
                "\(source): \(context.codingPath.map(\.stringValue).joined(separator: ".")) has the wrong type")
        } catch {
            throw QuickstartError("\(source): \(error)")
        }
    }
}
