import Foundation

/// The architecture hyperparameters of a decoder-only transformer, read from a Hugging Face `config.json`.
public struct ModelConfig: Sendable, Equatable {
    /// Which block structure and weight names to use.
    public var family: ModelFamily
    /// Rows of the token embedding and the LM head.
    public var vocabSize: Int
    /// Width of the residual stream.
    public var hiddenSize: Int
    /// Number of transformer blocks.
    public var layerCount: Int
    /// Query heads per layer.
    public var headCount: Int
    /// Key/value heads per layer (fewer than `headCount` for grouped-query attention).
    public var kvHeadCount: Int
    /// Channels per head.
    public var headDim: Int
    /// Width of the MLP's hidden layer.
    public var intermediateSize: Int
    /// Longest sequence the model supports (the size of GPT-2's position table).
    public var maxPositions: Int
    /// Epsilon of the layer or RMS norms.
    public var normEpsilon: Float
    /// RoPE base frequency (unused by GPT-2).
    public var ropeTheta: Float
    /// Fraction of each head that RoPE rotates (GLM-4: 0.5).
    public var partialRotaryFactor: Float
    /// Whether the LM head reuses the token embedding.
    public var tieWordEmbeddings: Bool
    /// Whether the q/k/v projections have a bias (Qwen2 and GLM-4 do).
    public var attentionBias: Bool
    /// Whether the MLP projections have a bias (GPT-2 does).
    public var mlpBias: Bool
    /// Whether queries and keys are RMS-normalised per head before rotation (Qwen3).
    public var queryKeyNorm: Bool { family.normalizesQueriesAndKeys }
    /// Beginning-of-sequence id, if the model has one.
    public var bosTokenId: Int?
    /// Ids that end generation.
    public var eosTokenIds: [Int]
    /// Padding id, if the model names one.
    public var padTokenId: Int?

    /// A configuration built in code (e.g. a model trained from scratch). `headDim` defaults to hidden / heads,
    /// `kvHeadCount` to `headCount`, `intermediateSize` to 4 × hidden.
    public init(
        family: ModelFamily, vocabSize: Int, hiddenSize: Int, layerCount: Int, headCount: Int,
        kvHeadCount: Int? = nil, headDim: Int? = nil, intermediateSize: Int? = nil, maxPositions: Int = 2048,
        normEpsilon: Float? = nil, ropeTheta: Float = 10_000, partialRotaryFactor: Float? = nil,
        tieWordEmbeddings: Bool? = nil, attentionBias: Bool? = nil, mlpBias: Bool? = nil,
        bosTokenId: Int? = nil, eosTokenIds: [Int] = [], padTokenId: Int? = nil
    ) throws {
        self.family = family
        self.vocabSize = vocabSize
        self.hiddenSize = hiddenSize
        self.layerCount = layerCount
        self.headCount = headCount
        self.kvHeadCount = kvHeadCount ?? headCount
        self.headDim = headDim ?? hiddenSize / max(headCount, 1)
        self.intermediateSize = intermediateSize ?? 4 * hiddenSize
        self.maxPositions = maxPositions
        self.normEpsilon = normEpsilon ?? (family == .gpt2 ? 1e-5 : 1e-6)
        self.ropeTheta = ropeTheta
        self.partialRotaryFactor = partialRotaryFactor ?? (family == .glm4 ? 0.5 : 1)
        self.tieWordEmbeddings = tieWordEmbeddings ?? (family == .gpt2)
        self.attentionBias = attentionBias ?? (family == .gpt2 || family.defaultAttentionBias)
        self.mlpBias = mlpBias ?? (family == .gpt2)
        self.bosTokenId = bosTokenId
        self.eosTokenIds = eosTokenIds
        self.padTokenId = padTokenId
        try validate(source: "model configuration")
    }

