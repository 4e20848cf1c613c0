import Alignment
import Foundation
import LanguageModels
import Tokenizers

extension QuickstartPipeline {
    /// The forgetting check of a real model: the mean negative log-likelihood per token of `GeneralTexts` (plain text,
    /// no chat template), cut into pieces of at most `maxLength` tokens. Lower is better; alignment should raise it
    /// little.
    func generalTextLoss(_ model: TransformerLM, tokenizer: Tokenizer) throws -> Double {
        let length = settings.maxLength
        let examples = GeneralTexts.passages.flatMap { passage in
            let ids = tokenizer.encode(passage)
            return stride(from: 0, to: ids.count, by: length).map { start in
                let piece = Array(ids[start..<min(start + length, ids.count)])
                return TokenizedExample(ids: piece, trainMask: piece.indices.map { $0 > 0 })
            }
        }
        let scratch = run.folder(.evaluation).appendingPathComponent("unused")
        let trainer = try SFTTrainer(
            model: model, train: examples, eval: [], config: sftConfig, output: scratch, padId: padID(tokenizer))
        return Double(trainer.evaluate(examples))
    }
}
