import Alignment
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

    /// A trained reward model directory.
    static func trained(_ path: String) throws -> RewardModel {
        try oneLineErrors { try RewardModel.load(directory: URL(fileURLWithPath: path)) }
    }

    /// Writes `tokenizer.json` and a `tokenizer_config.json` with the chat template and special-token roles into
    /// `directory`, so the reward model scores with exactly the rendering it was trained on.
    static func saveTokenizer(_ tokenizer: Tokenizer, into directory: URL) throws {
        try tokenizer.save(to: directory.appendingPathComponent("tokenizer.json").path)
        var config: [String: Any] = [:]
        if let template = tokenizer.chatTemplate { config["chat_template"] = template }
        for (key, id) in [("bos_token", tokenizer.bosTokenID), ("eos_token", tokenizer.eosTokenID), ("pad_token", tokenizer.padTokenID)] {
            if let id, let token = tokenizer.token(forID: id) { config[key] = token }
        }
        let data = try JSONSerialization.data(withJSONObject: config, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: directory.appendingPathComponent("tokenizer_config.json"), options: .atomic)
    }

    /// The padding id of a tokenizer: its pad token, else its end-of-sequence token, else 0 (any id works: padding
    /// is never attended to nor scored).
    static func padID(_ tokenizer: Tokenizer) -> Int { tokenizer.padTokenID ?? tokenizer.eosTokenID ?? 0 }
}