    /// Parses a `config.json` (old and new transformers layouts: `rope_theta` at the top or in `rope_parameters`,
    /// `torch_dtype` or `dtype`). `source` names the file in errors.
    public init(json: [String: Any], source: String) throws {
        func fail(_ problem: String) -> ModelLoadingError { ModelLoadingError(source, problem) }
        guard let type = json["model_type"] as? String else { throw fail("no \"model_type\"") }
        guard let family = ModelFamily(rawValue: type) else {
            throw fail(
                "unsupported model_type \"\(type)\" (supported: \(ModelFamily.allCases.map(\.rawValue).joined(separator: ", ")))"
            )
        }
        func int(_ keys: String..., default value: Int? = nil) throws -> Int {
            for key in keys { if let v = json[key] as? Int { return v } }
            if let value { return value }
            throw fail("missing integer \"\(keys[0])\"")
        }
        func float(_ key: String, default value: Float) throws -> Float {
            guard let raw = json[key], !(raw is NSNull) else { return value }
            guard let v = raw as? Double else { throw fail("\"\(key)\" is not a number") }
            return Float(v)
        }
        func ids(_ key: String) -> [Int] {
            if let one = json[key] as? Int { return [one] }
            return json[key] as? [Int] ?? []
        }
        self.family = family
        vocabSize = try int("vocab_size")
        if family == .gpt2 {
            hiddenSize = try int("n_embd")
            layerCount = try int("n_layer")
            headCount = try int("n_head")
            kvHeadCount = headCount
            intermediateSize = try int("n_inner", default: 4 * hiddenSize)
            maxPositions = try int("n_positions")
            normEpsilon = try float("layer_norm_epsilon", default: 1e-5)
            tieWordEmbeddings = true
            attentionBias = true
            mlpBias = true
            let activation = json["activation_function"] as? String ?? "gelu_new"
            if !["gelu_new", "gelu_pytorch_tanh"].contains(activation) {
                throw fail(
                    "unsupported GPT-2 activation_function \"\(activation)\" (supported: gelu_new, gelu_pytorch_tanh)")
            }
        } else {
            hiddenSize = try int("hidden_size")
            layerCount = try int("num_hidden_layers")
            headCount = try int("num_attention_heads")
            kvHeadCount = try int("num_key_value_heads", default: headCount)
            intermediateSize = try int("intermediate_size")
            maxPositions = try int("max_position_embeddings", default: 4096)
            normEpsilon = try float("rms_norm_eps", default: 1e-6)
            tieWordEmbeddings = json["tie_word_embeddings"] as? Bool ?? false
            attentionBias = json["attention_bias"] as? Bool ?? family.defaultAttentionBias
            mlpBias = json["mlp_bias"] as? Bool ?? false
            let activation = json["hidden_act"] as? String ?? "silu"
            if activation != "silu" { throw fail("unsupported hidden_act \"\(activation)\" (supported: silu)") }
        }
        headDim = try int("head_dim", default: hiddenSize / max(headCount, 1))
        let rope = json["rope_parameters"] as? [String: Any] ?? json["rope_scaling"] as? [String: Any] ?? [:]
        if let kind = (rope["rope_type"] ?? rope["type"]) as? String, kind != "default" {
            throw fail("unsupported rope_type \"\(kind)\" (supported: default)")
        }
        ropeTheta = Float((rope["rope_theta"] as? Double) ?? (json["rope_theta"] as? Double) ?? 10_000)
        partialRotaryFactor = Float(
            (rope["partial_rotary_factor"] as? Double)
                ?? (json["partial_rotary_factor"] as? Double) ?? (family == .glm4 ? 0.5 : 1))
        bosTokenId = json["bos_token_id"] as? Int
        eosTokenIds = ids("eos_token_id")
        padTokenId = json["pad_token_id"] as? Int
        if let dtype = (json["dtype"] ?? json["torch_dtype"]) as? String,
            !["float32", "float16", "bfloat16"].contains(dtype)
        {
            throw fail("unsupported dtype \"\(dtype)\" (supported: float32, float16, bfloat16)")
        }
        try validate(source: source)
    }

    /// Reads `config.json` at `url`.
    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ModelLoadingError(url.path, "cannot read: \(error.localizedDescription)")
        }
        guard let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ModelLoadingError(url.path, "not a JSON object")
        }
        try self.init(json: json, source: url.path)
    }

    /// Checks the shapes fit together (heads divide the width, KV heads divide the heads, …).
    func validate(source: String) throws {
        let checks: [(Bool, String)] = [
            (
                vocabSize > 0 && hiddenSize > 0 && layerCount > 0 && headCount > 0 && intermediateSize > 0,
                "sizes must be positive"
            ),
            (
                kvHeadCount > 0 && headCount % kvHeadCount == 0,
                "num_attention_heads \(headCount) is not a multiple of num_key_value_heads \(kvHeadCount)"
            ),
            (
                headDim > 0 && (family != .gpt2 || headDim * headCount == hiddenSize),
                "head_dim \(headDim) × \(headCount) heads does not fit hidden size \(hiddenSize)"
            ),
            (
                family == .gpt2 || Int(Float(headDim) * partialRotaryFactor) >= 2,
                "partial_rotary_factor \(partialRotaryFactor) leaves nothing to rotate"
            ),
        ]
        for (ok, problem) in checks where !ok { throw ModelLoadingError(source, problem) }
    }
}
