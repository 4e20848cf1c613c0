import Foundation
import TensorEngine

/// Everything `rlhf quickstart` measured, written as `report.json` (keys in snake_case) and rendered as
/// `report.html`. Rates are fractions in [0, 1]; lengths are in the oracle's units (words, or Chinese characters).
public struct QuickstartReport: Codable, Sendable, Equatable {
    /// Which run produced the report.
    public var run: RunInfo
    /// The sizes of the built-in task's splits.
    public var task: TaskInfo
    /// Label collection through the annotation server.
    public var annotation: AnnotationInfo
    /// The reward model.
    public var rm: RewardModelInfo
    /// How the SFT answers every row is judged against were sampled.
    public var baselineSampling: Sampling
    /// The SFT policy: a second SFT sample judged against the first, the noise floor of the comparisons.
    public var sft: PolicyInfo
    /// The SFT model decoding greedily (temperature 0) against SFT.
    public var sftGreedy: PolicyInfo
    /// The best of several SFT samples by the reward model against SFT: the cheap alternative to RL.
    public var bestOfN: PolicyInfo
    /// PPO against SFT.
    public var ppo: PolicyInfo
    /// DPO against SFT.
    public var dpo: PolicyInfo
    /// The paper's three techniques switched off one at a time; nil unless `--ablations` ran.
    public var ablations: Ablations?
    /// The real chat model the run aligned (`--model`); nil for the model trained from scratch. With one, the
    /// baseline of every row ("sft", "sft_greedy", "best_of_n") is this model as given, not an SFT model.
    public var startingModel: String?
    /// A real model's short SFT on the task's good answers, against the original model; nil without one.
    public var sftOnTaskAnswers: PolicyInfo?
    /// A real model's forgetting check; nil without one.
    public var forgetting: Forgetting?

    /// Creates a report.
    public init(
        run: RunInfo, task: TaskInfo, annotation: AnnotationInfo, rm: RewardModelInfo,
        baselineSampling: Sampling, sft: PolicyInfo, sftGreedy: PolicyInfo, bestOfN: PolicyInfo,
        ppo: PolicyInfo, dpo: PolicyInfo, ablations: Ablations? = nil
    ) {
        self.run = run
        self.task = task
        self.annotation = annotation
        self.rm = rm
        self.baselineSampling = baselineSampling
        self.sft = sft
        self.sftGreedy = sftGreedy
        self.bestOfN = bestOfN
        self.ppo = ppo
        self.dpo = dpo
        self.ablations = ablations
    }

    /// How well each model still predicts general text (`GeneralTexts`): the mean negative log-likelihood per token,
    /// and its change relative to the original model (0.05 = 5% worse).
    public struct Forgetting: Codable, Sendable, Equatable {
        /// Loss per token by model: `original`, `sft`, `ppo`, `dpo`.
        public var loss: [String: Double]
        /// `loss / loss["original"] − 1` by model.
        public var relativeChange: [String: Double]
        public init(loss: [String: Double]) {
            self.loss = loss
            let original = loss["original"] ?? .nan
            relativeChange = loss.mapValues { $0 / original - 1 }
        }
    }

    /// The run's identity and timing.
    public struct RunInfo: Codable, Sendable, Equatable {
        /// A random identifier stamped on every stage's output, so results of two runs never mix.
        public var id: String
        /// `fast` or `default`.
        public var mode: String
        /// The seed every stage derives its own from.
        public var seed: UInt64
        /// Seconds each stage took, by stage name, in the run that computed it (a resumed run keeps earlier times).
        public var stageSeconds: [String: Double]
        /// The sum of `stageSeconds`.
        public var totalSeconds: Double
        /// The most memory each stage held resident at once, in bytes, by stage name (stages that measured it).
        public var stagePeakResidentBytes: [String: Double]?
        /// The model trained from scratch, e.g. "llama 4 layers, 128 wide, vocabulary 2048 (0.9M parameters)".
        public var model: String
        /// The machine the report was assembled on: CPU, vector unit, GEMM backend and threads. Stage times of an
        /// interrupted run finished elsewhere come partly from another machine.
        public var machine: MachineDescription
        public init(
            id: String, mode: String, seed: UInt64, stageSeconds: [String: Double], totalSeconds: Double,
            stagePeakResidentBytes: [String: Double]? = nil, model: String, machine: MachineDescription
        ) {
            self.id = id
            self.mode = mode
            self.seed = seed
            self.stageSeconds = stageSeconds
            self.totalSeconds = totalSeconds
            self.stagePeakResidentBytes = stagePeakResidentBytes
            self.model = model
            self.machine = machine
        }
    }

