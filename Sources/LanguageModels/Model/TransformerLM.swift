import Foundation
import TensorEngine

/// A decoder-only transformer language model (GPT-2, Llama, Qwen2, Qwen3, GLM-4): the decoder and its LM head.
///
/// Weights keep their Hugging Face names (declared once, in `WeightNames`), so checkpoints load and save without a
/// translation table. A tensor-parallel shard (`sharded(over:)`) holds one rank's slice of every block under the
/// same names.
public final class TransformerLM: Module {
    /// The architecture (of the whole model, also on a tensor-parallel shard).
    public let config: ModelConfig
    /// The ranks this model is split over, when it is a tensor-parallel shard (nil: the whole model).
    public let tensorParallelism: TensorParallelism?
    /// Embeddings, layers and the final norm.
    public let decoder: TransformerDecoder
    /// The LM head [vocab, hidden]; nil when tied to the token embedding.
    public let lmHead: Linear?
    /// The LM head packed for decoding, while `withDecodingPacks` runs.
    var lmHeadPack: PackedMatrix?

    /// The structure of a model of `config`, its weights not yet filled in (see `initialize(seed:std:)` and
    /// `load(_:)`); with `tensorParallelism`, the structure of this rank's shard (whose size must suit the model:
    /// `ModelConfig.tensorParallelProblem`).
    public init(structureOf config: ModelConfig, tensorParallelism: TensorParallelism? = nil) {
        let names = WeightNames.of(config.family)
        self.config = config
        self.tensorParallelism = tensorParallelism
        let local = tensorParallelism.map { config.shard(over: $0.size) } ?? config
        decoder = TransformerDecoder(config: local, names: names, parallelism: tensorParallelism)
        lmHead =
            config.tieWordEmbeddings
            ? nil : Linear(key: names.lmHead, inputs: config.hiddenSize, outputs: config.vocabSize, bias: nil)
        super.init(key: WeightKey("", gguf: ""))
    }

    /// A model with fresh weights, as transformers initialises them: normal(0, `std`) matrices and embeddings, zero
    /// biases, unit norm weights. Deterministic for a seed.
    public convenience init(config: ModelConfig, seed: UInt64, std: Float = 0.02) throws {
        self.init(structureOf: config)
        initialize(seed: seed, std: std)
    }

    /// Builds the model from named weights, checking every required tensor and its shape.
    public convenience init(config: ModelConfig, weights raw: WeightSet) throws {
        self.init(structureOf: config)
        var weights = raw
        // Some GPT-2 checkpoints omit the "transformer." prefix.
        let decoderKey = decoder.key.huggingFace
        if config.family == .gpt2 && weights.tensors["wte.weight"] != nil
            && weights.tensors[decoderKey + ".wte.weight"] == nil
        {
            weights.tensors = Dictionary(
                uniqueKeysWithValues: weights.tensors.map {
                    (
                        $0.key.hasPrefix(WeightNames.gpt2.lmHead.huggingFace + ".")
                            ? $0.key : decoderKey + "." + $0.key, $0.value
                    )
                })
        }
        try load(weights)
    }

    /// Loads a Hugging Face model directory: `config.json` and `model.safetensors` (or sharded safetensors), and the
    /// LoRA adapters saved beside them (PEFT's `adapter_config.json` and `adapter_model.safetensors`), if any.
    public static func load(directory: URL) throws -> TransformerLM {
        let config = try ModelConfig(contentsOf: directory.appendingPathComponent("config.json"))
        let model = try TransformerLM(config: config, weights: try WeightSet.load(directory: directory))
        if PEFTAdapterFiles.exist(in: directory) { try model.loadAdapters(from: directory) }
        return model
    }

    /// An independent copy with the same weights, adapters and frozen state (the PPO actor, critic and reference
    /// start from one SFT model).
    public func copy() -> TransformerLM {
        let copy = TransformerLM(structureOf: config, tensorParallelism: tensorParallelism)
        for ((_, from), (_, to)) in zip(linearLayers, copy.linearLayers) {
            if let adapter = from.adapter {
                to.adapter = LoRAAdapter(
                    inputs: to.inputs, outputs: to.outputs, settings: adapter.settings, seed: 0)
            }
        }
        copy.copyWeights(from: self)
        return copy
    }

