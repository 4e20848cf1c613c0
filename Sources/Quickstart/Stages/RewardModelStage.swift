import Alignment
import AlignmentData
import AtomicFiles
import Foundation
import PreferenceData
import SyntheticTask
import Tokenizers

/// What a reward-model stage measured on the held-out pairs.
struct RewardModelResult: Codable {
    var pairsAfterFilter: Int
    var pairsAfterBalancing: Int
    var trainPairs: Int
    var evalPairs: Int
    /// Agreement with the gold oracle on held-out pairs the oracle does not tie.
    var oracleAccuracy: Double
    /// The annotators' (post-filtered) labels' agreement with the oracle on exactly those pairs.
    var annotatorOracleAgreement: Double
    /// The held-out pairs the oracle does not tie: the pairs both agreements are counted on.
    var oracleDecidedPairs: Int
    /// Agreement with the annotators' held-out labels.
    var labelAccuracy: Double
    /// Pearson correlation of the reward with response length (oracle units) over held-out responses.
    var lengthCorrelation: Double
    var perCategory: [String: Double]
    var loss: [Double]
}

extension QuickstartPipeline {
    /// Trains a reward model from the SFT model on the post-filtered labels (length-balanced when
    /// `balanceLengths`), holding out a share of the prompts to measure it. Its seeds (head, data order, balancing)
    /// derive from `seedStage`'s name, so an ablation's two reward models can share them.
    func trainRewardModel(stage: QuickstartStage, balanceLengths: Bool, seedStage: QuickstartStage) throws {
        let seedName = seedStage.name
        let folder = run.folder(stage)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let tokenizer = try loadTokenizer()
        let store = try PreferenceStore(path: storeURL.path, options: StoreOptions(createIfMissing: false))
        let (entries, filterReport) = try store.postFilter()
        let pairs = try store.pairs(for: entries).filter { !$0.isTie }
        let heldOut = { (pair: PreferencePair) in
            Double(stableHash(pair.prompt) % 10_000) / 10_000 < self.settings.rmHeldOutFraction
        }
        let train = pairs.filter { !heldOut($0) }, eval = pairs.filter(heldOut)

        var config = RewardModelConfig()
        config.learningRate = settings.rmLearningRate
        config.steps = settings.rmSteps
        config.warmupSteps = max(1, settings.rmSteps / 10)
        (config.batchSize, config.gradientAccumulation) = pairMicroBatches(settings.rmBatchSize)
        config.maxLength = settings.maxLength
        config.evalEvery = 0
        config.saveEvery = max(1, settings.rmSteps / 2)
        config.logEvery = max(1, settings.rmSteps / 5)
        config.seed = settings.seed(for: seedName)
        config.balanceLengths = balanceLengths
        let prepared = try PairDataset.prepare(train, config: config, balance: balanceLengths, tokenizer: tokenizer)
        guard !prepared.pairs.isEmpty else {
            throw QuickstartError("stage \(stage.name): no training pairs left after filtering")
        }
        log(
            "[\(stage.name)] \(filterReport.kept) of \(filterReport.comparisons) labelled pairs kept by post-filtering; "
                + "training on \(prepared.pairs.count)\(balanceLengths ? " after length balancing" : " (no length balancing)"), "
                + "\(eval.count) held out")

        config.lora = lora
        config.activationCheckpointing = settings.activationCheckpointing ?? false
        let model = RewardModel(
            backbone: try loadSFTModel(), headSeed: settings.seed(for: "\(seedName)-head"),
            headStd: config.headInitStd)
        let trains = try config.lora.prepare(model.backbone, seed: settings.seed(for: "\(seedName)-lora"))
        if startsFromRealModel { log("[\(stage.name)] \(trains)") }
        let trainer = try RewardModelTrainer(
            model: model, train: prepared.pairs, eval: [], config: config,
            output: folder.appendingPathComponent("checkpoints"), padId: padID(tokenizer))
        try trainer.run(resume: true)
        try saveRewardModel(trainer.model, tokenizer: tokenizer, to: folder.appendingPathComponent("model"))

        let result = try measure(
            trainer.model, on: eval, tokenizer: tokenizer, filter: filterReport,
            trainPairs: prepared.pairs.count,
            loss: metricsColumns(["loss"], in: folder.appendingPathComponent("checkpoints"))["loss"] ?? [])
        try run.writeResult(result, stage: stage)
        let versusLabels = String(
            format: "vs labels %.3f, length correlation %.3f", result.labelAccuracy, result.lengthCorrelation)
        log(
            result.oracleDecidedPairs == 0
                ? "[\(stage.name)] no held-out pair the oracle decides (all ties), so no accuracy vs oracle; \(versusLabels)"
                : "[\(stage.name)] on \(result.oracleDecidedPairs) held-out pairs the oracle decides: "
                    + String(
                        format: "accuracy vs oracle %.3f (annotators' labels %.3f); ", result.oracleAccuracy,
                        result.annotatorOracleAgreement) + versusLabels)
    }

