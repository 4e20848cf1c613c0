import TensorEngine

/// Weight matrices packed for decoding (`PackedMatrix`): the products of one decoding step stream each weight once,
/// contiguously, instead of strided — about twice as fast on this machine's memory.
///
/// A snapshot taken when generation starts; it costs one copy of the weights while it lives, so the generator makes
/// it per call and drops it at the end (a policy being trained changes its weights between calls anyway).
enum DecodingPacks {
    /// Batches with more rows than this use the stored weights: the packed product streams them once per 8 rows,
    /// which still beat BLAS at 32 rows here (`rlhf bench decode-gemm --rows 32`: 78 vs 28 GFLOP/s).
    static let maxRows = 32
}

extension TransformerLM {
    /// Runs `body` with every projection and the LM head packed for decoding, then drops the packs. Nested calls
    /// reuse the outer packs.
    func withDecodingPacks<R>(_ body: () -> R) -> R {
        if lmHeadPack != nil { return body() }
        let linears = modules(of: Linear.self)
        for linear in linears { linear.decodingPack = linear.pack() }
        let embedding = decoder.tokenEmbedding.weight
        lmHeadPack =
            lmHead?.decodingPack
            ?? embedding.bfloat16.map { PackedMatrix.decoding($0, transposed: true) }
            ?? PackedMatrix(embedding.tensor, transposed: true)
        defer {
            for linear in linears { linear.decodingPack = nil }
            lmHeadPack = nil
        }
        return body()
    }
}
