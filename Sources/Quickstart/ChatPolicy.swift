import Alignment
import Foundation
import LanguageModels
import SyntheticTask
import Tokenizers

/// A language model with the quickstart's tokenizer: renders prompts with the chat template, samples answers
/// through the KV-cache generator, and decodes them up to the end of the turn.
struct ChatPolicy {
    let model: TransformerLM
    let tokenizer: Tokenizer

    /// Prompt rows per generate call: the packed decoding path serves up to 32 rows.
    static let generationBatch = 32

    /// The tokens of `text` as a user turn followed by the assistant's header.
    static func promptTokens(_ text: String, tokenizer: Tokenizer) throws -> [Int] {
        try tokenizer.renderChat([.user(text)], addGenerationPrompt: true).ids
    }

    /// One answer per prompt, in order, sampled as `sampling` says (its seed starts the stream; answers end at the
    /// chat template's end of turn); deterministic for the seed.
    func answers(_ prompts: [TaskPrompt], sampling: GenerationConfig) throws -> [String] {
        let tokens = try prompts.map { try Self.promptTokens($0.text, tokenizer: tokenizer) }
        let stops = tokenizer.chatStopTokenIDs
        var answers: [String] = []
        answers.reserveCapacity(prompts.count)
        for (chunk, start) in stride(from: 0, to: tokens.count, by: Self.generationBatch).enumerated() {
            let rows = Array(tokens[start..<min(start + Self.generationBatch, tokens.count)])
            var config = sampling
            config.stopTokenIds = stops
            config.seed = sampling.seed &+ UInt64(chunk) &* 0x9E37_79B9_7F4A_7C15
            let result = model.generate(prompts: rows, config: config)
            answers += result.tokens.map { decode($0, stops: stops) }
        }
        return answers
    }

    /// The text of generated ids, without the stop token that ended them.
    func decode(_ ids: [Int], stops: [Int]) -> String {
        var ids = ids
        if let last = ids.last, stops.contains(last) { ids.removeLast() }
        return tokenizer.decode(ids, skipSpecialTokens: true).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