    /// Scores the held-out pairs and compares with the oracle and with the labels.
    func measure(
        _ model: RewardModel, on eval: [PreferencePair], tokenizer: Tokenizer, filter: PostFilterReport,
        trainPairs: Int, loss: [Double]
    ) throws -> RewardModelResult {
        let prompts = splits.promptsByText
        let chosen = try rewardScores(
            model, tokenizer: tokenizer, prompts: eval.map(\.prompt), responses: eval.map(\.chosen))
        let rejected = try rewardScores(
            model, tokenizer: tokenizer, prompts: eval.map(\.prompt), responses: eval.map(\.rejected))
        let labelCorrect = zip(chosen, rejected).filter { $0 > $1 }.count
        // Pairs whose prompt is not the built-in task's cannot be judged by the oracle; none are expected.
        let judged = eval.indices.compactMap { index in
            prompts[eval[index].prompt].map {
                HeldOutAgreement.LabelledPair(
                    prompt: $0, chosen: eval[index].chosen, rejected: eval[index].rejected,
                    rewardModelPrefersChosen: chosen[index] > rejected[index])
            }
        }
        let agreement = HeldOutAgreement.measure(judged, oracle: oracle)
        let lengths = (eval.map(\.chosen) + eval.map(\.rejected)).map { Double(TextMeasures.units($0).count) }
        let scores = (chosen + rejected).map(Double.init)
        return RewardModelResult(
            pairsAfterFilter: filter.kept, pairsAfterBalancing: trainPairs + eval.count, trainPairs: trainPairs,
            evalPairs: eval.count, oracleAccuracy: agreement.rewardModel,
            annotatorOracleAgreement: agreement.annotators, oracleDecidedPairs: agreement.decidedPairs,
            labelAccuracy: Self.ratio(labelCorrect, eval.count),
            lengthCorrelation: RewardStatistics.pearson(scores, lengths) ?? .nan,
            perCategory: agreement.rewardModelPerCategory, loss: loss)
    }

    /// The reward of each (prompt, response), read at the answer's end-of-turn token as in PPO.
    func rewardScores(_ model: RewardModel, tokenizer: Tokenizer, prompts: [String], responses: [String]) throws
        -> [Float]
    {
        let sequences = try zip(prompts, responses).map { prompt, response in
            Array(
                try PairDataset.scoredSequence([.user(prompt), .assistant(response)], tokenizer: tokenizer)
                    .suffix(settings.maxLength))
        }
        return model.scores(of: sequences, batchSize: 32, padId: padID(tokenizer))
    }

    func loadRewardModel(_ stage: QuickstartStage) throws -> RewardModel {
        try RewardModel.load(directory: run.folder(stage).appendingPathComponent("model"))
    }

    func saveRewardModel(_ model: RewardModel, tokenizer: Tokenizer, to folder: URL) throws {
        try AtomicDirectory.write(folder) { temporary in
            try model.save(to: temporary)
            try tokenizer.save(to: temporary.appendingPathComponent("tokenizer.json").path)
        }
    }

    static func ratio(_ part: Int, _ whole: Int) -> Double {
        whole == 0 ? .nan : Double(part) / Double(whole)
    }
}
