import Foundation
import LanguageModels
import TensorEngine
import Testing

@testable import Alignment

/// The reward model: score at the last real token whatever the padding, its weights, saving and loading.
@Suite struct RewardModelTests {
    @Test func aScoreDoesNotDependOnPadding() throws {
        let model = try SyntheticPreferences.rewardModel()
        let short = [1, 7, 8, 2, 9, 3], long = [1, 7, 8, 2, 9, 10, 11, 12, 3]
        let alone = model.scores(of: [short], batchSize: 1, padId: 0)
        let together = model.scores(of: [long, short], batchSize: 2, padId: 0)
        #expect(abs(alone[0] - together[1]) < 1e-5, "right padding changes nothing")
        let left = model.scores(
            IntTensor(shape: [1, 9], scalars: [0, 0, 0] + short),
            attentionMask: Tensor(shape: [1, 9], scalars: [0, 0, 0, 1, 1, 1, 1, 1, 1]))
        #expect(left.shape == [1])
    }

    @Test func theUnusedLMHeadIsNotTrained() throws {
        let config = try ModelConfig(
            family: .llama, vocabSize: 20, hiddenSize: 8, layerCount: 1, headCount: 2, maxPositions: 16)
        let model = RewardModel(backbone: try TransformerLM(config: config, seed: 1), headSeed: 2, headStd: 0.02)
        #expect(model.parameters.count == model.backbone.parameters.count - 1 + 2)
        #expect(
            !model.parameters.contains { $0 === model.backbone.namedParameters.first { $0.0 == "lm_head.weight" }!.1 })
    }

    @Test func savedModelsLoadBackWithTheSameScores() throws {
        let dir = SyntheticPreferences.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = try SyntheticPreferences.rewardModel()
        model.head.bias.withUnsafeMutableBufferPointer { $0[0] = 0.25 }
        try model.save(to: dir)
        let loaded = try RewardModel.load(directory: dir)
        let sequences = [[1, 5, 6, 2, 7, 3], [1, 9, 2, 4, 10, 11, 3]]
        #expect(
            model.scores(of: sequences, batchSize: 2, padId: 0) == loaded.scores(of: sequences, batchSize: 2, padId: 0))
        #expect(RewardModel.hasHead(in: dir))
        // The backbone alone is an ordinary model directory.
        _ = try TransformerLM.load(directory: dir)
        let head = try SafetensorsFile(url: dir.appendingPathComponent(RewardModel.headFileName))
        #expect(Set(head.names) == ["score.weight", "score.bias"])
    }

    @Test func aPlainModelDirectoryIsNotARewardModel() throws {
        let dir = SyntheticPreferences.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try SyntheticPreferences.backbone().save(to: dir)
        #expect(!RewardModel.hasHead(in: dir))
        #expect { try RewardModel.load(directory: dir) } throws: { "\($0)".contains("not a reward model") }
    }

    @Test func pairBatchesPutChosenThenRejected() {
        let pairs = [
            TokenizedPair(chosen: [1, 2, 3], rejected: [4, 5], margin: 0.5),
            TokenizedPair(chosen: [6], rejected: [7, 8, 9, 10]),
        ]
        let batch = PairBatch(pairs, padId: 0)
        #expect(batch.sequences.ids.shape == [4, 4])
        #expect(batch.sequences.ids.scalars == [1, 2, 3, 0, 6, 0, 0, 0, 4, 5, 0, 0, 7, 8, 9, 10])
        #expect(batch.sequences.attentionMask.scalars == [1, 1, 1, 0, 1, 0, 0, 0, 1, 1, 0, 0, 1, 1, 1, 1])
        #expect(batch.margins?.scalars == [0.5, 0])
        let (chosen, rejected) = batch.split(Tensor(shape: [4], scalars: [1, 2, 3, 4]))
        #expect(chosen.scalars == [1, 2] && rejected.scalars == [3, 4])
        #expect(PairBatch([pairs[1]], padId: 0).margins == nil)
    }
}