    /// How many prompts each disjoint split holds.
    public struct TaskInfo: Codable, Sendable, Equatable {
        public var sftExamples: Int
        public var preferencePrompts: Int
        public var rlPrompts: Int
        public var evalPrompts: Int
        /// The categories, in report order.
        public var categories: [String]
        public init(sftExamples: Int, preferencePrompts: Int, rlPrompts: Int, evalPrompts: Int, categories: [String]) {
            self.sftExamples = sftExamples
            self.preferencePrompts = preferencePrompts
            self.rlPrompts = rlPrompts
            self.evalPrompts = evalPrompts
            self.categories = categories
        }
    }

    /// What the simulated annotators did through the server's HTTP API, and what filtering kept.
    public struct AnnotationInfo: Codable, Sendable, Equatable {
        public var annotators: Int
        public var tasks: Int
        public var labels: Int
        public var labelsPerSecond: Double
        /// How often the annotators' overall choice matched the gold oracle, over every label as given (before
        /// post-filtering) on pairs the oracle does not tie. Not the reward model's pairs: compare the reward model
        /// with `RewardModelInfo.oracleAgreement`, counted on its own held-out pairs.
        public var oracleAgreement: Double
        /// Pairs left after post-filtering (ties, both-bad, contradictions, cycles dropped).
        public var pairsAfterFilter: Int
        /// Pairs left after length balancing (equal to `pairsAfterFilter` when balancing is off).
        public var pairsAfterBalancing: Int
        public init(
            annotators: Int, tasks: Int, labels: Int, labelsPerSecond: Double, oracleAgreement: Double,
            pairsAfterFilter: Int, pairsAfterBalancing: Int
        ) {
            self.annotators = annotators
            self.tasks = tasks
            self.labels = labels
            self.labelsPerSecond = labelsPerSecond
            self.oracleAgreement = oracleAgreement
            self.pairsAfterFilter = pairsAfterFilter
            self.pairsAfterBalancing = pairsAfterBalancing
        }
    }

    /// The reward model's quality on held-out pairs.
    public struct RewardModelInfo: Codable, Sendable, Equatable {
        /// Accuracy against the gold oracle on held-out pairs it does not tie (the annotators' agreement with the oracle
        /// is the ceiling of labels this noisy).
        public var accuracy: Double
        /// The annotators' (post-filtered) labels' agreement with the oracle on the same held-out pairs as `accuracy`.
        public var oracleAgreement: Double
        /// Held-out pairs the oracle does not tie: the pairs both `accuracy` and `oracleAgreement` are counted on.
        public var oraclePairs: Int
        /// Accuracy against the annotators' own held-out labels.
        public var labelAccuracy: Double
        /// Pearson correlation of the reward with response length on the held-out responses.
        public var lengthCorrelation: Double
        /// Accuracy per category.
        public var perCategory: [String: Double]
        /// Training pairs.
        public var trainPairs: Int
        /// Held-out pairs.
        public var evalPairs: Int
        /// Training loss per logged step.
        public var loss: [Double]
        public init(
            accuracy: Double, oracleAgreement: Double, oraclePairs: Int, labelAccuracy: Double,
            lengthCorrelation: Double, perCategory: [String: Double], trainPairs: Int, evalPairs: Int,
            loss: [Double]
        ) {
            self.accuracy = accuracy
            self.oracleAgreement = oracleAgreement
            self.oraclePairs = oraclePairs
            self.labelAccuracy = labelAccuracy
            self.lengthCorrelation = lengthCorrelation
            self.perCategory = perCategory
            self.trainPairs = trainPairs
            self.evalPairs = evalPairs
            self.loss = loss
        }
    }

