import GGUF
import TensorEngine

extension TransformerLM {
    /// Writes the model as a llama.cpp GGUF v3 file: `<arch>.*` metadata as llama.cpp's converter writes it, every
    /// weight under its GGUF name (matrices as `weightType`, vectors F32; Llama's q/k rows in llama.cpp's rotary
    /// order; no `output.weight` when the embeddings are tied), then `metadata` (the tokenizer's `tokenizer.ggml.*`
    /// entries, from `Tokenizer.ggufMetadata`), which overrides the special-token ids taken from the config.
    ///
    /// Only the families `TransformerLM.load(path:)` reads from GGUF are written (Llama, Qwen2, Qwen3). The file
    /// goes to a temporary name and is renamed, so a failure leaves nothing half-written. Throws `ModelLoadingError`
    /// naming `path`.
    public func writeGGUF(
        to path: String, weightType: GGUFWeightType, metadata: [(key: String, value: GGUFValue)] = [],
        name: String? = nil
    ) throws {
        var writer = GGUFWriter()
        for (key, value) in try GGUFModelWriter.architectureMetadata(config, weightType: weightType, path: path) {
            writer.set(key, value)
        }
        if let name { writer.set("general.name", .string(name)) }
        for (key, value) in metadata { writer.set(key, value) }
        if let tokens = metadata.first(where: { $0.key == "tokenizer.ggml.tokens" }),
            case .array(_, let list) = tokens.value, list.count != config.vocabSize
        {
            throw ModelLoadingError(
                path, "the tokenizer lists \(list.count) tokens but the model has \(config.vocabSize) embedding rows")
        }
        for tensor in try GGUFModelWriter.tensors(of: self, weightType: weightType, path: path) {
            writer.addTensor(name: tensor.name, shape: tensor.shape, type: tensor.type, data: tensor.data)
        }
        do { try writer.write(to: path) } catch let error as GGUFError {
            throw ModelLoadingError(error.path, error.problem)
        }
    }
}

/// The pieces of `TransformerLM.writeGGUF`: metadata from the config, tensors from the weights.
enum GGUFModelWriter {
    /// `general.*` and `<arch>.*` keys as llama.cpp's `convert_hf_to_gguf.py` writes them, and the config's
    /// special-token ids (the tokenizer's entries replace them).
    static func architectureMetadata(_ c: ModelConfig, weightType: GGUFWeightType, path: String) throws -> [(
        String, GGUFValue
    )] {
        guard let arch = c.family.ggufArchitecture else {
            let supported = ModelFamily.allCases.compactMap(\.ggufArchitecture).joined(separator: ", ")
            throw ModelLoadingError(
                path, "cannot write a \(c.family.rawValue) model as GGUF (supported: \(supported))")
        }
        guard c.partialRotaryFactor == 1 else {
            throw ModelLoadingError(path, "cannot write partial_rotary_factor \(c.partialRotaryFactor) to GGUF")
        }
        var out: [(String, GGUFValue)] = [
            ("general.architecture", .string(arch)),
            ("general.file_type", .uint32(weightType.fileType)),
            ("general.quantization_version", .uint32(2)),
        ]
        let sizes: [(String, Int)] = [
            ("vocab_size", c.vocabSize), ("context_length", c.maxPositions), ("embedding_length", c.hiddenSize),
            ("block_count", c.layerCount), ("feed_forward_length", c.intermediateSize),
            ("attention.head_count", c.headCount), ("attention.head_count_kv", c.kvHeadCount),
            // Hugging Face's head_dim; readers fall back to hidden / heads without it (Qwen3's differs).
            ("attention.key_length", c.headDim), ("attention.value_length", c.headDim),
        ]
        for (key, value) in sizes { out.append(("\(arch).\(key)", .uint32(UInt32(value)))) }
        // Llama's converter also records the rotated width, which transformers reads as Llama's head_dim.
        if c.family == .llama { out.append(("\(arch).rope.dimension_count", .uint32(UInt32(c.headDim)))) }
        out.append(("\(arch).rope.freq_base", .float32(c.ropeTheta)))
        out.append(("\(arch).attention.layer_norm_rms_epsilon", .float32(c.normEpsilon)))
        let ids: [(String, Int?)] = [
            ("bos_token_id", c.bosTokenId), ("eos_token_id", c.eosTokenIds.first), ("padding_token_id", c.padTokenId),
        ]
        for case (let key, let id?) in ids { out.append(("tokenizer.ggml.\(key)", .uint32(UInt32(id)))) }
        return out
    }

    /// Every present weight, named, shaped (ggml's order: contiguous dimension first), typed and encoded.
    static func tensors(of model: TransformerLM, weightType: GGUFWeightType, path: String) throws -> [(
        name: String, shape: [Int], type: GGUFTensorType, data: [UInt8]
    )] {
        let names = model.ggufNames
        let rotaryHeads = rotaryHeadCounts(model)
        var out: [(String, [Int], GGUFTensorType, [UInt8])] = []
        for (hfPath, original) in model.namedParameters {
            guard let name = names[hfPath] else {
                throw ModelLoadingError(path, "weight \"\(hfPath)\" has no GGUF name")
            }
            let tensor =
                rotaryHeads[ObjectIdentifier(original)].map { RotaryRowOrder.toGGUF(original, heads: $0) }
                ?? original
            let type = weightType.tensorType(shape: tensor.shape)
            let data = try tensor.withUnsafeBufferPointer { values in
                if let bad = values.first(where: { !fits($0, type) }) {
                    throw ModelLoadingError(path, "weight \"\(hfPath)\" holds \(bad), which \(type) cannot store")
                }
                return Quantization.bytes(values, type: type)
            }
            out.append((name, tensor.shape.reversed(), type, data))
        }
        return out
    }

    /// The heads of each Llama q/k weight and bias, by tensor: the ones llama.cpp stores in its rotary row order.
    private static func rotaryHeadCounts(_ model: TransformerLM) -> [ObjectIdentifier: Int] {
        guard model.config.family.ggufPermutesRotaryRows else { return [:] }
        var out: [ObjectIdentifier: Int] = [:]
        for attention in model.modules(of: Attention.self) {
            for (projection, heads) in [(attention.q, model.config.headCount), (attention.k, model.config.kvHeadCount)]
            {
                for tensor in [projection?.weight.tensorIfPresent, projection?.bias?.tensorIfPresent] {
                    if let tensor { out[ObjectIdentifier(tensor)] = heads }
                }
            }
        }
        return out
    }

    /// Whether `type` can hold `value`: finite, and within half precision's range (Q8_0: its scale, max/127).
    private static func fits(_ value: Float, _ type: GGUFTensorType) -> Bool {
        let largest = Float(Float16.greatestFiniteMagnitude)
        switch type {
        case .f16: return abs(value) <= largest
        case .q8_0: return abs(value) <= largest * 127
        default: return value.isFinite
        }
    }
}
