import Foundation
import TensorEngine
import Testing

@testable import Alignment

/// Reward-model training: it learns, metrics and checkpoints, exact resume, the NaN guard, settings.
@Suite struct RewardModelTrainerTests {
    typealias S = SyntheticPreferences

    @Test func learnsTheMarkerAndLogsMetrics() throws {
        let dir = S.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let train = S.pairs(48, seed: 1).map(S.tokenized), eval = S.pairs(24, seed: 2).map(S.tokenized)
        var config = S.config(steps: 20, learningRate: 5e-3, batchSize: 12)
        config.evalEvery = 10
        let trainer = try RewardModelTrainer(
            model: try S.rewardModel(), train: train, eval: eval, config: config, output: dir)
        trainer.showProgress = false
        let before = trainer.evaluate(eval)
        try trainer.run()
        let after = trainer.evaluate(eval)
        #expect(after.rankingLoss < before.rankingLoss * 0.8, "eval loss \(before.rankingLoss) → \(after.rankingLoss)")
        #expect(after.accuracy > 0.75, "held-out accuracy \(before.accuracy) → \(after.accuracy)")
        let lines = try String(contentsOf: dir.appendingPathComponent("metrics.jsonl"), encoding: .utf8).split(
            separator: "\n")
        #expect(lines.count == 20)
        let last = try JSONSerialization.jsonObject(with: Data(lines.last!.utf8)) as! [String: Any]
        for key in [
            "loss", "ranking_loss", "accuracy", "score_mean", "score_std", "pairs_per_s", "eval_accuracy",
            "eval_score_mean", "eval_score_std", "eval_length_pearson",
        ] {
            #expect(last[key] != nil, "metrics lack \(key)")
        }
        #expect(lines[9].contains("eval_accuracy") && !lines[8].contains("eval_accuracy"))
        let saved = try RewardModel.load(directory: TrainingCheckpoint.latest(in: dir)!.modelDirectory)
        #expect(saved.head.weight.scalars == trainer.model.head.weight.scalars)
    }

    @Test func resumingFromACheckpointContinuesExactly() throws {
        var config = S.config(steps: 6, learningRate: 1e-2, batchSize: 3)
        config.gradientAccumulation = 2
        config.saveEvery = 3
        let data = S.pairs(7, seed: 3).map(S.tokenized)  // not a multiple of the batch: epochs wrap mid-step
        let straight = S.temporaryDirectory(), resumed = S.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: straight); try? FileManager.default.removeItem(at: resumed) }
        let full = try RewardModelTrainer(
            model: try S.rewardModel(), train: data, eval: [], config: config, output: straight)
        try full.run()

        // A run that stopped after step 3: only its checkpoint-3 exists. A fresh trainer (different initial weights,
        // to prove they are replaced) resumes from it.
        try FileManager.default.createDirectory(at: resumed, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: straight.appendingPathComponent("checkpoint-3"),
            to: resumed.appendingPathComponent("checkpoint-3"))
        let second = try RewardModelTrainer(
            model: try S.rewardModel(seed: 99), train: data, eval: [], config: config, output: resumed)
        try second.run()
        let a = full.model.parameters.map { $0.scalars.map(\.bitPattern) }
        let b = second.model.parameters.map { $0.scalars.map(\.bitPattern) }
        #expect(a == b)
        let metrics = { (dir: URL) in
            try String(contentsOf: dir.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
                .split(separator: "\n").map { line in
                    var record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
                    record["pairs_per_s"] = nil
                    record["step_seconds"] = nil  // wall time, like the throughput
                    return NSDictionary(dictionary: record)
                }
        }
        #expect(try metrics(straight).suffix(3) == metrics(resumed), "the resumed steps log the same numbers")
    }

    @Test func resumingOnOtherDataIsRefused() throws {
        let dir = S.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = S.config(steps: 2, batchSize: 2)
        try RewardModelTrainer(
            model: try S.rewardModel(), train: S.pairs(4, seed: 1).map(S.tokenized), eval: [],
            config: config, output: dir
        ).run()
        var more = config; more.steps = 3
        let other = try RewardModelTrainer(
            model: try S.rewardModel(), train: S.pairs(5, seed: 1).map(S.tokenized), eval: [],
            config: more, output: dir)
        #expect { try other.run() } throws: { "\($0)".contains("was made on 4 examples, this run has 5") }
    }

    @Test func nonFiniteLossStopsWithTheLastGoodCheckpoint() throws {
        var config = S.config(steps: 4, batchSize: 2)
        config.saveEvery = 2
        let dir = S.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = S.pairs(4, seed: 4).map(S.tokenized)
        try RewardModelTrainer(model: try S.rewardModel(), train: data, eval: [], config: config, output: dir).run()
        // Poison the saved head and continue past the end: the next step's loss is NaN.
        var more = config; more.steps = 6
        let checkpoint = try #require(TrainingCheckpoint.latest(in: dir))
        let poisoned = try RewardModel.load(directory: checkpoint.modelDirectory)
        poisoned.head.weight.withUnsafeMutableBufferPointer { $0.update(repeating: .nan) }
        try poisoned.save(to: checkpoint.modelDirectory)
        let again = try RewardModelTrainer(model: try S.rewardModel(), train: data, eval: [], config: more, output: dir)
        #expect { try again.run() } throws: { error in
            "\(error)".contains("step 4: loss is not finite") && "\(error)".contains("checkpoint-4")
        }
        #expect(TrainingCheckpoint.latest(in: dir)?.directory.lastPathComponent == "checkpoint-4")
    }

    @Test func sequencesLongerThanTheModelAreRefused() throws {
        let long = TokenizedPair(chosen: Array(repeating: 5, count: 40), rejected: [1, 2])
        #expect {
            try RewardModelTrainer(
                model: try S.rewardModel(), train: [long], eval: [], config: S.config(steps: 1),
                output: S.temporaryDirectory())
        } throws: { "\($0)".contains("more than the model's 32 positions") }
    }

    @Test func configFilesSetSomeFieldsAndRejectTypos() throws {
        let partial = try JSONDecoder().decode(
            RewardModelConfig.self,
            from: Data(
                #"{"steps": 12, "scorePriorWeight": 0, "balanceLengths": false, "lengthBoundaries": [3, 9]}"#.utf8))
        var expected = RewardModelConfig()
        expected.steps = 12; expected.scorePriorWeight = 0; expected.balanceLengths = false;
        expected.lengthBoundaries = [3, 9]
        #expect(partial == expected)
        #expect(RewardModelConfig().scorePriorWeight == 0.01, "the documented default λ")
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(RewardModelConfig.self, from: Data(#"{"stpes": 12}"#.utf8))
        }
        var bad = RewardModelConfig(); bad.lengthBoundaries = [5, 5]
        #expect(bad.problem?.contains("strictly increasing") == true)
        bad = RewardModelConfig(); bad.scorePriorWeight = -1
        #expect(bad.problem?.contains("score prior") == true)
    }
}
