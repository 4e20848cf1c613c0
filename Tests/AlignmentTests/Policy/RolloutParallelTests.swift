import LanguageModels
import TensorEngine
import Testing

@testable import Alignment

/// Data-parallel PPO and GRPO, in one process: rows split over ranks and generated with per-row seeds give the
/// tokens of the whole batch; rows scored in slices and joined give the whole batch's experience; minibatch shares
/// weight the ranks' losses so that their gradients sum to the whole minibatch's; scored rows survive the exchange.
struct RolloutParallelTests {
    let toy = PPOTrainerTests()

    @Test func slicesCoverTheBatchInOrderAndDifferByAtMostOne() {
        for (count, ranks) in [(8, 2), (7, 3), (2, 4), (5, 1)] {
            let slices = (0..<ranks).map { DataParallel.slice(count, rank: $0, ranks: ranks) }
            #expect(slices.flatMap { Array($0) } == Array(0..<count))
            let sizes = slices.map(\.count)
            #expect(sizes.max()! - sizes.min()! <= 1, "\(count) over \(ranks): \(sizes)")
        }
        #expect(DataParallel.slice(8, rank: 1, ranks: 2) == 4..<8)
    }

    @Test func rowSeedsDependOnTheRowOnly() {
        let seeds = GenerationConfig.rowSeeds(42, count: 8)
        #expect(Set(seeds).count == 8)
        #expect(Array(seeds.prefix(3)) == GenerationConfig.rowSeeds(42, count: 3))
        #expect(seeds != GenerationConfig.rowSeeds(43, count: 8))
    }

    /// Two "ranks" generating their halves with their rows' seeds draw the tokens of the whole batch.
    @Test func rowSeededGenerationDoesNotDependOnTheSplit() throws {
        let model = try toy.tinyPolicy()
        let prompts = toy.prompts(6).enumerated().map { i, p in i % 2 == 0 ? p : p + [4, 5] }
        let seeds = GenerationConfig.rowSeeds(7, count: prompts.count)
        func generate(_ rows: Range<Int>) -> GenerationResult {
            model.generate(
                prompts: Array(prompts[rows]),
                config: GenerationConfig(
                    maxNewTokens: 6, temperature: 0.9, eosTokenIds: [], rowSeeds: Array(seeds[rows])))
        }
        let whole = generate(0..<6)
        let halves = [generate(0..<3), generate(3..<6)]
        #expect(halves.flatMap(\.tokens) == whole.tokens)
        let gaps = zip(halves.flatMap(\.logProbs).joined(), whole.logProbs.joined()).map { abs($0 - $1) }
        #expect(gaps.max()! <= 1e-5, "largest log-prob gap \(gaps.max()!)")
        // Each row is its own stream: not the same tokens as one generator over the batch.
        let shared = model.generate(
            prompts: prompts, config: GenerationConfig(maxNewTokens: 6, temperature: 0.9, eosTokenIds: [], seed: 7))
        #expect(shared.tokens != whole.tokens)
    }

    /// Scoring the rows in two slices and joining them gives the experience of the batch scored whole.
    @Test func slicedScoringGivesTheWholeBatchsExperience() throws {
        let sft = try toy.tinyPolicy()
        let (actor, reference, critic) = (sft.copy(), sft, ValueModel(copying: sft, seed: 9))
        let reward = TokenFractionReward(target: 7)
        var config = toy.config(iterations: 1)
        config.whitenAdvantages = true
        for rescore in [false, true] {
            config.rescoreRollouts = rescore
            let prompts = toy.prompts(6)
            let seeds = GenerationConfig.rowSeeds(3, count: prompts.count)
            func scored(_ rows: Range<Int>) -> [ScoredResponse] {
                let mine = Array(prompts[rows])
                let rollout = actor.generate(
                    prompts: mine,
                    config: GenerationConfig(maxNewTokens: 5, eosTokenIds: [], rowSeeds: Array(seeds[rows])))
                return PPOExperience.score(
                    batch: ResponseBatch(prompts: mine, responses: rollout.tokens, padId: 0), rollout: rollout,
                    actor: actor, reference: reference, critic: critic, reward: reward, config: config)
            }
            let whole = scored(0..<6), joined = scored(0..<2) + scored(2..<6)
            #expect(whole.map(\.response) == joined.map(\.response))
            let batch = ResponseBatch(prompts: prompts, responses: whole.map(\.response), padId: 0)
            func experience(_ rows: [ScoredResponse]) -> PPOExperience {
                PPOExperience.assemble(
                    batch: batch, rows: rows, promptIndices: Array(0..<6), baselineScores: nil, klCoefficient: 0.05,
                    config: config)
            }
            let (a, b) = (experience(whole), experience(joined))
            for (x, y) in [(a.advantages, b.advantages), (a.returns, b.returns), (a.oldValues, b.oldValues)] {
                let gap = zip(x.scalars, y.scalars).map { abs($0 - $1) }.max()!
                #expect(gap <= 1e-5, "largest gap \(gap)")
            }
            for key in ["reward", "kl", "entropy", "return_mean", "explained_variance"] {
                #expect(abs(a.statistics[key]! - b.statistics[key]!) <= 1e-5, "\(key)")
            }
            #expect((a.statistics["sampler_logprob_gap"] != nil) == rescore)
        }
    }

