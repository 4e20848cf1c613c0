import Testing

@testable import TensorEngine

/// The blocked ("flash") attention kernel against the unblocked one and against finite differences, at sizes that
/// span several query blocks (64) and key blocks (128), with padding, grouped heads, a cache and empty rows.
@Suite struct BlockedAttentionTests {
    func attention(_ kernel: AttentionKernel, causal: Bool = true, mask: Tensor? = nil, keyLength: Int? = nil)
        -> ([Tensor]) -> Tensor
    {
        {
            scaledDotProductAttention(
                q: $0[0], k: $0[1], v: $0[2], causal: causal, keyPaddingMask: mask, keyLength: keyLength,
                kernel: kernel)
        }
    }

    @Test func matchesUnblockedAcrossBlocks() {
        let q = randomTensor([2, 4, 150, 8], seed: 1), k = randomTensor([2, 2, 150, 8], seed: 2),
            v = randomTensor([2, 2, 150, 8], seed: 3)
        for causal in [true, false] {
            expectSameOutputsAndGradients(
                [q, k, v], attention(.blocked, causal: causal), attention(.unblocked, causal: causal))
        }
    }

    @Test func matchesUnblockedWithPaddingAndEmptyRows() {
        let q = randomTensor([2, 2, 150, 8], seed: 4), k = randomTensor([2, 1, 150, 8], seed: 5),
            v = randomTensor([2, 1, 150, 8], seed: 6)
        // Batch 0 is left-padded by 5 keys; in batch 1 the first 140 keys are padding, so its first 140 queries
        // (causal) see no key at all and must output zeros and pass no gradient.
        var values = [Float](repeating: 1, count: 2 * 150)
        for j in 0..<5 { values[j] = 0 }
        for j in 0..<140 { values[150 + j] = 0 }
        let mask = Tensor(shape: [2, 150], scalars: values)
        expectSameOutputsAndGradients(
            [q, k, v], attention(.blocked, mask: mask), attention(.unblocked, mask: mask))
    }

    @Test func matchesUnblockedAfterACache() {
        // 20 new queries over 200 valid positions of a 210-position cache buffer.
        let q = randomTensor([1, 2, 20, 8], seed: 7), k = randomTensor([1, 2, 210, 8], seed: 8),
            v = randomTensor([1, 2, 210, 8], seed: 9)
        expectSameOutputsAndGradients(
            [q, k, v], attention(.blocked, keyLength: 200), attention(.unblocked, keyLength: 200))
    }

    @Test func gradientsMatchFiniteDifferences() {
        // 136 positions: two key blocks, three query blocks; a tiny head keeps the check fast.
        let q = randomTensor([1, 1, 136, 2], seed: 10), k = randomTensor([1, 1, 136, 2], seed: 11),
            v = randomTensor([1, 1, 136, 2], seed: 12)
        expectGradientsMatchFiniteDifferences([q, k, v], attention(.blocked))
        var values = [Float](repeating: 1, count: 136)
        for j in 0..<3 { values[j] = 0 }
        let mask = Tensor(shape: [1, 136], scalars: values)
        expectGradientsMatchFiniteDifferences([q, k, v], attention(.blocked, causal: false, mask: mask))
    }

    /// Under a tape the automatic choice is blocked (no probabilities kept for backward); without one, unblocked up to
    /// the limit.
    @Test func automaticChoiceFollowsTheTapeAndTheProbabilitiesSize() {
        let limit = AttentionKernel.unblockedLimit
        #expect(!AttentionKernel.automatic.isBlocked(probabilities: limit, taped: false))
        #expect(AttentionKernel.automatic.isBlocked(probabilities: limit + 1, taped: false))
        #expect(AttentionKernel.automatic.isBlocked(probabilities: 1, taped: true))
        #expect(AttentionKernel.blocked.isBlocked(probabilities: 1, taped: false))
        #expect(!AttentionKernel.unblocked.isBlocked(probabilities: .max, taped: true))
    }

    /// The automatic choice runs the blocked kernel under a tape and the unblocked one without (same bits as each).
    @Test func automaticRunsTheBlockedKernelUnderATape() {
        let q = randomTensor([2, 3, 40, 8], seed: 1).requiringGrad()
        let (k, v) = (randomTensor([2, 3, 40, 8], seed: 2), randomTensor([2, 3, 40, 8], seed: 3))
        let taped = scaledDotProductAttention(q: q, k: k, v: v)
        #expect(taped.scalars == scaledDotProductAttention(q: q, k: k, v: v, kernel: .blocked).scalars)
        withNoGrad {
            let untaped = scaledDotProductAttention(q: q, k: k, v: v)
            #expect(untaped.scalars == scaledDotProductAttention(q: q, k: k, v: v, kernel: .unblocked).scalars)
        }
    }
}
