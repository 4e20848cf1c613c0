import Testing

@testable import TensorEngine

/// The fused kernels against the same maths composed from primitive ops, at sizes that exercise their vector loops,
/// remainders and blocking (rows longer than one SIMD vector, attention longer than one 64-query block).
@Suite struct FusedKernelReferenceTests {
    func compare(
        _ inputs: [Tensor], rtol: Float = 2e-5, atol: Float = 2e-6,
        fused: ([Tensor]) -> Tensor, reference: ([Tensor]) -> Tensor,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        expectSameOutputsAndGradients(
            inputs, rtol: rtol, atol: atol, fused, reference, sourceLocation: sourceLocation)
    }

    @Test func layerNormWideRows() {
        let x = randomTensor([5, 40], seed: 1), w = randomTensor([40], seed: 2), b = randomTensor([40], seed: 3)
        compare([x, w, b], fused: { layerNorm($0[0], weight: $0[1], bias: $0[2], eps: 1e-5) }) { xs in
            let mean = xs[0].mean(axis: -1, keepDims: true)
            let centered = xs[0] - mean
            let variance = centered.square().mean(axis: -1, keepDims: true)
            return centered * (variance + 1e-5).rsqrt() * xs[1] + xs[2]
        }
    }

    @Test func rmsNormWideRows() {
        let x = randomTensor([5, 40], seed: 4), w = randomTensor([40], seed: 5)
        compare([x, w], fused: { rmsNorm($0[0], weight: $0[1], eps: 1e-6) }) { xs in
            xs[0] * (xs[0].square().mean(axis: -1, keepDims: true) + 1e-6).rsqrt() * xs[1]
        }
    }

    @Test func softmaxAndLossesWideRows() {
        let x = randomTensor([3, 4, 37], seed: 6, scale: 3)
        compare([x], fused: { $0[0].softmax() }) { ($0[0] - $0[0].logsumexp(axis: -1, keepDims: true)).exp() }
        compare([x], fused: { $0[0].logSoftmax() }) { $0[0] - $0[0].logsumexp(axis: -1, keepDims: true) }
        compare([x], fused: { entropy($0[0]) }) { xs in
            let logp = xs[0] - xs[0].logsumexp(axis: -1, keepDims: true)
            return -(logp.exp() * logp).sum(axis: -1)
        }
        let targets = IntTensor(shape: [3, 4], scalars: [0, 36, 5, -100, 17, 2, 2, 30, 9, -100, 1, 35])
        compare([x], fused: { crossEntropy($0[0], targets: targets) }) { xs in
            let rows = xs[0].reshaped([12, 37]).logSoftmax()
            let kept = (0..<12).filter { targets.scalars[$0] != -100 }
            let picked = rows.indexSelect(axis: 0, kept)
                .gather(axis: 1, IntTensor(shape: [kept.count, 1], scalars: kept.map { targets.scalars[$0] }))
            return -picked.mean()
        }
    }

    /// Attention as matmul → scale → mask → softmax → matmul, with key/value heads repeated for GQA.
    func referenceAttention(_ q: Tensor, _ k: Tensor, _ v: Tensor, mask: Tensor?, causal: Bool) -> Tensor {
        let (b, h, tq, d) = (q.shape[0], q.shape[1], q.shape[2], q.shape[3])
        let (hkv, tk) = (k.shape[1], k.shape[2])
        let group = h / hkv
        func repeatHeads(_ t: Tensor) -> Tensor {
            group == 1 ? t : Tensor.stack(Array(repeating: t, count: group), axis: 2).reshaped([b, h, tk, d])
        }
        var blocked = [Float](repeating: 0, count: b * tq * tk)
        for bi in 0..<b {
            for i in 0..<tq {
                for j in 0..<tk
                where (causal && j > tk - tq + i) || (mask.map { $0.scalars[bi * tk + j] == 0 } ?? false) {
                    blocked[(bi * tq + i) * tk + j] = 1
                }
            }
        }
        let scores = matmul(q, repeatHeads(k), transposeB: true) * (1 / Float(d).squareRoot())
        let probs = scores.maskedFill(Tensor(shape: [b, 1, tq, tk], scalars: blocked), -1e30).softmax()
        return matmul(probs, repeatHeads(v))
    }

    @Test func attentionAcrossQueryBlocks() {
        // 70 queries span two 64-query blocks; 70 keys span several vectors with a remainder.
        let q = randomTensor([1, 2, 70, 8], seed: 7), k = randomTensor([1, 2, 70, 8], seed: 8),
            v = randomTensor([1, 2, 70, 8], seed: 9)
        compare([q, k, v], fused: { scaledDotProductAttention(q: $0[0], k: $0[1], v: $0[2]) }) {
            referenceAttention($0[0], $0[1], $0[2], mask: nil, causal: true)
        }
        compare([q, k, v], fused: { scaledDotProductAttention(q: $0[0], k: $0[1], v: $0[2], causal: false) }) {
            referenceAttention($0[0], $0[1], $0[2], mask: nil, causal: false)
        }
    }

    @Test func attentionWithPaddingGroupedHeadsAndCache() {
        let q = randomTensor([2, 4, 20, 8], seed: 10), k = randomTensor([2, 2, 33, 8], seed: 11),
            v = randomTensor([2, 2, 33, 8], seed: 12)
        var maskValues = [Float](repeating: 1, count: 2 * 33)
        for j in 0..<3 { maskValues[j] = 0 }  // batch 0 is left-padded by 3 keys; every query still sees a real key
        let mask = Tensor(shape: [2, 33], scalars: maskValues)
        compare([q, k, v], fused: { scaledDotProductAttention(q: $0[0], k: $0[1], v: $0[2], keyPaddingMask: mask) }) {
            referenceAttention($0[0], $0[1], $0[2], mask: mask, causal: true)
        }
    }

    @Test func attentionOverThePrefixOfACacheBuffer() {
        // k, v hold 12 positions of capacity; only the first 9 are valid (a KV cache mid-generation).
        let q = randomTensor([2, 2, 3, 8], seed: 13), k = randomTensor([2, 1, 12, 8], seed: 14),
            v = randomTensor([2, 1, 12, 8], seed: 15)
        let mask = Tensor(shape: [2, 9], scalars: [0, 0] + [Float](repeating: 1, count: 16))
        compare(
            [q, k, v],
            fused: { scaledDotProductAttention(q: $0[0], k: $0[1], v: $0[2], keyPaddingMask: mask, keyLength: 9) }
        ) {
            scaledDotProductAttention(
                q: $0[0], k: $0[1].slice(axis: 2, 0..<9).concatZeros(3),
                v: $0[2].slice(axis: 2, 0..<9).concatZeros(3), keyPaddingMask: mask, keyLength: 9)
        }
        let direct = scaledDotProductAttention(
            q: q, k: k.slice(axis: 2, 0..<9), v: v.slice(axis: 2, 0..<9), keyPaddingMask: mask)
        expectClose(
            scaledDotProductAttention(q: q, k: k, v: v, keyPaddingMask: mask, keyLength: 9), direct, "prefix of buffer")
    }
}

extension Tensor {
    /// Appends `n` zero positions on axis 2 (so only the stride, not the values, matches the cache buffer).
    fileprivate func concatZeros(_ n: Int) -> Tensor {
        var s = shape; s[2] = n
        return Tensor.concat([self, Tensor.zeros(s)], axis: 2)
    }
}
