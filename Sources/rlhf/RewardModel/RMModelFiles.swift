import Alignment
import AtomicFiles
import Foundation
import LanguageModels
import Tokenizers

/// Loading reward models and keeping their tokenizer beside them.
enum RMModelFiles {
    /// The model to train from: a reward model directory (its head is kept), or any language model (HF directory or
    /// .gguf) that gets a fresh head.
    static func startingModel(_ path: String, config: RewardModelConfig) throws -> RewardModel {
        let url = URL(fileURLWithPath: path)
        if RewardModel.hasHead(in: url) { return try oneLineErrors { try RewardModel.load(directory: url) } }
        return RewardModel(backbone: try loadModel(path), headSeed: config.seed, headStd: config.headInitStd)
    }

    /// A trained reward model directory, readied to score (adapters merged, weights frozen).
    static func trained(_ path: String) throws -> RewardModel {
        let model = try oneLineErrors { try RewardModel.load(directory: URL(fileURLWithPath: path)) }
        model.freezeForScoring()
        return model
    }

    /// Writes `tokenizer.json` and a `tokenizer_config.json` with the chat template and special-token roles into
    /// `directory`, so the reward model scores with exactly the rendering it was trained on.
    static func saveTokenizer(_ tokenizer: Tokenizer, into directory: URL) throws {
        try tokenizer.save(to: directory.appendingPathComponent("tokenizer.json").path)
        let config = TokenizerConfigFile(
            chatTemplate: tokenizer.chatTemplate,
            bosToken: tokenizer.bosTokenID.flatMap(tokenizer.token(forID:)),
            eosToken: tokenizer.eosTokenID.flatMap(tokenizer.token(forID:)),
            padToken: tokenizer.padTokenID.flatMap(tokenizer.token(forID:)))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(encoder.encode(config), to: directory.appendingPathComponent("tokenizer_config.json"))
    }

    /// The padding id of a tokenizer: its pad token, else its end-of-sequence token, else 0 (any id works: padding
    /// is never attended to nor scored).
    static func padID(_ tokenizer: Tokenizer) -> Int { tokenizer.padTokenID ?? tokenizer.eosTokenID ?? 0 }
}
