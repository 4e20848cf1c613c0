import Collectives
import LanguageModels
import TensorEngine
import Testing

@testable import Alignment

/// Data parallelism's arithmetic: the split of a micro-batch over ranks, the weighting by each rank's normalizer, and
/// the flat gradient buffer — the sum of the ranks' weighted gradients is the one-rank gradient of the whole batch.
struct DataParallelTests {
    @Test func shardsAreEqualSlicesInRankOrder() {
        let global = [7, 3, 9, 1, 4, 8]
        #expect(DataParallel.shard(global, rank: 0, ranks: 2) == [7, 3, 9])
        #expect(DataParallel.shard(global, rank: 1, ranks: 2) == [1, 4, 8])
        #expect((0..<3).flatMap { DataParallel.shard(global, rank: $0, ranks: 3) } == global)
        #expect(DataParallel.shard(global, rank: 0, ranks: 1) == global)
    }

    @Test func batchSizeMustBeDivisible() {
        #expect(DataParallel.shardProblem(batchSize: 8, ranks: 2) == nil)
        #expect(DataParallel.shardProblem(batchSize: 5, ranks: 1) == nil)
        let problem = DataParallel.shardProblem(batchSize: 3, ranks: 2)
        #expect(problem?.hasPrefix("batch size 3 is not divisible by the 2 ranks") == true)
    }

    @Test func sharesWeightRanksByTheirNormalizer() {
        // Token means 2.0 over 3 tokens and 5.0 over 1 token: the global mean is (6 + 5) / 4.
        let shares = [3.0, 1.0].map { DataParallel.share(weight: $0, total: 4) }
        #expect(shares == [0.75, 0.25])
        #expect(2.0 * shares[0] + 5.0 * shares[1] == 11.0 / 4)
        #expect(DataParallel.share(weight: 0, total: 0) == 0)
    }

    @Test func singleProcessIsANoOp() throws {
        let parallel = DataParallel(communicator: SingleProcessCommunicator())
        #expect(parallel.shard([1, 2, 3]) == [1, 2, 3])
        #expect(parallel.share(of: 0, step: 1) == 1)
        let reduced = try parallel.reduce(loss: 1.5, items: 7, statistics: ["a": 2], step: 1)
        #expect(reduced.loss == 1.5 && reduced.items == 7 && reduced.statistics == ["a": 2])
        try parallel.checkSettings("anything")
    }

    /// Two "ranks" in one process: each shard's token-weighted loss backpropagates into the same flat buffer (the sum
    /// an all-reduce would give); the result is the gradient of the whole batch's token mean.
    @Test func weightedShardGradientsSumToTheWholeBatchGradient() throws {
        let config = try ModelConfig(
            family: .llama, vocabSize: 24, hiddenSize: 16, layerCount: 1, headCount: 2, maxPositions: 16)
        let model = try TransformerLM(config: config, seed: 3, std: 0.1)
        model.setTrainable(true)
        let examples = [
            TokenizedExample(ids: [1, 5, 6, 7, 2], trainMask: [false, false, true, true, true]),
            TokenizedExample(ids: [1, 8, 9, 2], trainMask: [false, false, false, true]),
            TokenizedExample(ids: [1, 3, 4, 10, 11, 12, 2], trainMask: [false, true, true, true, true, true, true]),
            TokenizedExample(ids: [1, 13, 2], trainMask: [false, true, true]),
        ]
        func loss(_ part: [TokenizedExample]) -> (Tensor, Double) {
            let batch = LanguageModelingBatch(part, maxLength: 16, padId: 0)
            return (crossEntropy(model(batch.inputs), targets: batch.targets), Double(batch.trainedTokens))
        }
        let parameters = model.trainableParameters
        let (whole, _) = loss(examples)
        whole.backward()
        let expected = parameters.map { $0.grad!.scalars }

        let buffer = GradientBuffer(parameters: parameters)
        buffer.attach()
        let shards = [Array(examples[0..<2]), Array(examples[2..<4])]
        let weights = shards.map { loss($0).1 }
        var globalLoss = 0.0
        for (shard, weight) in zip(shards, weights) {
            let (part, _) = loss(shard)
            let share = DataParallel.share(weight: weight, total: weights.reduce(0, +))
            (part * Float(share)).backward()
            globalLoss += Double(part.item()) * share
        }
        #expect(abs(globalLoss - Double(whole.item())) < 1e-6)
        for (p, want) in zip(parameters, expected) {
            let got = p.grad!.scalars
            let scale = want.map(abs).max()! + 1e-12
            #expect(zip(got, want).allSatisfy { abs($0 - $1) <= 1e-5 * scale })
        }
        // The gradients are windows of the flat buffer: the buffer holds exactly what they hold.
        let gradientSum: Float = parameters.map { $0.grad!.scalars.reduce(0, +) }.reduce(0, +)
        let flatSum: Float = buffer.flat.scalars.reduce(0, +)
        #expect(abs(flatSum - gradientSum) < 1e-4)
    }
}
