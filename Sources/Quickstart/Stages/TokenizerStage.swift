import Foundation
import Tokenizers

extension QuickstartPipeline {
    /// Trains a byte-level BPE tokenizer on the SFT corpus, with the ChatML tokens the chat template needs.
    func trainTokenizer() throws {
        try run.resetFolder(.tokenizer)
        let configuration = BPETrainingConfiguration(
            vocabularySize: settings.vocabularySize, specialTokens: ["<|endoftext|>", "<|im_start|>", "<|im_end|>"],
            minimumFrequency: 2, preTokenization: .gpt2, seed: settings.seed(for: QuickstartStage.tokenizer.name))
        let tokenizer = try BPETrainer.train(splits.sft.texts, configuration: configuration)
        try tokenizer.save(to: tokenizerURL.path)
        log("[tokenizer] \(tokenizer.vocabularySize) tokens from \(splits.sft.examples.count) SFT examples")
    }
}
