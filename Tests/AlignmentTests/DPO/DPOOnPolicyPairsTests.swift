import Foundation
import LanguageModels
import TensorEngine
import Testing

@testable import Alignment

/// A scorer that remembers what it scored, to check which samples became a pair.
final class RecordingScorer: SequenceScorer {
    let inner: any SequenceScorer
    private(set) var scored: [(prompt: [Int], response: [Int], score: Float)] = []
    init(_ inner: any SequenceScorer) { self.inner = inner }
    func scores(prompts: [[Int]], responses: [[Int]]) -> [Float] {
        let s = inner.scores(prompts: prompts, responses: responses)
        scored += zip(zip(prompts, responses), s).map { ($0.0, $0.1, $1) }
        return s
    }
}

/// A scorer that cannot tell responses apart.
struct ConstantScorer: SequenceScorer {
    func scores(prompts: [[Int]], responses: [[Int]]) -> [Float] { Array(repeating: 1, count: prompts.count) }
}

/// On-policy pairs (paper §3): samples of the policy, the reward model's best as chosen and worst as rejected.
@Suite struct DPOOnPolicyPairsTests {
    typealias Toy = DPOToyTask

    func prompts(_ n: Int, offset: Int = 0) -> [[Int]] {
        (0..<n).map { [1 + ($0 + offset) % 5, 1 + ($0 + offset) / 5 % 5] }
    }

    func config(samples: Int = 4) -> DPOConfig {
        var c = Toy.config(steps: 1)
        c.samplesPerPrompt = samples
        c.generationBatchSize = 3  // not a divisor of the prompt count: the last batch is short
        c.keepTruncatedSamples = true  // the toy policy has no end-of-turn token: every sample is cut
        return c
    }

