import ArgumentParser
import LanguageModels
import TensorEngine

/// The model of `../shared/anchors/torch_gpt_bench.py` that the train and generate benchmarks share: a GPT-2-style
/// decoder with learned positions and tied embeddings; the same flags and defaults as the script.
struct AnchorModelOptions: ParsableArguments {
    @Option(help: "Transformer blocks.") var layers = 6
    @Option(help: "Model width.") var dim = 384
    @Option(help: "Attention heads.") var heads = 6
    @Option(help: "Vocabulary size.") var vocab = 8192
    @Option(help: "Training context length.") var ctx = 256
    @Option(help: "Sequences per batch.") var batch = 8

    func validate() throws {
        if layers < 1 || dim < 1 || heads < 1 || vocab < 2 || ctx < 2 || batch < 1 {
            throw ValidationError("sizes must be positive")
        }
        if dim % heads != 0 { throw ValidationError("--dim \(dim) is not a multiple of --heads \(heads)") }
    }

    /// A freshly initialised model with room for `ctx` tokens, or `positions` if more.
    func makeModel(positions: Int = 0, seed: UInt64 = 0) throws -> TransformerLM {
        let config = try ModelConfig(
            family: .gpt2, vocabSize: vocab, hiddenSize: dim, layerCount: layers,
            headCount: heads, maxPositions: max(ctx, positions) + 8)
        return try TransformerLM(config: config, seed: seed)
    }

    /// Random token ids [rows, length] below `vocabulary` (the model's, which is `--vocab` for the anchor).
    func tokens(rows: Int, length: Int, vocabulary: Int, generator: inout RandomGenerator) -> IntTensor {
        IntTensor(
            shape: [rows, length],
            scalars: (0..<(rows * length)).map { _ in Int(generator.next() % UInt64(vocabulary)) })
    }
}
