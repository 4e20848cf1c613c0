import TensorEngine
import Testing

@testable import Alignment

/// The clipped policy loss against rl.json "ppo_policy_loss" (1e-5 relative + 1e-6 absolute), its gradient, and
/// its masking.
@Suite struct PPOPolicyLossTests {
    struct Inputs {
        let new, old, advantages, mask: Tensor
        let clip: Float
    }

    func inputs() throws -> (Inputs, RLFixtures.PPOPolicyLoss) {
        let f = try RLFixtures.load().ppoPolicyLoss
        return (
            Inputs(
                new: Tensor(f.logprobsNew, shape: f.shape), old: Tensor(f.logprobsOld, shape: f.shape),
                advantages: Tensor(f.advantages, shape: f.shape), mask: Tensor(f.mask, shape: f.shape), clip: f.clip), f
        )
    }

    @Test func matchesTheReference() throws {
        let (x, f) = try inputs()
        let result = ppoPolicyLoss(
            logProbs: x.new, oldLogProbs: x.old, advantages: x.advantages, mask: x.mask, clipRange: x.clip)
        expectClose(result.loss.item(), f.loss, "loss")
        expectClose(result.clipFraction, f.clipfrac, "clip fraction")
        expectClose(result.approximateKL, f.approxKl, "approximate KL")
    }

    @Test func gradientMatchesFiniteDifferences() throws {
        // The fixture's nearest log-ratio to a clip boundary is 0.013 away, so the step stays below it.
        let (x, _) = try inputs()
        expectGradientsMatchFiniteDifferences([x.new], h: 5e-3) {
            ppoPolicyLoss(
                logProbs: $0[0], oldLogProbs: x.old, advantages: x.advantages, mask: x.mask, clipRange: x.clip
            ).loss
        }
        #expect(x.old.grad == nil && x.advantages.grad == nil, "old log-probs and advantages are constants")
    }

    @Test func maskedTokensHaveNoEffectAndNoGradient() throws {
        let (x, _) = try inputs()
        let clean = ppoPolicyLoss(logProbs: x.new, oldLogProbs: x.old, advantages: x.advantages, mask: x.mask)
        // exp(80 + 80) overflows: only selecting before the ratio keeps it out of the loss and its gradient.
        let new = x.new.fillingMasked(x.mask, with: 80).requiringGrad()
        let dirty = ppoPolicyLoss(
            logProbs: new, oldLogProbs: x.old.fillingMasked(x.mask, with: -80),
            advantages: x.advantages.fillingMasked(x.mask, with: .nan), mask: x.mask)
        #expect(dirty.loss.item() == clean.loss.item())
        #expect(dirty.clipFraction == clean.clipFraction && dirty.approximateKL == clean.approximateKL)
        dirty.loss.backward()
        expectZeroGradientOutsideMask(new, x.mask)
    }

    @Test func anUnchangedPolicyGivesTheNegativeMeanAdvantage() throws {
        let (x, _) = try inputs()
        let result = ppoPolicyLoss(logProbs: x.old, oldLogProbs: x.old, advantages: x.advantages, mask: x.mask)
        expectClose(result.loss.item(), -maskedMean(x.advantages, mask: x.mask).item(), "loss")
        #expect(result.clipFraction == 0 && result.approximateKL == 0)
    }
}
