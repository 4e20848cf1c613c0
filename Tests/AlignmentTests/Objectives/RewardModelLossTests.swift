import TensorEngine
import Testing

@testable import Alignment

/// The reward-model loss and its gradients against rl.json "reward_model_loss" (1e-5 relative + 1e-6 absolute),
/// finite differences, and the margin option.
@Suite struct RewardModelLossTests {
    @Test func lossAndGradientsMatchTheReference() throws {
        let f = try RLFixtures.load().rewardModelLoss
        let chosen = Tensor(f.rChosen).requiringGrad(), rejected = Tensor(f.rRejected).requiringGrad()
        let result = rewardModelLoss(chosenScores: chosen, rejectedScores: rejected, scorePriorWeight: f.lambda)
        expectClose(result.loss.item(), f.loss, "loss")
        result.loss.backward()
        expectClose(chosen.grad?.scalars ?? [], f.gradRChosen, "d loss / d r_chosen")
        expectClose(rejected.grad?.scalars ?? [], f.gradRRejected, "d loss / d r_rejected")
        #expect(result.accuracy == 0.4, "two of the five pairs rank the chosen response higher")
        let prior = zip(f.rChosen, f.rRejected).map { $0 * $0 + $1 * $1 }.reduce(0, +) / 5
        expectClose(result.rankingLoss, f.loss - f.lambda * prior, "ranking part")
    }

    @Test(arguments: [Float(0), 0.01, 0.5])
    func gradientMatchesFiniteDifferences(scorePriorWeight: Float) throws {
        let f = try RLFixtures.load().rewardModelLoss
        let margins = Tensor([0, 0.5, 1, 0, 2])
        expectGradientsMatchFiniteDifferences([Tensor(f.rChosen), Tensor(f.rRejected)]) {
            rewardModelLoss(
                chosenScores: $0[0], rejectedScores: $0[1], margins: margins, scorePriorWeight: scorePriorWeight
            ).loss
        }
    }

    @Test func aMarginShiftsTheScoreDifference() throws {
        let f = try RLFixtures.load().rewardModelLoss
        let margin: Float = 0.7
        let withMargin = rewardModelLoss(
            chosenScores: Tensor(f.rChosen), rejectedScores: Tensor(f.rRejected),
            margins: Tensor([Float](repeating: margin, count: 5)), scorePriorWeight: 0)
        // Raising every rejected score by the margin gives the same ranking loss.
        let shifted = rewardModelLoss(
            chosenScores: Tensor(f.rChosen), rejectedScores: Tensor(f.rRejected.map { $0 + margin }),
            scorePriorWeight: 0)
        expectClose(withMargin.loss.item(), shifted.loss.item(), "margin loss")
    }
}