    /// Win / tie / loss of one policy's answers against the SFT policy's on the same held-out prompts, by the oracle.
    public struct Outcome: Codable, Sendable, Equatable {
        public var win: Double
        public var tie: Double
        public var loss: Double
        /// Prompts compared.
        public var count: Int
        public init(win: Double, tie: Double, loss: Double, count: Int) {
            self.win = win
            self.tie = tie
            self.loss = loss
            self.count = count
        }
    }

    /// One policy on the held-out prompts.
    public struct PolicyInfo: Codable, Sendable, Equatable {
        /// How its answers were sampled.
        public var sampling: Sampling
        public var win: Double
        public var tie: Double
        public var loss: Double
        /// `win − loss`, in points (×100).
        public var winMinusLoss: Double
        public var perCategory: [String: Outcome]
        /// Mean oracle total of the policy's answers, in [0, 1].
        public var oracleScore: Double
        /// Mean helpfulness, harmlessness and fluency of its answers.
        public var helpfulness: Double
        public var harmlessness: Double
        public var fluency: Double
        /// Mean response length in oracle units.
        public var meanLength: Double
        /// Curves over training by metric name (e.g. reward, kl, response_length; loss and margin for DPO), one value
        /// per logged step; empty for SFT.
        public var curves: [String: [Double]]
        /// Up to a few answers per category, for the reader to look at.
        public var samples: [Sample]
        public init(
            sampling: Sampling, win: Double, tie: Double, loss: Double, winMinusLoss: Double,
            perCategory: [String: Outcome], oracleScore: Double, helpfulness: Double, harmlessness: Double,
            fluency: Double, meanLength: Double, curves: [String: [Double]], samples: [Sample]
        ) {
            self.sampling = sampling
            self.win = win
            self.tie = tie
            self.loss = loss
            self.winMinusLoss = winMinusLoss
            self.perCategory = perCategory
            self.oracleScore = oracleScore
            self.helpfulness = helpfulness
            self.harmlessness = harmlessness
            self.fluency = fluency
            self.meanLength = meanLength
            self.curves = curves
            self.samples = samples
        }
    }

    /// One held-out prompt answered by the policy and by SFT.
    public struct Sample: Codable, Sendable, Equatable {
        public var category: String
        public var prompt: String
        public var response: String
        public var sftResponse: String
        /// The oracle's verdict for the policy: `win`, `tie` or `loss`.
        public var verdict: String
        public init(category: String, prompt: String, response: String, sftResponse: String, verdict: String) {
            self.category = category
            self.prompt = prompt
            self.response = response
            self.sftResponse = sftResponse
            self.verdict = verdict
        }
    }
}

extension QuickstartReport.RewardModelInfo {
    /// The run summary's line. With no held-out pair the oracle decides, both rates are 0/0 (`report.json` writes
    /// "nan"), and the line says so instead of printing them.
    public var summaryLine: String {
        guard oraclePairs > 0 else {
            return "reward model: no held-out pair the oracle decides, so no accuracy vs oracle"
        }
        return String(
            format: "reward model: accuracy vs oracle %.3f, annotators' oracle agreement %.3f", accuracy,
            oracleAgreement)
    }
}

extension QuickstartReport {
    /// `report.json`: snake_case keys, sorted, pretty-printed.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(self)
    }

    /// Reads a `report.json`.
    public static func decode(_ data: Data) throws -> QuickstartReport {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(QuickstartReport.self, from: data)
    }
}
