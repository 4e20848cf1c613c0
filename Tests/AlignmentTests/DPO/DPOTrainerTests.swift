import Foundation
import LanguageModels
import TensorEngine
import Testing

@testable import Alignment

/// DPO training on the toy task: the held-out margin rises (sigmoid and IPO), metrics, the SFT term, exact resume,
/// the frozen reference's log-probabilities computed once, the NaN guard and bad input.
@Suite struct DPOTrainerTests {
    typealias Toy = DPOToyTask

    @Test(arguments: DPOLossType.allCases)
    func raisesTheHeldOutMargin(lossType: DPOLossType) throws {
        let dir = Toy.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var config = Toy.config(steps: 30, lossType: lossType)
        config.evalEvery = 15
        let trainer = try Toy.trainer(
            config, train: Toy.pairs(64, seed: 1), eval: Toy.pairs(32, seed: 2),
            reference: try Toy.policy(), output: dir)
        let before = try #require(trainer.evaluate())
        try trainer.run()
        let after = try #require(trainer.evaluate())
        print(
            "DPO \(lossType) held-out: margin \(before.rewardMargin) → \(after.rewardMargin), accuracy "
                + "\(before.rewardAccuracy) → \(after.rewardAccuracy), loss \(before.loss) → \(after.loss), chosen reward "
                + "\(after.chosenReward), rejected reward \(after.rejectedReward)")
        #expect(abs(before.rewardMargin) < 1e-4, "the policy starts as the reference")
        // IPO regresses the margin β·h to β/(2β) = 1/2 instead of pushing it up without end.
        let expected = lossType == .ipo ? 0.3 : 0.5
        #expect(after.rewardMargin > expected, "held-out margin \(before.rewardMargin) → \(after.rewardMargin)")
        #expect(after.rewardAccuracy > 0.9)
        #expect(after.loss < before.loss)

        let records = try Toy.metrics(in: dir)
        #expect(records.count == 30)
        for key in [
            "loss", "dpo_loss", "reward_accuracy", "reward_margin", "chosen_reward", "rejected_reward",
            "sft_loss", "chosen_logp", "rejected_logp", "pairs_per_s", "lr", "grad_norm", "eval_dpo_loss",
            "eval_reward_accuracy", "eval_reward_margin", "eval_chosen_reward", "eval_rejected_reward",
        ] {
            #expect(records.last?[key] != nil, "metrics lack \(key)")
        }
        #expect(records[14]["eval_reward_margin"] != nil && records[13]["eval_reward_margin"] == nil)
        #expect((records.last?["eval_reward_margin"] as? Double).map { abs($0 - after.rewardMargin) < 1e-9 } == true)
    }

    @Test func theSFTTermAddsTheChosenNegativeLogLikelihood() throws {
        let dir = Toy.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var config = Toy.config(steps: 1)
        config.sftCoefficient = 0.5
        try Toy.trainer(config, train: Toy.pairs(8, seed: 3), reference: try Toy.policy(), output: dir).run()
        let record = try #require(try Toy.metrics(in: dir).first)
        let (loss, dpo, sft) = (record["loss"] as! Double, record["dpo_loss"] as! Double, record["sft_loss"] as! Double)
        #expect(abs(loss - (dpo + 0.5 * sft)) < 1e-5, "loss \(loss) = \(dpo) + 0.5 · \(sft)")
        #expect(abs(dpo - log(2)) < 1e-4, "at the reference, the sigmoid loss is log 2")
        #expect(sft > 0)
    }

    @Test func theSFTTermKeepsChosenAnswersLikely() throws {
        // DPO widens the margin partly by making both answers less likely; the SFT term holds the chosen ones up.
        let train = Toy.pairs(64, seed: 1), eval = Toy.pairs(32, seed: 2)
        var chosenLogProbs: [Float: Double] = [:], margins: [Float: Double] = [:]
        for coefficient: Float in [0, 1] {
            let dir = Toy.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            var config = Toy.config(steps: 30)
            config.sftCoefficient = coefficient
            let trainer = try Toy.trainer(config, train: train, eval: eval, reference: try Toy.policy(), output: dir)
            try trainer.run()
            let chosen = PairLogProbs(of: trainer.eval, under: trainer.policy, batchSize: 8, padId: 0).chosen
            chosenLogProbs[coefficient] = chosen.reduce(0) { $0 + Double($1) } / Double(chosen.count)
            margins[coefficient] = trainer.evaluate()!.rewardMargin
        }
        let start = PairLogProbs(of: eval, under: try Toy.policy(), batchSize: 8, padId: 0).chosen
        print(
            "DPO held-out chosen log-prob: start \(start.reduce(0, +) / Float(start.count)), sftCoefficient 0 → "
                + "\(chosenLogProbs[0]!), 1 → \(chosenLogProbs[1]!); margins \(margins[0]!), \(margins[1]!)")
        #expect(chosenLogProbs[1]! > chosenLogProbs[0]! + 0.5)
        #expect(margins[1]! > 0.3, "the preference is still learned")
    }

