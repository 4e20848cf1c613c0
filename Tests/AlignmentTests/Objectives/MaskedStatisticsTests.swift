import TensorEngine
import Testing

@testable import Alignment

/// Masked whitening against rl.json "masked_whiten" (1e-5 relative + 1e-6 absolute); masked reductions ignore
/// masked entries, even NaN ones, and give them a zero gradient.
@Suite struct MaskedStatisticsTests {
    @Test func whiteningMatchesTheReference() throws {
        let f = try RLFixtures.load().maskedWhiten
        expectClose(maskedWhiten(Tensor(f.x), mask: Tensor(f.mask)), f.out, "whitened")
    }

    @Test func whiteningWithoutShiftKeepsTheMean() throws {
        let f = try RLFixtures.load().maskedWhiten
        let x = Tensor(f.x), mask = Tensor(f.mask)
        let (mean, _) = maskedMeanAndVariance(x, mask: mask)
        let rescaled = maskedWhiten(x, mask: mask, shiftMean: false)
        expectClose(rescaled, f.out.map { $0 + mean }, "rescaled")
        let (newMean, newVariance) = maskedMeanAndVariance(rescaled, mask: mask)
        expectClose(newMean, mean, "mean kept")
        #expect(abs(newVariance - 1) < 1e-5)
    }

    @Test func meanAndSumIgnoreMaskedEntries() {
        let x = Tensor(shape: [2, 3], scalars: [1, 2, .nan, 4, .infinity, 6])
        let mask = Tensor(shape: [2, 3], scalars: [1, 1, 0, 1, 0, 1])
        expectClose(maskedMean(x, mask: mask).item(), 13 / 4, "mean")
        expectClose(maskedSum(x, mask: mask, axis: -1), [3, 10], "row sums")
        #expect(maskedMean(x, mask: Tensor.zeros([2, 3])).item() == 0, "an empty mask gives 0, not NaN")
    }

    @Test func maskedEntriesGetZeroGradient() {
        let mask = Tensor(shape: [2, 3], scalars: [1, 1, 0, 1, 0, 1])
        let x = randomTensor([2, 3], seed: 1)
        expectGradientsMatchFiniteDifferences([x]) { maskedMean($0[0].square(), mask: mask) }
        expectGradientsMatchFiniteDifferences([x]) {
            (maskedSum($0[0].exp(), mask: mask, axis: 1) * Tensor([0.3, -2])).sum()
        }
        let poisoned = Tensor(shape: [2, 3], scalars: [1, 2, .nan, 4, .infinity, 6]).requiringGrad()
        maskedMean(poisoned, mask: mask).backward()
        let grad = poisoned.grad?.scalars ?? []
        #expect(grad == [0.25, 0.25, 0, 0.25, 0, 0.25], "gradient \(grad)")
    }
}
