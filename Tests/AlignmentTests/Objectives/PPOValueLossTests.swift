import TensorEngine
import Testing

@testable import Alignment

/// The clipped value loss against rl.json "ppo_value_loss" (1e-5 relative + 1e-6 absolute), its gradient, and
/// its masking.
@Suite struct PPOValueLossTests {
    struct Inputs {
        let new, old, returns, mask: Tensor
        let clip: Float
    }

    func inputs() throws -> (Inputs, RLFixtures.PPOValueLoss) {
        let f = try RLFixtures.load().ppoValueLoss
        return (
            Inputs(
                new: Tensor(f.valuesNew, shape: f.shape), old: Tensor(f.valuesOld, shape: f.shape),
                returns: Tensor(f.returns, shape: f.shape), mask: Tensor(f.mask, shape: f.shape), clip: f.clip), f
        )
    }

    @Test func matchesTheReference() throws {
        let (x, f) = try inputs()
        let result = ppoValueLoss(values: x.new, oldValues: x.old, returns: x.returns, mask: x.mask, clipRange: x.clip)
        expectClose(result.loss.item(), f.loss, "loss")
        // Of the seven response tokens, two moved further than the clip and had the larger clipped error.
        expectClose(result.clipFraction, 2 / 7, "clip fraction")
    }

    @Test func gradientMatchesFiniteDifferences() throws {
        let (x, _) = try inputs()
        expectGradientsMatchFiniteDifferences([x.new]) {
            ppoValueLoss(values: $0[0], oldValues: x.old, returns: x.returns, mask: x.mask, clipRange: x.clip).loss
        }
        expectGradientsMatchFiniteDifferences([x.new]) {
            ppoValueLoss(values: $0[0], oldValues: x.old, returns: x.returns, mask: x.mask, clipRange: nil).loss
        }
    }

    @Test func withoutClippingItIsHalfTheMeanSquaredError() throws {
        let (x, _) = try inputs()
        let result = ppoValueLoss(values: x.new, oldValues: x.old, returns: x.returns, mask: x.mask, clipRange: nil)
        expectClose(result.loss.item(), 0.5 * maskedMean((x.new - x.returns).square(), mask: x.mask).item(), "loss")
        #expect(result.clipFraction == 0)
    }

    @Test func maskedTokensHaveNoEffectAndNoGradient() throws {
        let (x, _) = try inputs()
        let new = x.new.fillingMasked(x.mask, with: .infinity).requiringGrad()
        let dirty = ppoValueLoss(
            values: new, oldValues: x.old, returns: x.returns.fillingMasked(x.mask, with: .nan), mask: x.mask)
        let clean = ppoValueLoss(values: x.new, oldValues: x.old, returns: x.returns, mask: x.mask)
        #expect(dirty.loss.item() == clean.loss.item() && dirty.clipFraction == clean.clipFraction)
        dirty.loss.backward()
        expectZeroGradientOutsideMask(new, x.mask)
    }
}