    /// A model of the same structure whose weights are this model's own tensors — shared, not copied — without its
    /// adapters: the base of a LoRA model at no memory cost (the PPO and GRPO reference, a critic's base beside a
    /// reward model). Its weights are frozen. Throws unless every shared weight is frozen here too, since training
    /// this model would then change the other.
    public func sharingBaseWeights() throws -> TransformerLM {
        let base = baseParameterSlots
        if let trained = base.first(where: { $0.parameter.isPresent && !$0.parameter.isFrozen }) {
            throw LoRAError(
                "cannot share the weights of a model that trains them (\(trained.path) is not frozen): use copy()")
        }
        let view = TransformerLM(structureOf: config, tensorParallelism: tensorParallelism)
        let source = Dictionary(uniqueKeysWithValues: base)
        for (path, p) in view.parameterSlots {
            p.setFrozen(true)
            if let from = source[path] { p.share(from) }
        }
        return view
    }

    /// Whether training keeps only each block's input and recomputes the block in the backward pass (activation
    /// checkpointing: memory for long sequences, one more forward pass of compute).
    public var checkpointsActivations: Bool {
        get { decoder.checkpointsActivations }
        set { decoder.checkpointsActivations = newValue }
    }

    /// Whether a taped forward drops the activations a block recomputes cheaply in the backward pass (selective
    /// recomputation, on by default: `TransformerDecoder.recomputesActivations`).
    public var recomputesActivations: Bool {
        get { decoder.recomputesActivations }
        set { decoder.recomputesActivations = newValue }
    }

    /// The token embedding [vocab, hidden].
    var embeddingMatrix: Tensor { decoder.tokenEmbedding.weight.tensor }

    /// The final hidden states [B, T, hidden] for token `ids` [B, T].
    ///
    /// - Parameters:
    ///   - positions: [B, T] (or [T]) position of each token; defaults to the cache length onwards.
    ///   - attentionMask: [B, cached + T], 1 for real tokens and 0 for padding (left padding in batched generation).
    ///   - cache: filled with this pass's keys and values (only under `withNoGrad`).
    public func hiddenStates(
        _ ids: IntTensor, positions: IntTensor? = nil, attentionMask: Tensor? = nil,
        cache: KVCache? = nil
    ) -> Tensor {
        if ids.shape.count != 2 { engineFailure("TransformerLM", "ids must be [batch, time], got \(ids.shape)") }
        let (b, t) = (ids.shape[0], ids.shape[1])
        let start = cache?.length ?? 0
        let pos = positions ?? IntTensor(shape: [b, t], scalars: (0..<b).flatMap { _ in Array(start..<(start + t)) })
        let batchPositions =
            pos.shape.count == 1 ? IntTensor(shape: [b, t], scalars: (0..<b).flatMap { _ in pos.scalars }) : pos
        if batchPositions.shape != [b, t] {
            engineFailure("TransformerLM", "positions shape \(pos.shape) does not match ids shape \(ids.shape)")
        }
        let context = AttentionContext(positions: batchPositions, keyPaddingMask: attentionMask, cache: cache)
        let hidden = decoder(ids, positions: batchPositions, context: context)
        cache?.advance(by: t)
        return hidden
    }

    /// Next-token logits [B, T, vocab] from hidden states.
    public func logits(_ hidden: Tensor) -> Tensor {
        // An untied head packs itself while decoding (and adds its adapter, if it has one).
        if let lmHead { return lmHead(hidden) }
        if let lmHeadPack, hidden.count / max(hidden.shape.last!, 1) <= DecodingPacks.maxRows {
            return lmHeadPack(hidden)
        }
        if let half = decoder.tokenEmbedding.weight.bfloat16 { return linear(hidden, weight: half) }
        return matmul(hidden, embeddingMatrix, transposeB: true)
    }

    /// Next-token logits [B, T, vocab] for `ids` (see `hiddenStates`).
    public func callAsFunction(
        _ ids: IntTensor, positions: IntTensor? = nil, attentionMask: Tensor? = nil,
        cache: KVCache? = nil
    ) -> Tensor {
        logits(hiddenStates(ids, positions: positions, attentionMask: attentionMask, cache: cache))
    }
}
