import TensorEngine
import Testing

@testable import Alignment

/// DPO and IPO against rl.json "dpo" (1e-5 relative + 1e-6 absolute), label smoothing, and gradients.
@Suite struct DPOLossTests {
    struct Batch {
        let policyChosen, policyRejected, referenceChosen, referenceRejected: Tensor
        let beta: Float

        func loss(
            _ type: DPOLossType = .sigmoid, labelSmoothing: Float = 0,
            policyChosen: Tensor? = nil, policyRejected: Tensor? = nil
        ) -> DPOLossResult {
            dpoLoss(
                policyChosenLogProbs: policyChosen ?? self.policyChosen,
                policyRejectedLogProbs: policyRejected ?? self.policyRejected,
                referenceChosenLogProbs: referenceChosen, referenceRejectedLogProbs: referenceRejected,
                beta: beta, type: type, labelSmoothing: labelSmoothing)
        }
    }

    func batch() throws -> (Batch, RLFixtures.DPO) {
        let f = try RLFixtures.load().dpo
        return (
            Batch(
                policyChosen: Tensor(f.policyChosenLogps), policyRejected: Tensor(f.policyRejectedLogps),
                referenceChosen: Tensor(f.refChosenLogps), referenceRejected: Tensor(f.refRejectedLogps), beta: f.beta),
            f
        )
    }

    @Test func sigmoidAndIPOMatchTheReference() throws {
        let (b, f) = try batch()
        let sigmoid = b.loss(.sigmoid)
        expectClose(sigmoid.losses, f.sigmoidLosses, "sigmoid losses")
        expectClose(sigmoid.loss.item(), f.sigmoidLosses.reduce(0, +) / Float(f.sigmoidLosses.count), "sigmoid mean")
        expectClose(sigmoid.chosenRewards, f.chosenRewards, "chosen rewards")
        expectClose(sigmoid.rejectedRewards, f.rejectedRewards, "rejected rewards")
        expectClose(b.loss(.ipo).losses, f.ipoLosses, "IPO losses")
    }

    @Test func rewardStatisticsComeFromTheImplicitRewards() throws {
        let (b, f) = try batch()
        let result = b.loss()
        let margins = zip(f.chosenRewards, f.rejectedRewards).map { $0 - $1 }
        expectClose(result.rewardMargin, margins.reduce(0, +) / 4, "margin")
        #expect(result.rewardAccuracy == Float(margins.filter { $0 > 0 }.count) / 4)
    }

    @Test func labelSmoothingMixesInTheFlippedPreference() throws {
        let (b, f) = try batch()
        let smoothed = b.loss(labelSmoothing: 0.1)
        // With the plain loss ℓ = −log σ(βh), the flipped one is −log σ(−βh) = ℓ + βh.
        let betaH = zip(f.chosenRewards, f.rejectedRewards).map { $0 - $1 }
        let expected = zip(f.sigmoidLosses, betaH).map { 0.9 * $0 + 0.1 * ($0 + $1) }
        expectClose(smoothed.losses, expected, "smoothed losses")
    }

    @Test(arguments: [(DPOLossType.sigmoid, Float(0)), (.sigmoid, 0.2), (.ipo, 0)])
    func gradientMatchesFiniteDifferences(type: DPOLossType, labelSmoothing: Float) throws {
        let (b, _) = try batch()
        expectGradientsMatchFiniteDifferences([b.policyChosen.copy(), b.policyRejected.copy()]) {
            b.loss(type, labelSmoothing: labelSmoothing, policyChosen: $0[0], policyRejected: $0[1]).loss
        }
    }

    @Test func referenceLogProbsAreConstants() throws {
        let (b, _) = try batch()
        let reference = b.referenceChosen.copy().requiringGrad()
        let policy = b.policyChosen.copy().requiringGrad()
        dpoLoss(
            policyChosenLogProbs: policy, policyRejectedLogProbs: b.policyRejected,
            referenceChosenLogProbs: reference, referenceRejectedLogProbs: b.referenceRejected
        ).loss.backward()
        #expect(reference.grad == nil && policy.grad != nil)
    }
}
