extension ModelConfig {
    /// Why a model of this configuration cannot be split over `ranks` tensor-parallel ranks (nil: it can). Tensor
    /// parallelism splits heads and the MLP's width, so `ranks` must divide the attention heads, the key/value heads
    /// and the intermediate size; it covers the Llama family (separate q/k/v and gate/up projections).
    public func tensorParallelProblem(ranks: Int) -> String? {
        if ranks < 1 { return "--tensor-parallel must be at least 1, got \(ranks)" }
        if ranks == 1 { return nil }
        guard family.feedForward == .swiGLU, family != .gpt2 else {
            return "tensor parallelism supports llama, qwen2 and qwen3 models, not \(family.rawValue)"
        }
        guard headCount % ranks == 0, kvHeadCount % ranks == 0, intermediateSize % ranks == 0 else {
            return "--tensor-parallel \(ranks) must divide the model's attention heads (\(headCount)), "
                + "key/value heads (\(kvHeadCount)) and intermediate size (\(intermediateSize))"
        }
        return nil
    }

    /// The shape of one rank's shard over `ranks` tensor-parallel ranks: its heads (`headCount`/ranks query heads,
    /// `kvHeadCount`/ranks key/value heads, of the same width) and its slice of the MLP (`intermediateSize`/ranks).
    /// Everything else — the residual width, the vocabulary, the layers — is the whole model's.
    public func shard(over ranks: Int) -> ModelConfig {
        precondition(tensorParallelProblem(ranks: ranks) == nil, tensorParallelProblem(ranks: ranks) ?? "")
        var local = self
        local.headCount = headCount / ranks
        local.kvHeadCount = kvHeadCount / ranks
        local.intermediateSize = intermediateSize / ranks
        return local
    }
}
