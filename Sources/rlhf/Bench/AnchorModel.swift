import LanguageModels
import TensorEngine

/// The model of `../shared/anchors/torch_gpt_bench.py` that the train and generate benchmarks share: a GPT-2-style
/// decoder, 6 layers, width 384, 6 heads, vocabulary 8192, context 256 (+ room for generation), tied embeddings.
enum AnchorModel {
    static let layers = 6, width = 384, heads = 6, vocabulary = 8192, context = 256

    static func make(seed: UInt64 = 0) throws -> TransformerLM {
        let config = try ModelConfig(family: .gpt2, vocabSize: vocabulary, hiddenSize: width, layerCount: layers,
                                     headCount: heads, maxPositions: context + 64 + 8)
        return try TransformerLM(config: config, seed: seed)
    }

    /// Random token ids [batch, length].
    static func tokens(batch: Int, length: Int, generator: inout RandomGenerator) -> IntTensor {
        IntTensor(shape: [batch, length], scalars: (0..<(batch * length)).map { _ in Int(generator.next() % UInt64(vocabulary)) })
    }
}
