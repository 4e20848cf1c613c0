import Alignment
import Foundation
import LanguageModels
import SyntheticTask
import Tokenizers

/// What the recipe learned about a real starting model before any stage ran.
public struct StartingModelInfo: Sendable {
    /// The file name, family and sizes, for the log and the report.
    public var description: String
    /// Its weights.
    public var parameters: Int
}

extension QuickstartPipeline {
    /// Whether the run aligns a real chat model (`settings.model`) rather than one trained from scratch.
    var startsFromRealModel: Bool { settings.model != nil }

    /// The LoRA settings every training stage uses: off for the from-scratch model, `settings.loraRank` otherwise.
    var lora: LoRAConfig {
        var config = LoRAConfig()
        config.loraRank = settings.loraRank ?? 0
        return config
    }

    /// The micro-batches a pair trainer (reward model, DPO) runs an update of `batch` pairs in: on a real model at
    /// most 4 pairs (8 sequences) at once, accumulated into the same update — the mean loss over the same pairs —
    /// because 8 pairs' activations through SmolLM2's 30 layers took the DPO stage to 6.1 GB. Whole batches for the
    /// model trained from scratch.
    func pairMicroBatches(_ batch: Int) -> (size: Int, accumulation: Int) {
        guard startsFromRealModel else { return (batch, 1) }
        let size = (1...min(batch, 4)).last { batch % $0 == 0 }!
        return (size, batch / size)
    }

    /// The real chat model as it was given, before any stage touched it: the baseline of the evaluation.
    func loadOriginalModel() throws -> TransformerLM {
        guard let path = settings.model else { return try loadSFTModel() }
        return try Self.loadRealModel(path)
    }

    /// A real model from its directory or .gguf file, its loading error as a one-line quickstart error.
    static func loadRealModel(_ path: String) throws -> TransformerLM {
        do { return try TransformerLM.load(path: path) } catch { throw QuickstartError("\(error)") }
    }

    /// Refuses, in one line, a starting model the recipe cannot use: one that does not load (an unsupported family
    /// or a broken file), a tokenizer without a chat format, a vocabulary that does not match the model's, or a
    /// context too short for a prompt and its answer. Nil for the model trained from scratch. `rlhf quickstart` calls
    /// it before it makes the run directory.
    public static func checkStartingModel(_ settings: QuickstartSettings) throws -> StartingModelInfo? {
        guard let path = settings.model else { return nil }
        let model = try loadRealModel(path)
        let tokenizer: Tokenizer
        do { tokenizer = try Tokenizer.load(from: path) } catch {
            throw QuickstartError("\(path): cannot read its tokenizer: \(error)")
        }
        guard tokenizer.chatFormat != nil else {
            throw QuickstartError(
                "\(path): the tokenizer has no chat template or chat tokens; the recipe needs a chat model")
        }
        do { _ = try ChatPolicy.promptTokens("Hello", tokenizer: tokenizer) } catch {
            throw QuickstartError("\(path): its chat template cannot render a prompt: \(error)")
        }
        guard !tokenizer.chatStopTokenIDs.isEmpty else {
            throw QuickstartError("\(path): the tokenizer has no end-of-turn token to stop answers at")
        }
        let config = model.config
        guard tokenizer.vocabularySize <= config.vocabSize else {
            throw QuickstartError(
                "\(path): the tokenizer has \(tokenizer.vocabularySize) tokens but the model only \(config.vocabSize)")
        }
        let needed = settings.maxLength + settings.maxNewTokens
        guard config.maxPositions >= needed else {
            throw QuickstartError(
                "\(path): a context of \(config.maxPositions) tokens is too short for the recipe's prompts and answers (\(needed))"
            )
        }
        let description = String(
            format: "%@ (%@, %d layers, width %d, %d heads, vocabulary %d, %.1fM parameters)",
            URL(fileURLWithPath: path).lastPathComponent, config.family.rawValue, config.layerCount, config.hiddenSize,
            config.headCount, config.vocabSize, Double(model.parameterCount) / 1e6)
        return StartingModelInfo(description: description, parameters: model.parameterCount)
    }

    /// The tokenizer stage of a real model: its own tokenizer, saved where the stages read it.
    func copyModelTokenizer() throws {
        guard let path = settings.model else { return }
        try run.resetFolder(.tokenizer)
        let tokenizer: Tokenizer
        do { tokenizer = try Tokenizer.load(from: path) } catch { throw QuickstartError("\(path): \(error)") }
        try tokenizer.save(to: tokenizerURL.path)
        log("[tokenizer] \(tokenizer.vocabularySize) tokens, the model's own")
    }
}
