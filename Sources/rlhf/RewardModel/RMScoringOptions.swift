import Alignment
import ArgumentParser
import Tokenizers

/// The options of commands that score with a trained reward model (`rm eval`, `rm score`).
struct RMScoringOptions: ParsableArguments {
    @Option(help: "The reward model directory (from `rlhf rm train`).")
    var model: String

    @Option(help: "Tokenizer (default: the model's).")
    var tokenizer: String?

    @Option(help: "Sequences or pairs per forward pass.")
    var batchSize = 8

    @Option(help: "Conversations keep their last this many tokens.")
    var maxLength = 512

    func validate() throws {
        if batchSize < 1 || maxLength < 2 {
            throw ValidationError("--batch-size must be at least 1 and --max-length at least 2")
        }
    }

    /// The reward model, its tokenizer, and the token limit (`--max-length`, at most the model's positions).
    func load() throws -> (model: RewardModel, tokenizer: Tokenizer, maxLength: Int) {
        let rm = try RMModelFiles.trained(model)
        return (
            rm, try modelTokenizer(explicit: tokenizer, model: model), min(maxLength, rm.backbone.config.maxPositions)
        )
    }
}
