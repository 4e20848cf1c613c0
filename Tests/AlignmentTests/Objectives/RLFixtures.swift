import Foundation
import TensorEngine

/// The entries of rl.json (a copy of ../shared/fixtures/rl.json in Tests/AlignmentTests/Fixtures), decoded once. Each mirrors its JSON object; `formula` is the
/// reference's own statement of what it computed.
struct RLFixtures: Decodable {
    struct GAE: Decodable {
        let rewards, values, advantages, returns: [Float]
        let gamma, lam: Float
    }
    struct MaskedWhiten: Decodable {
        let x, mask, out: [Float]
    }
    struct PPOPolicyLoss: Decodable {
        let logprobsOld, logprobsNew, advantages, mask: [Float]
        let clip, loss, clipfrac, approxKl: Float
        let shape: [Int]
    }
    struct PPOValueLoss: Decodable {
        let valuesOld, valuesNew, returns, mask: [Float]
        let clip, loss: Float
        let shape: [Int]
    }
    struct KLEstimators: Decodable {
        let logp, logpRef, k1, k2, k3: [Float]
    }
    struct RewardShaping: Decodable {
        let logp, logpRef, mask, rewards: [Float]
        let score, klCoef: Float
    }
    struct ReferenceBaseline: Decodable {
        let score, referenceScore, baselineReward: [Float]
    }
    struct DPO: Decodable {
        let beta: Float
        let policyChosenLogps, policyRejectedLogps, refChosenLogps, refRejectedLogps: [Float]
        let sigmoidLosses, ipoLosses, chosenRewards, rejectedRewards: [Float]
    }
    struct RewardModelLoss: Decodable {
        let lambda, loss: Float
        let rChosen, rRejected, gradRChosen, gradRRejected: [Float]
    }
    struct GRPOAdvantages: Decodable {
        let rewards, advantages: [[Float]]
    }
    struct AdaptiveKL: Decodable {
        let currentKl, target, coefBefore, coefAfter: Float
        let nSteps, horizon: Int
    }

    let gae: GAE
    let maskedWhiten: MaskedWhiten
    let ppoPolicyLoss: PPOPolicyLoss
    let ppoValueLoss: PPOValueLoss
    let klEstimators: KLEstimators
    let rewardShaping: RewardShaping
    let referenceBaseline: ReferenceBaseline
    let dpo: DPO
    let rewardModelLoss: RewardModelLoss
    let grpoAdvantages: GRPOAdvantages
    let adaptiveKl: AdaptiveKL

    /// The decoded fixture; a decoding error fails the test that asks.
    static func load() throws -> RLFixtures { try decoded.get() }

    private static let decoded = Result {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/rl.json")
        return try decoder.decode(RLFixtures.self, from: Data(contentsOf: url))
    }
}

extension Tensor {
    /// A rank-1 tensor of fixture values, or one of `shape`.
    convenience init(_ values: [Float], shape: [Int]? = nil) {
        self.init(shape: shape ?? [values.count], scalars: values)
    }
}
