import Testing

@testable import TensorEngine

/// Finite-difference checks of the layer ops: matmul, norms, softmax, RoPE, attention, losses.
@Suite struct NeuralGradientTests {
    @Test func matmulEveryTransposeAndBatchLayout() {
        for (ta, tb) in [(false, false), (false, true), (true, false), (true, true)] {
            let a = randomTensor(ta ? [4, 3] : [3, 4], seed: 41), b = randomTensor(tb ? [5, 4] : [4, 5], seed: 42)
            expectGradientsMatchFiniteDifferences([a, b]) { matmul($0[0], $0[1], transposeA: ta, transposeB: tb) }
            let ba = randomTensor(ta ? [2, 4, 3] : [2, 3, 4], seed: 43),
                bb = randomTensor(tb ? [2, 5, 4] : [2, 4, 5], seed: 44)
            expectGradientsMatchFiniteDifferences([ba, bb]) { matmul($0[0], $0[1], transposeA: ta, transposeB: tb) }
            // A shared rank-2 operand on either side.
            expectGradientsMatchFiniteDifferences([ba, b]) { matmul($0[0], $0[1], transposeA: ta, transposeB: tb) }
            expectGradientsMatchFiniteDifferences([a, bb]) { matmul($0[0], $0[1], transposeA: ta, transposeB: tb) }
        }
        let w = randomTensor([5, 4], seed: 45), bias = randomTensor([5], seed: 46),
            x = randomTensor([2, 3, 4], seed: 47)
        expectGradientsMatchFiniteDifferences([x, w, bias]) { linear($0[0], weight: $0[1], bias: $0[2]) }
    }

    @Test func normalization() {
        let x = randomTensor([3, 2, 10], seed: 51), w = randomTensor([10], seed: 52), b = randomTensor([10], seed: 53)
        expectGradientsMatchFiniteDifferences([x, w, b]) { layerNorm($0[0], weight: $0[1], bias: $0[2]) }
        expectGradientsMatchFiniteDifferences([x, w]) { layerNorm($0[0], weight: $0[1], bias: nil) }
        expectGradientsMatchFiniteDifferences([x, w]) { rmsNorm($0[0], weight: $0[1]) }
    }

    @Test func softmaxFamily() {
        let x = randomTensor([2, 3, 20], seed: 61)
        expectGradientsMatchFiniteDifferences([x]) { $0[0].softmax() }
        expectGradientsMatchFiniteDifferences([x]) { $0[0].softmax(axis: 1) }
        expectGradientsMatchFiniteDifferences([x]) { $0[0].logSoftmax() }
        expectGradientsMatchFiniteDifferences([x]) { $0[0].logSoftmax(axis: 0) }
    }

    @Test func rotaryEmbeddingVariants() {
        let x = randomTensor([2, 2, 5, 8], seed: 71)
        expectGradientsMatchFiniteDifferences([x]) { rope($0[0], positions: IntTensor(Array(0..<5)), base: 100) }
        expectGradientsMatchFiniteDifferences([x]) {
            rope($0[0], positions: IntTensor(Array(3..<8)), base: 100, rotaryFraction: 0.5, style: .interleaved)
        }
        let perBatch = IntTensor(shape: [2, 5], scalars: [0, 0, 0, 1, 2, 0, 1, 2, 3, 4])
        expectGradientsMatchFiniteDifferences([x]) { rope($0[0], positions: perBatch, base: 100, rotaryFraction: 0.5) }
    }

