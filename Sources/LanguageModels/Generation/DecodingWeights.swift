import TensorEngine

/// A model's weight matrices packed for decoding (`PackedMatrix`): the products of one decoding step stream each
/// weight once, contiguously, instead of strided — about twice as fast on this machine's memory.
///
/// A snapshot taken when generation starts; it costs one copy of the weights while it lives, so the generator makes
/// it per call and drops it at the end (a policy being trained changes its weights between calls anyway).
final class DecodingWeights {
    /// Batches with more rows than this use the stored weights: the packed product streams them once per 8 rows,
    /// which still beat BLAS at 32 rows here (`rlhf bench decode-gemm --rows 32`: 78 vs 28 GFLOP/s).
    static let maxRows = 32
    private let byWeight: [ObjectIdentifier: PackedMatrix]
    /// The LM head [vocab, hidden] packed.
    let lmHead: PackedMatrix

    init(_ model: TransformerLM) {
        var packs: [ObjectIdentifier: PackedMatrix] = [:]
        for block in model.blocks {
            for p in block.projections {
                packs[ObjectIdentifier(p.weight)] = PackedMatrix(p.weight, transposed: p.transposed, bias: p.bias)
            }
        }
        byWeight = packs
        lmHead = PackedMatrix(model.lmHead, transposed: true)
    }

    /// The packed copy of `weight` when `rows` activations are few enough to profit from it.
    @inline(__always)
    func packed(_ weight: Tensor, rows: Int) -> PackedMatrix? {
        rows <= Self.maxRows ? byWeight[ObjectIdentifier(weight)] : nil
    }
}
