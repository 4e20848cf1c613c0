import Alignment
import AlignmentData
import ArgumentParser
import Foundation
import LanguageModels
import PreferenceData

/// `rlhf dpo`: direct preference optimisation (paper §3) on human pairs or on pairs the reward model labels.
struct DPOCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dpo",
        abstract: "Optimise a policy on preference pairs with DPO or IPO (offline, or on-policy with a reward model).",
        discussion: """
            Offline: pairs from a preference store (--store, optionally --split) or JSON Lines (--train; any format \
            `rlhf data import` reads). On-policy, as ChatGLM-RLHF does (--reward-model): the policy answers every \
            prompt samplesPerPrompt times, the reward model's best and worst answer become chosen and rejected; \
            prompts come from --prompts (JSON Lines of {"prompt": …} or {"messages": […]} ending with a user turn) \
            or are the prompts of the --store/--train pairs. Sampled pairs are kept in --output and reused when the \
            run resumes. Held-out pairs: --eval (JSON Lines), --eval-split (of --store) or --eval-prompts (sampled \
            like the training pairs, with seed + 1). The frozen reference is the starting policy; its log-probabilities \
            are computed once, before training. Loss: sigmoid −log σ(β·h) or IPO (h − 1/(2β))², h the log-ratio \
            margin, plus sftCoefficient × the next-token loss of the chosen answers. Settings come from --config \
            (YAML or JSON; any subset of: learningRate, weightDecay, beta1, beta2, epsilon, steps, warmupSteps, \
            minLearningRateRatio, batchSize, gradientAccumulation, clipGradientNorm, evalEvery, saveEvery, seed, \
            logEvery, beta, lossType, labelSmoothing, sftCoefficient, maxPromptLength, maxLength, samplesPerPrompt, \
            maxNewTokens, temperature, topK, topP, minScoreGap, keepTruncatedSamples, generationBatchSize) and flags \
            override it. Sampled answers cut at maxNewTokens (no end-of-turn token) are left out of the pairs unless \
            --keep-truncated-samples. \
            Checkpoints and metrics.jsonl (loss, reward accuracy, chosen/rejected implicit rewards, margin, and \
            their eval_ counterparts) go to --output, the final policy with its tokenizer to <output>/policy; an \
            interrupted run resumes from its latest checkpoint.
            """
    )

    @Option(help: "The SFT policy to start from (also the frozen reference): an HF directory or a .gguf file.")
    var policy: String

    @Option(help: "Tokenizer (default: the policy's).")
    var tokenizer: String?

    @Option(help: "Output directory (checkpoints, metrics.jsonl, sampled pairs, the final policy in policy/).")
    var output: String

    @Option(help: "A YAML or JSON file of settings.")
    var config: String?

    @Option(help: "Preference store: its pairs (offline) or their prompts (with --reward-model).")
    var store: String?

    @Option(help: "Split of --store (default: post-filter the whole store).")
    var split: String?

    @Option(help: "Pairs as JSON Lines, instead of a store.")
    var train: String?

    @Option(help: "Held-out pairs as JSON Lines.")
    var eval: String?

    @Option(help: "Split of --store with held-out pairs.")
    var evalSplit: String?

    @Option(help: "A reward model (`rlhf rm train`, on the policy's tokenizer): sample pairs from the policy and label them.")
    var rewardModel: String?

    @Option(help: "Prompts to sample pairs for (JSON Lines), with --reward-model.")
    var prompts: String?

    @Option(help: "Held-out prompts to sample pairs for (JSON Lines), with --reward-model.")
    var evalPrompts: String?

    @Option(help: "Override: optimizer steps.") var steps: Int?
    @Option(help: "Override: peak learning rate.") var learningRate: Float?
    @Option(help: "Override: pairs per micro-batch.") var batchSize: Int?
    @Option(help: "Override: micro-batches per step.") var gradientAccumulation: Int?
    @Option(help: "Override: warmup steps.") var warmupSteps: Int?
    @Option(help: "Override: β.") var beta: Float?
    @Option(help: "Override: preference loss.") var lossType: DPOLossType?
    @Option(help: "Override: label smoothing (sigmoid loss).") var labelSmoothing: Float?
    @Option(help: "Override: coefficient of the SFT loss on chosen answers.") var sftCoefficient: Float?
    @Option(help: "Override: tokens per prompt.") var maxPromptLength: Int?
    @Option(help: "Override: tokens per prompt + answer.") var maxLength: Int?
    @Option(help: "Override: samples per prompt (on-policy).") var samplesPerPrompt: Int?
    @Option(help: "Override: most new tokens per sample (on-policy).") var maxNewTokens: Int?
    @Option(help: "Override: sampling temperature (on-policy).") var temperature: Float?
    @Option(help: "Override: seed of data order and sampling.") var seed: UInt64?
    @Option(help: "Override: checkpoint interval.") var saveEvery: Int?
    @Option(help: "Override: eval interval.") var evalEvery: Int?

    @Flag(help: "On-policy: let answers cut at --max-new-tokens (no end-of-turn token) become chosen or rejected.")
    var keepTruncatedSamples = false

    @Flag(help: "Start over even if --output holds checkpoints (and sample pairs again).")
    var noResume = false

    func validate() throws {
        if rewardModel == nil {
            if prompts != nil || evalPrompts != nil { throw ValidationError("--prompts and --eval-prompts sample pairs: give --reward-model") }
            _ = try RMPairInput.source(store: store, split: split, file: train, fileFlag: "--train")
        } else if prompts != nil {
            if store != nil || train != nil { throw ValidationError("give --prompts, or --store/--train for their prompts, not both") }
        } else if store == nil && train == nil {
            throw ValidationError("--reward-model samples pairs for prompts: give --prompts FILE.jsonl, --store or --train")
        } else {
            _ = try RMPairInput.source(store: store, split: split, file: train, fileFlag: "--train")
        }
        if [eval, evalSplit, evalPrompts].compactMap({ $0 }).count > 1 { throw ValidationError("give one of --eval, --eval-split and --eval-prompts") }
        if evalSplit != nil && store == nil { throw ValidationError("--eval-split reads a store: give --store") }
    }

    func settings() throws -> DPOConfig {
        var s = try config.map { try ConfigFile.load(DPOConfig.self, from: $0) } ?? DPOConfig()
        if let steps { s.steps = steps }
        if let learningRate { s.learningRate = learningRate }
        if let batchSize { s.batchSize = batchSize }
        if let gradientAccumulation { s.gradientAccumulation = gradientAccumulation }
        if let warmupSteps { s.warmupSteps = warmupSteps }
        if let beta { s.beta = beta }
        if let lossType { s.lossType = lossType }
        if let labelSmoothing { s.labelSmoothing = labelSmoothing }
        if let sftCoefficient { s.sftCoefficient = sftCoefficient }
        if let maxPromptLength { s.maxPromptLength = maxPromptLength }
        if let maxLength { s.maxLength = maxLength }
        if let samplesPerPrompt { s.samplesPerPrompt = samplesPerPrompt }
        if let maxNewTokens { s.maxNewTokens = maxNewTokens }
        if let temperature { s.temperature = temperature }
        if let seed { s.seed = seed }
        if let saveEvery { s.saveEvery = saveEvery }
        if let evalEvery { s.evalEvery = evalEvery }
        if keepTruncatedSamples { s.keepTruncatedSamples = true }
        if let problem = s.problem { throw CommandFailure("invalid settings: \(problem)") }
        return s
    }

    func run() throws {
        let settings = try settings()
        let model = try loadModel(policy)
        let tok = try modelTokenizer(explicit: tokenizer, model: policy)
        let out = URL(fileURLWithPath: output)
        let input = DPOPairInput(tokenizer: tok, settings: settings, output: out, resume: !noResume)
        let final = out.appendingPathComponent("policy")
        let checkpoint = try oneLineErrors { () throws -> TrainingCheckpoint in
            let (train, eval) = try pairs(input, policy: model)
            printError("training pairs: \(train.count), held-out pairs: \(eval.count)")
            // One model object serves as policy and reference: the reference is only read before the first update.
            let trainer = try DPOTrainer(policy: model, reference: model, train: train, eval: eval, config: settings,
                                         output: out, padId: RMModelFiles.padID(tok))
            let checkpoint = try trainer.run(resume: !noResume)
            try trainer.policy.save(to: final)
            try RMModelFiles.saveTokenizer(tok, into: final)
            return checkpoint
        }
        printError("final checkpoint: \(checkpoint.directory.path)\nfinal policy: \(final.path)")
    }

    /// The training and held-out pairs the flags name.
    private func pairs(_ input: DPOPairInput, policy: TransformerLM) throws -> (train: [DPOPair], eval: [DPOPair]) {
        let source = store != nil || train != nil
            ? try RMPairInput.source(store: store, split: split, file: train, fileFlag: "--train") : nil
        var heldOut: [DPOPair] = []
        if let eval { heldOut = try input.offline(.jsonLines(path: eval)) }
        if let store, let evalSplit { heldOut = try input.offline(.store(path: store, split: evalSplit)) }
        guard let rewardModel else { return (try input.offline(source!), heldOut) }

        let rm = try RMModelFiles.trained(rewardModel)
        if rm.backbone.config.vocabSize != policy.config.vocabSize {
            throw CommandFailure("\(rewardModel): vocabulary of \(rm.backbone.config.vocabSize) tokens, the policy has \(policy.config.vocabSize); train the reward model from the policy (same tokenizer)")
        }
        let train = try input.sampled("sampled-train-pairs", prompts: try input.prompts(file: prompts, source: source),
                                      policy: policy, rewardModel: rm)
        if let evalPrompts {
            heldOut = try input.sampled("sampled-eval-pairs", prompts: try input.prompts(file: evalPrompts, source: nil),
                                        policy: policy, rewardModel: rm, seedOffset: 1)
        }
        return (train, heldOut)
    }
}

extension DPOLossType: ExpressibleByArgument {}