    @Test func rotaryEmbeddingRotatesPairs() {
        // One head of size 4 at position 1 with base 1: the pairs (0,2) and (1,3) rotate by 1 and 1·1^(-1/2) = 1 rad.
        let x = Tensor(shape: [1, 1, 1, 4], scalars: [1, 0, 0, 1])
        let y = rope(x, positions: IntTensor([1]), base: 1).scalars
        let c = Float(0.540_302_3), s = Float(0.841_470_96)
        let expected: [Float] = [c, -s, s, c]
        for (a, e) in zip(y, expected) { #expect(abs(a - e) < 1e-6) }
    }

    @Test func attentionVariants() {
        let q = randomTensor([2, 2, 5, 4], seed: 81), k = randomTensor([2, 2, 5, 4], seed: 82),
            v = randomTensor([2, 2, 5, 4], seed: 83)
        expectGradientsMatchFiniteDifferences([q, k, v]) { scaledDotProductAttention(q: $0[0], k: $0[1], v: $0[2]) }
        expectGradientsMatchFiniteDifferences([q, k, v]) {
            scaledDotProductAttention(q: $0[0], k: $0[1], v: $0[2], causal: false)
        }
        // Left padding: the first keys of batch 0 are padding.
        let mask = Tensor(shape: [2, 5], scalars: [0, 0, 1, 1, 1, 1, 1, 1, 1, 1])
        expectGradientsMatchFiniteDifferences([q, k, v]) {
            scaledDotProductAttention(q: $0[0], k: $0[1], v: $0[2], keyPaddingMask: mask)
        }
        // Grouped-query attention: 4 query heads over 2 key/value heads.
        let q4 = randomTensor([1, 4, 5, 4], seed: 84)
        expectGradientsMatchFiniteDifferences([q4, k.slice(axis: 0, 0..<1), v.slice(axis: 0, 0..<1)]) {
            scaledDotProductAttention(q: $0[0], k: $0[1], v: $0[2])
        }
        // Queries after a cache: 2 new queries over 5 keys.
        let q2 = randomTensor([2, 2, 2, 4], seed: 85)
        expectGradientsMatchFiniteDifferences([q2, k, v]) { scaledDotProductAttention(q: $0[0], k: $0[1], v: $0[2]) }
    }

    @Test func attentionMatchesExplicitFormula() {
        // softmax(QKᵀ·scale + causal mask)·V computed from the engine's primitive ops, with GQA and padding.
        let q = randomTensor([2, 4, 6, 8], seed: 91), k = randomTensor([2, 2, 6, 8], seed: 92),
            v = randomTensor([2, 2, 6, 8], seed: 93)
        let mask = Tensor(shape: [2, 6], scalars: [1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 0, 1])
        let fused = scaledDotProductAttention(q: q, k: k, v: v, keyPaddingMask: mask)
        let kk = Tensor.stack([k, k], axis: 2).reshaped([2, 4, 6, 8])
        let vv = Tensor.stack([v, v], axis: 2).reshaped([2, 4, 6, 8])
        var blocked = [Float](repeating: 0, count: 2 * 6 * 6)
        for b in 0..<2 {
            for i in 0..<6 {
                for j in 0..<6 where j > i || mask.scalars[b * 6 + j] == 0 { blocked[(b * 6 + i) * 6 + j] = 1 }
            }
        }
        let scores = matmul(q, kk, transposeB: true) * (1 / Float(8).squareRoot())
        let masked = scores.maskedFill(Tensor(shape: [2, 1, 6, 6], scalars: blocked), -1e9)
        expectClose(fused, matmul(masked.softmax(), vv), rtol: 1e-5, atol: 1e-6, "attention vs formula")
    }

    @Test func queryWithNoVisibleKeyOutputsZeros() {
        let q = randomTensor([1, 1, 3, 4], seed: 94), k = randomTensor([1, 1, 3, 4], seed: 95),
            v = randomTensor([1, 1, 3, 4], seed: 96)
        let mask = Tensor(shape: [1, 3], scalars: [0, 1, 1])  // left padding: query 0 sees only a padded key
        let out = scaledDotProductAttention(q: q, k: k, v: v, keyPaddingMask: mask).scalars
        #expect(out[0..<4].allSatisfy { $0 == 0 })
        #expect(out[4..<8].elementsEqual(v.scalars[4..<8]), "query 1 sees only key 1")
    }

    @Test func losses() {
        let logits = randomTensor([2, 3, 7], seed: 101)
        let targets = IntTensor(shape: [2, 3], scalars: [1, -100, 6, 0, 3, -100])
        expectGradientsMatchFiniteDifferences([logits]) { crossEntropy($0[0], targets: targets) }
        let tokens = IntTensor(shape: [2, 3], scalars: [1, 2, 6, 0, 3, 3])
        expectGradientsMatchFiniteDifferences([logits]) { tokenLogProbs($0[0], tokens: tokens) }
        expectGradientsMatchFiniteDifferences([logits]) { entropy($0[0]) }
        let all = IntTensor(shape: [2, 3], scalars: [Int](repeating: -100, count: 6))
        #expect(crossEntropy(logits, targets: all).item() == 0)
    }

    @Test func tokenLogProbsEqualsLogSoftmaxGather() {
        let logits = randomTensor([3, 11], seed: 111, scale: 3)
        let tokens = IntTensor([4, 0, 10])
        let fused = tokenLogProbs(logits, tokens: tokens)
        let reference = logits.logSoftmax().gather(axis: 1, IntTensor(shape: [3, 1], scalars: tokens.scalars)).reshaped(
            [3])
        expectClose(fused, reference, "tokenLogProbs")
    }
}
