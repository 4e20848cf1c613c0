import AlignmentData
import Foundation
import PreferenceData
import Testing

@testable import Alignment

/// The experiments, as real training runs on synthetic preference sets, behind `RLHF_SLOW_TESTS=1`: about
/// 20 s in all in a release build (several minutes in debug). Each prints its numbers:
///
///     RLHF_SLOW_TESTS=1 swift test -c release -Xswiftc -enable-testing --filter RewardModelExperiments
@Suite(
    .enabled(if: SyntheticPreferences.slowTestsEnabled, "set RLHF_SLOW_TESTS=1 to run the reward-model experiments"),
    .serialized)
struct RewardModelExperiments {
    typealias S = SyntheticPreferences

    /// Trains on `train` and returns the held-out report and the metrics lines of the run.
    func trainAndEvaluate(
        _ train: [TokenizedPair], _ eval: [TokenizedPair], _ config: RewardModelConfig,
        seed: UInt64 = 1
    ) throws -> (report: RewardEvaluationReport, metrics: [[String: Any]]) {
        let dir = S.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let trainer = try RewardModelTrainer(
            model: try S.rewardModel(seed: seed), train: train, eval: eval, config: config, output: dir)
        trainer.showProgress = false
        try trainer.run()
        let metrics = try String(contentsOf: dir.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
            .split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        return (trainer.evaluate(eval), metrics)
    }

    func line(_ name: String, _ r: RewardEvaluationReport) -> String {
        String(
            format: "%@: accuracy %.3f  |pearson(score, length)| %.3f  |spearman| %.3f  score mean %+.3f std %.3f",
            name, r.accuracy, abs(r.lengthPearson ?? 0), abs(r.lengthSpearman ?? 0), r.scoreMean, r.scoreStd)
    }

    @Test func heldOutAccuracyOnALearnableProperty() throws {
        let train = S.pairs(1000, seed: 11).map(S.tokenized), eval = S.pairs(400, seed: 12).map(S.tokenized)
        let (report, _) = try trainAndEvaluate(train, eval, S.config(steps: 150))
        print("[rm experiment] property: " + line("held-out", report))
        #expect(report.accuracy >= 0.95)
    }

    @Test func lengthBalancingRemovesTheLengthBias() throws {
        // Labels favour the longer response 80% of the time whatever the marker, and follow the marker 85% of the
        // time (annotators like length and the property, independently). Held-out pairs are labelled by the marker
        // alone, with lengths independent of labels.
        let raw = S.pairs(3000, seed: 21, longerPreferred: 0.8, labelNoise: 0.15)
        let eval = S.pairs(500, seed: 22).map(S.tokenized)
        let config = S.config(steps: 300)
        let balanced = try PairDataset.balancer(config: config, tokenizer: nil).balance(raw)
        let unbalancedRun = try trainAndEvaluate(raw.map(S.tokenized), eval, config)
        let balancedRun = try trainAndEvaluate(balanced.pairs.map(S.tokenized), eval, config)
        print("[rm experiment] length bias: training pairs unbalanced \(raw.count), balanced \(balanced.pairs.count)")
        print("[rm experiment] length bias: " + line("unbalanced", unbalancedRun.report))
        print("[rm experiment] length bias: " + line("balanced  ", balancedRun.report))
        let unbalanced = abs(unbalancedRun.report.lengthPearson ?? 0),
            fixed = abs(balancedRun.report.lengthPearson ?? 0)
        #expect(fixed < unbalanced / 2, "balanced |corr| \(fixed) vs unbalanced \(unbalanced)")
        #expect(balancedRun.report.accuracy >= 0.9, "accuracy on the property holds")
    }

    /// Score trajectory (held-out mean and std every 50 steps) of runs with λ = 0, 0.01 and 0.1 from `model`.
    func priorRuns(startingBias: Float) throws -> [(
        lambda: Float, trajectory: [(step: Int, mean: Double, std: Double)]
    )] {
        let train = S.pairs(1000, seed: 31).map(S.tokenized), eval = S.pairs(300, seed: 32).map(S.tokenized)
        return try [Float(0), 0.01, 0.1].map { lambda in
            var config = S.config(steps: 600, learningRate: 3e-3, scorePriorWeight: lambda)
            config.evalEvery = 100
            config.minLearningRateRatio = 1  // a constant rate after warmup: nothing but the prior holds the scores
            let dir = S.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let model = try S.rewardModel()
            model.head.bias.withUnsafeMutableBufferPointer { $0[0] = startingBias }
            let trainer = try RewardModelTrainer(model: model, train: train, eval: eval, config: config, output: dir)
            trainer.showProgress = false
            try trainer.run()
            let trajectory = try String(contentsOf: dir.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
                .split(separator: "\n").compactMap { line -> (Int, Double, Double)? in
                    let m = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
                    guard let mean = m["eval_score_mean"] as? Double, let std = m["eval_score_std"] as? Double else {
                        return nil
                    }
                    return (m["step"] as! Int, mean, std)
                }
            print(
                "[rm experiment] score prior, start offset \(startingBias), λ = \(lambda): "
                    + trajectory.map {
                        String(format: "step %d mean %+.2f std %.2f", $0.0, $0.1, $0.2)
                    }.joined(separator: "; "))
            return (lambda, trajectory)
        }
    }

    @Test func theScorePriorKeepsTheScaleBounded() throws {
        let runs = try priorRuns(startingBias: 0)
        let free = runs[0].trajectory, prior = runs[1].trajectory
        #expect(free.last!.std > free[0].std * 1.2, "without the prior the scores keep spreading")
        #expect(prior.last!.std < prior[1].std * 1.1, "with λ = 0.01 their spread stays bounded")
        #expect(prior.allSatisfy { abs($0.mean) < 0.1 }, "and centred")
    }

    @Test func theScorePriorRecentresShiftedScores() throws {
        // Bradley–Terry sees only differences, so an offset of all scores (here a head bias of 2, as a backbone's
        // common features would give) is never corrected without the prior.
        let runs = try priorRuns(startingBias: 2)
        let free = runs[0].trajectory, prior = runs[1].trajectory
        #expect(abs(free.last!.mean) > 1, "λ = 0 leaves the scores off centre (\(free.last!.mean))")
        #expect(abs(prior.last!.mean) < abs(free.last!.mean) / 4, "λ = 0.01 brings them back (\(prior.last!.mean))")
    }
}
