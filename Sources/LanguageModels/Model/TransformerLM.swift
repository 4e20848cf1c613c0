import Foundation
import TensorEngine

/// A decoder-only transformer language model (GPT-2, Llama, Qwen2, GLM-4) with its weights.
///
/// Weights keep their Hugging Face names, so checkpoints load and save without a translation table.
public final class TransformerLM {
    /// The architecture.
    public let config: ModelConfig
    let tokenEmbedding: Tensor
    let positionEmbedding: Tensor?
    let blocks: [any TransformerBlock]
    let finalNorm: Tensor
    let finalNormBias: Tensor?
    /// [vocab, hidden]; the embedding itself when tied.
    let lmHead: Tensor
    private let names: (embedding: String, position: String?, finalNorm: String, finalNormBias: String?, layers: String)

    /// Builds the model from named weights, checking every required tensor and its shape.
    public init(config: ModelConfig, weights raw: WeightSet) throws {
        self.config = config
        var w = raw
        let d = config.hiddenSize, v = config.vocabSize
        if config.family == .gpt2 {
            // Some GPT-2 checkpoints omit the "transformer." prefix.
            if w.tensors["wte.weight"] != nil && w.tensors["transformer.wte.weight"] == nil {
                w.tensors = Dictionary(uniqueKeysWithValues: w.tensors.map { ($0.key == "lm_head.weight" ? $0.key : "transformer." + $0.key, $0.value) })
            }
            names = ("transformer.wte.weight", "transformer.wpe.weight", "transformer.ln_f.weight", "transformer.ln_f.bias", "transformer.h.")
        } else {
            names = ("model.embed_tokens.weight", nil, "model.norm.weight", nil, "model.layers.")
        }
        tokenEmbedding = try w.require(names.embedding, [v, d])
        positionEmbedding = try names.position.map { try w.require($0, [config.maxPositions, d]) }
        finalNorm = try w.require(names.finalNorm, [d])
        finalNormBias = try names.finalNormBias.map { try w.require($0, [d]) }
        lmHead = config.tieWordEmbeddings ? tokenEmbedding : try w.require("lm_head.weight", [v, d])
        let layerPrefix = names.layers
        blocks = try (0..<config.layerCount).map { i -> any TransformerBlock in
            let prefix = layerPrefix + "\(i)."
            return config.family == .gpt2
                ? try GPT2Block(w, prefix: prefix, config: config)
                : try LlamaBlock(w, prefix: prefix, config: config)
        }
    }

    /// Loads a Hugging Face model directory: `config.json` and `model.safetensors` (or sharded safetensors).
    public static func load(directory: URL) throws -> TransformerLM {
        let config = try ModelConfig(contentsOf: directory.appendingPathComponent("config.json"))
        return try TransformerLM(config: config, weights: try WeightSet.load(directory: directory))
    }

    /// Every trainable weight with its Hugging Face name (a tied LM head appears once, as the embedding).
    public var namedParameters: [(String, Tensor)] {
        var all: [(String, Tensor)] = [(names.embedding, tokenEmbedding)]
        if let p = positionEmbedding, let n = names.position { all.append((n, p)) }
        for block in blocks { all += block.namedParameters }
        all.append((names.finalNorm, finalNorm))
        if let b = finalNormBias, let n = names.finalNormBias { all.append((n, b)) }
        if !config.tieWordEmbeddings { all.append(("lm_head.weight", lmHead)) }
        return all
    }

    /// Every trainable weight, in a fixed order (the optimizer's state is indexed by it).
    public var parameters: [Tensor] { namedParameters.map(\.1) }

    /// Marks every weight as trainable (or frozen).
    public func setTrainable(_ trainable: Bool) {
        for p in parameters { p.requiringGrad(trainable) }
    }

    /// The final hidden states [B, T, hidden] for token `ids` [B, T].
    ///
    /// - Parameters:
    ///   - positions: [B, T] (or [T]) position of each token; defaults to the cache length onwards.
    ///   - attentionMask: [B, cached + T], 1 for real tokens and 0 for padding (left padding in batched generation).
    ///   - cache: filled with this pass's keys and values (only under `withNoGrad`).
    public func hiddenStates(_ ids: IntTensor, positions: IntTensor? = nil, attentionMask: Tensor? = nil,
                             cache: KVCache? = nil) -> Tensor {
        hiddenStates(ids, positions: positions, attentionMask: attentionMask, cache: cache, decodingWeights: nil)
    }

    func hiddenStates(_ ids: IntTensor, positions: IntTensor?, attentionMask: Tensor?, cache: KVCache?,
                      decodingWeights: DecodingWeights?) -> Tensor {
        if ids.shape.count != 2 { engineFailure("TransformerLM", "ids must be [batch, time], got \(ids.shape)") }
        let (b, t) = (ids.shape[0], ids.shape[1])
        let start = cache?.length ?? 0
        let pos = positions ?? IntTensor(shape: [b, t], scalars: (0..<b).flatMap { _ in Array(start..<(start + t)) })
        let batchPositions = pos.shape.count == 1 ? IntTensor(shape: [b, t], scalars: (0..<b).flatMap { _ in pos.scalars }) : pos
        if batchPositions.shape != [b, t] {
            engineFailure("TransformerLM", "positions shape \(pos.shape) does not match ids shape \(ids.shape)")
        }
        var x = TensorEngine.embedding(tokenEmbedding, ids)
        if let positionEmbedding {
            if let p = batchPositions.scalars.first(where: { $0 < 0 || $0 >= config.maxPositions }) {
                engineFailure("TransformerLM", "position \(p) outside the model's \(config.maxPositions) positions")
            }
            x = x + TensorEngine.embedding(positionEmbedding, batchPositions)
        }
        let context = AttentionContext(positions: batchPositions, keyPaddingMask: attentionMask, cache: cache,
                                       decodingWeights: decodingWeights)
        for (i, block) in blocks.enumerated() { x = block(x, layer: i, context: context) }
        cache?.advance(by: t)
        return config.family == .gpt2
            ? layerNorm(x, weight: finalNorm, bias: finalNormBias, eps: config.normEpsilon)
            : rmsNorm(x, weight: finalNorm, eps: config.normEpsilon)
    }

    /// Next-token logits [B, T, vocab] from hidden states.
    public func logits(_ hidden: Tensor) -> Tensor { matmul(hidden, lmHead, transposeB: true) }

    /// Next-token logits [B, T, vocab] for `ids` (see `hiddenStates`).
    public func callAsFunction(_ ids: IntTensor, positions: IntTensor? = nil, attentionMask: Tensor? = nil,
                               cache: KVCache? = nil) -> Tensor {
        logits(hiddenStates(ids, positions: positions, attentionMask: attentionMask, cache: cache))
    }
}