    /// The ranks' share-weighted policy-loss gradients sum to the gradient of the whole minibatch's token mean.
    @Test func sharesMakeTheRanksGradientsTheMinibatchs() throws {
        let model = try toy.tinyPolicy()
        // Responses of different lengths, so that the token weighting matters.
        let responses = [[4, 5, 6], [7], [8, 9, 10, 11, 3], [], [2, 2]]
        let batch = ResponseBatch(prompts: toy.prompts(5), responses: responses, padId: 0)
        let old = withNoGrad { model.nextTokenLogProbs(batch).logProbs } - 0.1
        let advantages = Tensor(shape: old.shape, scalars: old.scalars.indices.map { Float($0 % 7) - 3 })
        func gradient(_ rows: [Int], weight: Float) -> [Float] {
            model.setTrainable(true)
            for p in model.trainableParameters { p.grad = nil }
            let selected = batch.selecting(rows)
            let loss = ppoPolicyLoss(
                logProbs: model.nextTokenLogProbs(selected).logProbs, oldLogProbs: old.indexSelect(axis: 0, rows),
                advantages: advantages.indexSelect(axis: 0, rows), mask: selected.responseMask, clipRange: 0.2)
            (loss.loss * weight).backward()
            return model.trainableParameters.flatMap { $0.grad!.scalars }
        }
        let minibatch = [4, 1, 3, 0, 2]
        let expected = gradient(minibatch, weight: 1)
        var summed = [Float](repeating: 0, count: expected.count)
        for rank in 0..<2 {
            let (rows, share) = RolloutParallel.shard(minibatch, rank: rank, ranks: 2) { responses[$0].count }
            #expect(rows == (rank == 0 ? [4, 1] : [3, 0, 2]))
            for (i, g) in gradient(rows, weight: Float(share)).enumerated() { summed[i] += g }
        }
        let scale = expected.map(abs).max()!
        let gap = zip(expected, summed).map { abs($0 - $1) }.max()!
        #expect(gap <= 1e-5 * scale, "largest gradient gap \(gap) of \(scale)")
        #expect(RolloutParallel.shard(minibatch, rank: 0, ranks: 1) { _ in 0 }.share == 1)
    }

    @Test func scoredRowsSurviveTheExchange() {
        let rows = [
            ScoredResponse(
                response: [5, 49_151, 0], finished: true, score: -1.25, logProbs: [-0.5, -1, -2e-7],
                entropies: [1, 2, 3], referenceLogProbs: [-0.25, -3, -.infinity], values: [0.5, -0.5, 1e30],
                samplerGapSum: 3.5e-6),
            ScoredResponse(
                response: [], finished: false, score: 0, logProbs: [], entropies: [], referenceLogProbs: [],
                values: [], samplerGapSum: nil),
            ScoredResponse(
                response: [9], finished: false, score: .nan, logProbs: [-1], entropies: [0.5],
                referenceLogProbs: [-2], values: [], samplerGapSum: nil),
        ]
        let decoded = ScoredResponse.decode(ScoredResponse.encode(rows))
        #expect(decoded.count == 3)
        #expect(Array(decoded[0...1]) == Array(rows[0...1]))
        #expect(decoded[2].score.isNaN && decoded[2].response == [9] && decoded[2].values.isEmpty)
        #expect(ScoredResponse.decode(ScoredResponse.encode([])).isEmpty)
    }
}
