import ArgumentParser
import LanguageModels
import Tokenizers

/// A language model to load (`--model`) and its tokenizer (`--tokenizer`, by default the model's own).
struct ModelOptions: ParsableArguments {
    @Option(help: "A Hugging Face model directory or a .gguf file.")
    var model: String

    @Option(help: "Tokenizer (default: the model's: tokenizer.json in its directory, or the one inside its .gguf).")
    var tokenizer: String?

    /// The model; errors are one-line failures naming it.
    func loadModel() throws -> TransformerLM { try rlhf.loadModel(model) }

    /// The tokenizer; errors are one-line failures naming it.
    func loadTokenizer() throws -> Tokenizer { try modelTokenizer(explicit: tokenizer, model: model) }
}