    @Test func theRewardModelsBestAndWorstSampleBecomeChosenAndRejected() throws {
        let scorer = RecordingScorer(TokenFractionReward(target: Toy.liked))
        let (pairs, report) = try OnPolicyPairs.build(
            policy: try Toy.policy(), scorer: scorer, prompts: prompts(8), config: config())
        #expect(scorer.scored.count == 8 * 4)
        #expect(report.prompts == 8 && report.pairs == pairs.count && report.dropped == 8 - pairs.count)
        #expect(pairs.count >= 4, "most prompts' samples differ in reward")
        var next = 0
        for p in 0..<8 {
            let samples = scorer.scored[(p * 4)..<((p + 1) * 4)]
            #expect(samples.allSatisfy { $0.prompt == prompts(8)[p] })
            let best = samples.map(\.score).max()!, worst = samples.map(\.score).min()!
            guard best > worst else { continue }
            try #require(next < pairs.count)
            let pair = pairs[next]
            next += 1
            #expect(pair.prompt == prompts(8)[p])
            #expect(pair.chosen == samples.first { $0.score == best }!.response)
            #expect(pair.rejected == samples.first { $0.score == worst }!.response)
        }
        #expect(next == pairs.count)
        let fraction = { (r: [Int]) in Double(r.filter { $0 == Toy.liked }.count) / Double(r.count) }
        #expect(
            abs(report.meanChosenScore - pairs.map { fraction($0.chosen) }.reduce(0, +) / Double(pairs.count)) < 1e-6)
        #expect(report.meanChosenScore > report.meanRejectedScore)
    }

    @Test func samplingIsDeterministicForTheSeed() throws {
        let policy = try Toy.policy(), reward = TokenFractionReward(target: Toy.liked)
        let a = try OnPolicyPairs.build(policy: policy, scorer: reward, prompts: prompts(7), config: config())
        let b = try OnPolicyPairs.build(policy: policy, scorer: reward, prompts: prompts(7), config: config())
        #expect(a.pairs == b.pairs && a.report == b.report)
        var other = config()
        other.seed = 1
        #expect(
            try OnPolicyPairs.build(policy: policy, scorer: reward, prompts: prompts(7), config: other).pairs != a.pairs
        )
    }

    @Test func promptsWithoutAPreferenceGiveNoPair() throws {
        let (pairs, report) = try OnPolicyPairs.build(
            policy: try Toy.policy(), scorer: ConstantScorer(), prompts: prompts(5), config: config())
        #expect(pairs.isEmpty && report.dropped == 5)
        var strict = config()
        strict.minScoreGap = 1  // a token fraction never differs by more than 1
        #expect(
            try OnPolicyPairs.build(
                policy: try Toy.policy(), scorer: TokenFractionReward(target: Toy.liked),
                prompts: prompts(5), config: strict
            ).pairs.isEmpty)
    }

    @Test func promptsThePolicyCannotAnswerAreRefusedBeforeSampling() throws {
        let scorer = RecordingScorer(ConstantScorer())
        func refusal(_ prompts: [[Int]], _ config: DPOConfig) -> String {
            do {
                _ = try OnPolicyPairs.build(policy: try Toy.policy(), scorer: scorer, prompts: prompts, config: config)
            } catch {
                return "\(error)"
            }
            return "accepted"
        }
        #expect(refusal([[1], [2, 12]], config()) == "prompt 2: token id 12 is outside the model's vocabulary of 12")
        #expect(refusal([[1], []], config()) == "prompt 2: empty")
        var long = config()
        long.sampling.maxNewTokens = 14
        #expect(refusal([[1, 2, 3]], long).contains("3 tokens + 14 new ones exceed the model's 16 positions"))
        #expect(refusal([[1]], config(samples: 1)).contains("samples per prompt must be at least 2"))
        #expect(scorer.scored.isEmpty)
    }

    @Test func aResumedRunReusesItsSampledPairs() throws {
        let dir = Toy.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("pairs.json")
        let policy = try Toy.policy(), reward = TokenFractionReward(target: Toy.liked)
        var builds = 0
        func cached(_ prompts: [[Int]], resume: Bool) throws -> (
            pairs: [DPOPair], report: OnPolicyPairs.Report, reused: Bool
        ) {
            try OnPolicyPairs.cached(at: file, prompts: prompts, resume: resume) {
                builds += 1
                return try OnPolicyPairs.build(policy: policy, scorer: reward, prompts: prompts, config: config())
            }
        }
        let first = try cached(prompts(6), resume: true)
        let again = try cached(prompts(6), resume: true)
        #expect(!first.reused && again.reused && builds == 1)
        #expect(again.pairs == first.pairs && again.report == first.report)
        #expect { try cached(prompts(6, offset: 1), resume: true) } throws: {
            "\($0)".contains("was sampled from other prompts")
        }
        #expect(try cached(prompts(6, offset: 1), resume: false).reused == false && builds == 2)
    }

    /// The paper's DPO end to end: pairs sampled from the policy and labelled by a known reward, DPO on them; the
    /// held-out margin rises and so does the reward of the trained policy's fresh samples.
    @Test func dpoOnRewardLabelledSamplesRaisesTheReward() throws {
        let dir = Toy.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let sft = try Toy.policy(), reward = TokenFractionReward(target: Toy.liked)
        var config = config(samples: 4)
        config.steps = 30
        config.generationBatchSize = 16
        let train = try OnPolicyPairs.build(policy: sft, scorer: reward, prompts: prompts(25), config: config)
        var evalSampling = config
        evalSampling.seed = 77
        // Held-out prompts are three tokens long: none is a training prompt.
        let eval = try OnPolicyPairs.build(
            policy: sft, scorer: reward, prompts: prompts(25).map { $0 + [5] }, config: evalSampling)
        let trainer = try Toy.trainer(config, train: train.pairs, eval: eval.pairs, reference: sft, output: dir)
        let before = try #require(trainer.evaluate())
        try trainer.run()
        let after = try #require(trainer.evaluate())
        var fresh = config
        fresh.seed = 1234
        let sampledBefore = try OnPolicyPairs.build(policy: sft, scorer: reward, prompts: prompts(25), config: fresh)
            .report.meanScore
        let sampledAfter = try OnPolicyPairs.build(
            policy: trainer.policy, scorer: reward, prompts: prompts(25), config: fresh
        ).report.meanScore
        print(
            "on-policy DPO: \(train.report.pairs) pairs of \(train.report.prompts) prompts (chosen score "
                + "\(train.report.meanChosenScore), rejected \(train.report.meanRejectedScore)); held-out margin "
                + "\(before.rewardMargin) → \(after.rewardMargin), accuracy \(before.rewardAccuracy) → \(after.rewardAccuracy); "
                + "reward of fresh samples \(sampledBefore) → \(sampledAfter)")
        #expect(after.rewardMargin > before.rewardMargin + 0.3)
        #expect(sampledAfter > sampledBefore + 0.1)
    }
}
