import Foundation
import GGUF
import TensorEngine

/// Builds a model from a llama.cpp GGUF file: configuration from its metadata, weights dequantised to Float32 and
/// renamed to Hugging Face's names, and llama.cpp's Q/K row permutation undone so the rotary pairs match HF's
/// (`RotaryRowOrder`).
enum GGUFModelLoader {
    static func load(path: String) throws -> TransformerLM {
        let file: GGUFFile
        do { file = try GGUFFile(path: path) } catch let error as GGUFError {
            // The reader's error names the file; rethrown as this module's error so callers see one kind.
            throw ModelLoadingError(error.path, error.problem)
        }
        let config = try config(from: file)
        let model = TransformerLM(structureOf: config)
        // Each declared weight's GGUF name comes from the same declaration as its Hugging Face name.
        let huggingFaceNames = Dictionary(uniqueKeysWithValues: model.ggufNames.map { ($0.value, $0.key) })
        var tensors: [String: Tensor] = [:]
        for info in file.tensors {
            guard let name = huggingFaceNames[info.name] else { continue }
            guard let values = Dequantization.floats(file.tensorData(info), type: info.type, count: info.elementCount)
            else {
                throw ModelLoadingError(
                    path,
                    "tensor \"\(info.name)\" has unsupported GGUF type \(info.type) "
                        + "(supported: \(Dequantization.supported.map(\.description).joined(separator: ", ")))")
            }
            // ggml lists the contiguous dimension first; row-major shapes list it last.
            tensors[name] = Tensor(shape: Array(info.shape.reversed()), scalars: values)
        }
        try model.load(WeightSet(tensors, source: path))
        if config.family.ggufPermutesRotaryRows {
            for attention in model.modules(of: Attention.self) {
                for (projection, heads) in [(attention.q, config.headCount), (attention.k, config.kvHeadCount)] {
                    // The bias (a Llama checkpoint with attention_bias) was reordered with its rows.
                    for parameter in [projection?.weight, projection?.bias].compactMap({ $0 }) {
                        if let value = parameter.tensorIfPresent {
                            parameter.install(RotaryRowOrder.fromGGUF(value, heads: heads))
                        }
                    }
                }
            }
        }
        return model
    }

    /// The architecture from `general.architecture` and `<arch>.*` keys.
    static func config(from file: GGUFFile) throws -> ModelConfig {
        let m = file.metadata
        guard let arch = m.string("general.architecture") else {
            throw ModelLoadingError(file.path, "no general.architecture")
        }
        guard let family = ModelFamily.allCases.first(where: { $0.ggufArchitecture == arch }) else {
            let supported = ModelFamily.allCases.compactMap(\.ggufArchitecture).joined(separator: ", ")
            throw ModelLoadingError(file.path, "unsupported GGUF architecture \"\(arch)\" (supported: \(supported))")
        }
        func int(_ key: String) throws -> Int {
            guard let v = m.int("\(arch).\(key)") else {
                throw ModelLoadingError(file.path, "missing metadata \"\(arch).\(key)\"")
            }
            return v
        }
        let hidden = try int("embedding_length"), heads = try int("attention.head_count")
        let embedding = file.tensor(named: "token_embd.weight")
        let vocab =
            m.int("\(arch).vocab_size") ?? m.stringArray("tokenizer.ggml.tokens")?.count ?? embedding?.shape.last ?? 0
        return try ModelConfig(
            family: family, vocabSize: vocab, hiddenSize: hidden, layerCount: try int("block_count"), headCount: heads,
            kvHeadCount: m.int("\(arch).attention.head_count_kv") ?? heads,
            headDim: m.int("\(arch).attention.key_length") ?? m.int("\(arch).rope.dimension_count") ?? hidden / heads,
            intermediateSize: try int("feed_forward_length"), maxPositions: m.int("\(arch).context_length") ?? 2048,
            normEpsilon: Float(m.double("\(arch).attention.layer_norm_rms_epsilon") ?? 1e-6),
            ropeTheta: Float(m.double("\(arch).rope.freq_base") ?? 10_000),
            tieWordEmbeddings: file.tensor(named: "output.weight") == nil,
            attentionBias: file.tensor(named: "blk.0.attn_q.bias") != nil, mlpBias: false,
            bosTokenId: m.int("tokenizer.ggml.bos_token_id"),
            eosTokenIds: m.int("tokenizer.ggml.eos_token_id").map { [$0] } ?? [],
            padTokenId: m.int("tokenizer.ggml.padding_token_id"))
    }
}

extension TransformerLM {
    /// Loads a model from a Hugging Face directory or a `.gguf` file.
    public static func load(path: String) throws -> TransformerLM {
        if path.hasSuffix(".gguf") { return try GGUFModelLoader.load(path: path) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ModelLoadingError(path, "no such file or directory")
        }
        guard isDirectory.boolValue else { throw ModelLoadingError(path, "not a model directory or a .gguf file") }
        return try load(directory: URL(fileURLWithPath: path))
    }
}
