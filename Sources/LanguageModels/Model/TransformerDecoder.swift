import TensorEngine

/// The transformer without its LM head: embeddings, the layers, the final norm. Its output — hidden states — feeds
/// the LM head of a language model and the scalar head of a reward model or critic.
public final class TransformerDecoder: Module {
    public let tokenEmbedding: Embedding
    /// GPT-2's learned positions.
    public let positionEmbedding: Embedding?
    public let layers: ModuleList
    public let finalNorm: Module & NormLayer
    let blocks: [DecoderBlock]
    let maxPositions: Int
    /// Whether training keeps only each block's input and recomputes the block in the backward pass.
    public var checkpointsActivations = false
    /// Whether a taped forward drops what a block can recompute cheaply — its norms' outputs, its merged attention
    /// heads, its MLP's hidden activation — and the backward pass rebuilds them (selective recomputation,
    /// `Tensor.dropUntilBackward`): about a third less activation memory for a few percent of a step. On by default.
    public var recomputesActivations = true

    /// The decoder of a model of `config` (with `parallelism`, this rank's shard, of the shard's config).
    init(config c: ModelConfig, names n: WeightNames, parallelism: TensorParallelism? = nil) {
        tokenEmbedding = Embedding(key: n.tokenEmbedding, count: c.vocabSize, width: c.hiddenSize)
        positionEmbedding = n.positionEmbedding.map { Embedding(key: $0, count: c.maxPositions, width: c.hiddenSize) }
        blocks = (0..<c.layerCount).map { DecoderBlock(index: $0, config: c, names: n, parallelism: parallelism) }
        layers = ModuleList(key: n.layers, blocks)
        finalNorm = makeNorm(n.finalNorm, config: c)
        maxPositions = c.maxPositions
        super.init(key: n.decoder)
    }

    /// Hidden states [B, T, D] for `ids` [B, T] at `positions` [B, T].
    func callAsFunction(_ ids: IntTensor, positions: IntTensor, context: AttentionContext) -> Tensor {
        var x = tokenEmbedding(ids)
        if let positionEmbedding {
            if let p = positions.scalars.first(where: { $0 < 0 || $0 >= maxPositions }) {
                engineFailure("TransformerLM", "position \(p) outside the model's \(maxPositions) positions")
            }
            x = x + positionEmbedding(positions)
        }
        // The task's `ActivationDropping` can turn it off too. Fixed now for a checkpointed block's run in backward.
        let recomputes = recomputesActivations && ActivationDropping.isEnabled
        for block in blocks {
            let run = { (x: Tensor) in
                ActivationDropping.$isEnabled.withValue(recomputes) { block(x, context: context) }
            }
            if checkpointsActivations && GradMode.enabled && context.cache == nil {
                x = checkpointed(x, parameters: block.trainableParameters, run)
            } else {
                x = run(x)
            }
        }
        return finalNorm(x)
    }
}
