import Foundation
import LanguageModels
import TensorEngine
import Testing

@testable import Alignment

/// SFT: batches, learning, exact resume, the NaN guard.
@Suite struct SFTTrainerTests {
    func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("rlhf-sft-\(UUID().uuidString)")
    }

    func tinyModel(seed: UInt64 = 1) throws -> TransformerLM {
        let config = try ModelConfig(
            family: .llama, vocabSize: 24, hiddenSize: 16, layerCount: 2, headCount: 4,
            kvHeadCount: 2, maxPositions: 32)
        return try TransformerLM(config: config, seed: seed, std: 0.1)
    }

    /// "Prompt" tokens 1…5 then an "answer" that is a fixed function of the prompt; only the answer is trained.
    func examples(_ n: Int) -> [TokenizedExample] {
        (0..<n).map { i in
            let prompt = [1, 2 + i % 5, 7 + i % 3]
            let answer = [12 + i % 5, 18 + i % 3, 3]
            return TokenizedExample(
                ids: prompt + answer, trainMask: Array(repeating: false, count: 3) + Array(repeating: true, count: 3))
        }
    }

    @Test func batchesTrainOnlyMaskedTargetsAndPadRight() {
        let a = TokenizedExample(ids: [5, 6, 7, 8], trainMask: [false, false, true, true])
        let b = TokenizedExample(ids: [9, 10], trainMask: [false, true])
        let batch = LanguageModelingBatch([a, b], maxLength: 10, padId: 0)
        #expect(batch.inputs.shape == [2, 3])
        #expect(batch.inputs.scalars == [5, 6, 7, 9, 0, 0])
        #expect(batch.targets.scalars == [-100, 7, 8, 10, -100, -100])
        #expect(batch.attentionMask.scalars == [1, 1, 1, 1, 0, 0])
        #expect(batch.trainedTokens == 3)
        let cut = LanguageModelingBatch([a], maxLength: 3, padId: 0)
        #expect(cut.targets.scalars == [-100, 7])
    }

    @Test func lossFallsOnALearnableTask() throws {
        var config = SFTConfig()
        config.steps = 60; config.warmupSteps = 5; config.learningRate = 3e-2; config.batchSize = 8
        config.evalEvery = 0; config.saveEvery = 0; config.logEvery = 0
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = examples(15)
        let trainer = try SFTTrainer(model: try tinyModel(), train: data, eval: data, config: config, output: dir)
        let before = trainer.evaluate(data)
        try trainer.run()
        let after = trainer.evaluate(data)
        #expect(after < before * 0.3, "eval loss \(before) → \(after)")
        let lines = try String(contentsOf: dir.appendingPathComponent("metrics.jsonl"), encoding: .utf8).split(
            separator: "\n")
        #expect(lines.count == 60)
        #expect(lines.last!.contains("\"eval_loss\""))
    }

    @Test func resumingFromACheckpointContinuesExactly() throws {
        var config = SFTConfig()
        config.steps = 6; config.warmupSteps = 2; config.learningRate = 1e-2; config.batchSize = 3
        config.gradientAccumulation = 2; config.saveEvery = 3; config.evalEvery = 0; config.logEvery = 0
        let data = examples(7)  // not a multiple of the batch: epochs wrap mid-step
        let straight = temporaryDirectory(), resumed = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: straight); try? FileManager.default.removeItem(at: resumed) }
        let full = try SFTTrainer(model: try tinyModel(), train: data, eval: [], config: config, output: straight)
        try full.run()

        // A run killed after logging step 6 but before saving it: only its checkpoint-3 exists, and its metrics hold
        // steps 1–6. A fresh trainer (different initial weights, to prove they are replaced) resumes from step 3.
        try FileManager.default.createDirectory(at: resumed, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: straight.appendingPathComponent("checkpoint-3"),
            to: resumed.appendingPathComponent("checkpoint-3"))
        try FileManager.default.copyItem(
            at: straight.appendingPathComponent("metrics.jsonl"), to: resumed.appendingPathComponent("metrics.jsonl"))
        let second = try SFTTrainer(
            model: try tinyModel(seed: 99), train: data, eval: [], config: config, output: resumed)
        try second.run()
        let a = full.model.parameters.map { $0.scalars.map(\.bitPattern) }
        let b = second.model.parameters.map { $0.scalars.map(\.bitPattern) }
        #expect(a == b)
        // Each step once: the resumed run dropped the lines past its checkpoint before logging its own.
        func losses(_ dir: URL) throws -> [String: Double] {
            let lines = try String(contentsOf: dir.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
                .split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
            #expect(lines.map { $0["step"] as! Int } == Array(1...6))
            return Dictionary(uniqueKeysWithValues: lines.map { ("\($0["step"]!)", $0["loss"] as! Double) })
        }
        #expect(try losses(straight) == losses(resumed))
    }

    @Test func nonFiniteLossStopsWithTheLastGoodCheckpoint() throws {
        var config = SFTConfig()
        config.steps = 4; config.saveEvery = 2; config.evalEvery = 0; config.logEvery = 0; config.batchSize = 2
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = try tinyModel()
        let trainer = try SFTTrainer(model: model, train: examples(4), eval: [], config: config, output: dir)
        try trainer.run()
        // Poison the saved model and continue past the end: the next step's loss is NaN.
        var more = config; more.steps = 6
        let poisoned = try TrainingCheckpoint.latest(in: dir)!.loadModel()
        poisoned.parameters[0].withUnsafeMutableBufferPointer { $0.update(repeating: .nan) }
        try poisoned.save(to: dir.appendingPathComponent("checkpoint-4/model"))
        let again = try SFTTrainer(model: model, train: examples(4), eval: [], config: more, output: dir)
        #expect { try again.run() } throws: { error in
            "\(error)".contains("step 4: loss is not finite") && "\(error)".contains("checkpoint-4")
        }
        #expect(TrainingCheckpoint.latest(in: dir)?.directory.lastPathComponent == "checkpoint-4")
    }

    /// `recomputeActivations` (on by default) reaches the model, and turning it off changes memory, not values: three
    /// steps end in the same weights bit for bit.
    @Test func recomputingActivationsIsASwitchThatChangesNoValue() throws {
        func train(recompute: Bool) throws -> (model: TransformerLM, weights: [Float]) {
            var config = SFTConfig()
            config.steps = 3; config.batchSize = 4; config.learningRate = 1e-2
            config.evalEvery = 0; config.saveEvery = 0; config.logEvery = 0
            config.loop.recomputeActivations = recompute
            let dir = temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let model = try tinyModel()
            try SFTTrainer(model: model, train: examples(8), eval: [], config: config, output: dir).run()
            return (model, model.trainableParameters.flatMap(\.scalars))
        }
        #expect(SFTConfig().loop.recomputeActivations)
        let on = try train(recompute: true), off = try train(recompute: false)
        #expect(on.model.recomputesActivations && !off.model.recomputesActivations)
        #expect(on.weights == off.weights)
    }

    @Test func configFilesSetSomeFieldsAndRejectTypos() throws {
        let partial = try JSONDecoder().decode(SFTConfig.self, from: Data(#"{"steps": 12, "learningRate": 0.5}"#.utf8))
        var expected = SFTConfig(); expected.steps = 12; expected.learningRate = 0.5
        #expect(partial == expected)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(SFTConfig.self, from: Data(#"{"stpes": 12}"#.utf8))
        }
        var bad = SFTConfig(); bad.batchSize = 0
        #expect(bad.problem?.contains("batch size") == true)
    }
}