    @Test func oneObjectCanBePolicyAndReference() throws {
        // The reference's log-probabilities are taken once, before any update: training the reference object itself
        // gives bit for bit what training a copy gives.
        let shared = Toy.temporaryDirectory(), separate = Toy.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: shared); try? FileManager.default.removeItem(at: separate) }
        let config = Toy.config(steps: 4)
        let data = Toy.pairs(16, seed: 4), eval = Toy.pairs(8, seed: 5)
        let model = try Toy.policy()
        let one = try Toy.trainer(config, train: data, eval: eval, reference: model, policy: model, output: shared)
        try one.run()
        let two = try Toy.trainer(config, train: data, eval: eval, reference: try Toy.policy(), output: separate)
        try two.run()
        #expect(
            one.policy.parameters.map { $0.scalars.map(\.bitPattern) }
                == two.policy.parameters.map { $0.scalars.map(\.bitPattern) })
        #expect(one.referenceLogProbs().train == two.referenceLogProbs().train)
        #expect(one.evaluate() == two.evaluate())
    }

    @Test func resumingFromACheckpointContinuesExactly() throws {
        var config = Toy.config(steps: 6)
        config.batchSize = 3
        config.gradientAccumulation = 2
        config.saveEvery = 3
        config.evalEvery = 3
        let data = Toy.pairs(7, seed: 6), eval = Toy.pairs(4, seed: 7)  // 7 pairs, batches of 3: epochs wrap mid-step
        let straight = Toy.temporaryDirectory(), resumed = Toy.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: straight); try? FileManager.default.removeItem(at: resumed) }
        let reference = try Toy.policy()
        let full = try Toy.trainer(config, train: data, eval: eval, reference: reference, output: straight)
        try full.run()

        // A run that stopped after step 3: only its checkpoint-3 exists. A fresh trainer whose policy starts elsewhere
        // (to prove it is replaced) resumes from it.
        try FileManager.default.createDirectory(at: resumed, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: straight.appendingPathComponent("checkpoint-3"),
            to: resumed.appendingPathComponent("checkpoint-3"))
        let second = try Toy.trainer(
            config, train: data, eval: eval, reference: reference, policy: try Toy.policy(seed: 99),
            output: resumed)
        try second.run()
        #expect(
            full.policy.parameters.map { $0.scalars.map(\.bitPattern) }
                == second.policy.parameters.map { $0.scalars.map(\.bitPattern) })
        let comparable = { (dir: URL) in
            try Toy.metrics(in: dir).map { record -> NSDictionary in
                var record = record
                record["pairs_per_s"] = nil
                record["step_seconds"] = nil  // wall time, like the throughput
                return NSDictionary(dictionary: record)
            }
        }
        #expect(try comparable(straight).suffix(3) == comparable(resumed), "the resumed steps log the same numbers")
    }

    @Test func nonFiniteLossStopsWithTheLastGoodCheckpoint() throws {
        var config = Toy.config(steps: 2)
        config.saveEvery = 2
        let dir = Toy.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = Toy.pairs(4, seed: 8), reference = try Toy.policy()
        try Toy.trainer(config, train: data, reference: reference, output: dir).run()
        // Poison the saved policy and continue past the end: the next step's loss is NaN.
        let checkpoint = try #require(TrainingCheckpoint.latest(in: dir))
        let poisoned = try checkpoint.loadModel()
        poisoned.parameters[0].withUnsafeMutableBufferPointer { $0.update(repeating: .nan) }
        try poisoned.save(to: checkpoint.modelDirectory)
        config.steps = 4
        let again = try Toy.trainer(config, train: data, reference: reference, output: dir)
        #expect { try again.run() } throws: { error in
            "\(error)".contains("step 2: loss is not finite") && "\(error)".contains("checkpoint-2")
        }
        #expect(TrainingCheckpoint.latest(in: dir)?.directory.lastPathComponent == "checkpoint-2")
    }

    @Test func badSettingsAndPairsAreRefusedInOneLine() throws {
        let reference = try Toy.policy(), dir = Toy.temporaryDirectory()
        func refusal(_ pairs: [DPOPair], _ config: DPOConfig = Toy.config(steps: 1)) -> String {
            do { _ = try Toy.trainer(config, train: pairs, reference: reference, output: dir) } catch {
                return "\(error)"
            }
            return "accepted"
        }
        var ipo = Toy.config(steps: 1, lossType: .ipo)
        ipo.labelSmoothing = 0.1
        #expect(refusal(Toy.pairs(2, seed: 1), ipo).contains("label smoothing applies to the sigmoid loss"))
        #expect(refusal([]) == "no training pairs")
        #expect(
            refusal([DPOPair(prompt: [1], chosen: [12], rejected: [3])])
                == "training pair 1: token id 12 is outside the model's vocabulary of 12")
        let long = [DPOPair(prompt: [1], chosen: Array(repeating: 7, count: 30), rejected: [3])]
        var roomy = Toy.config(steps: 1)
        roomy.maxLength = 40
        #expect(refusal(long, roomy).contains("31 tokens exceed the model's 16 positions"))
        #expect(refusal(long) == "accepted", "within maxLength the same pair is cut to fit")
    }

    @Test func pairsAreCutPromptFromTheStartResponsesAtTheEnd() {
        let pair = DPOPair(prompt: [1, 2, 3, 4, 5], chosen: [6, 7, 8, 9], rejected: [10])
        #expect(
            pair.truncated(maxPromptLength: 3, maxLength: 5)
                == DPOPair(prompt: [3, 4, 5], chosen: [6, 7], rejected: [10]))
        #expect(pair.truncated(maxPromptLength: 8, maxLength: 20) == pair)
    }
}
