import Alignment
import Foundation
import LanguageModels
import SyntheticTask
import TensorEngine
import Tokenizers

/// `rlhf quickstart`: the whole ChatGLM-RLHF pipeline on the built-in task, judged by the gold oracle.
///
/// Stages, each finished at most once per run directory: tokenizer → SFT → annotation (SFT answer pairs labelled by
/// simulated annotators through the annotation server's HTTP API) → reward model (post-filtered, length-balanced
/// labels) → PPO (reference baseline and PTX on) → DPO (pairs labelled by the reward model) → evaluation (the
/// oracle's win / tie / loss against SFT on held-out prompts, beside greedy SFT and best-of-n SFT) → report.
/// `--ablations` adds, for each of `ablationSeeds` seeds, reward models with and without length balancing and PPO
/// with everything on, without the reference baseline and without PTX (`AblationSeed`), then summarises them.
public final class QuickstartPipeline {
    /// The run's settings.
    public let settings: QuickstartSettings
    /// Its directory and manifest.
    public let run: RunDirectory
    let splits: TaskSplits
    /// The gold oracle: the built-in task's for the model trained from scratch, `GoldOracle.chat` for a real model's
    /// free-form answers.
    let oracle: GoldOracle
    let log: @Sendable (String) -> Void
    /// This process's machine, printed first and recorded in the report beside the stage times.
    let machine = MachineDescription.current
    private var loadedTokenizer: Tokenizer?
    /// A real starting model's description, from `checkStartingModel` (`runAll` calls it unless it was given).
    public var startingModelInfo: StartingModelInfo?

    /// A pipeline writing into `run`; `log` receives one line per event (stage start and end, summaries).
    public init(settings: QuickstartSettings, run: RunDirectory, log: @escaping @Sendable (String) -> Void) throws {
        if let problem = settings.problem { throw QuickstartError("invalid quickstart settings: \(problem)") }
        self.settings = settings
        self.run = run
        self.log = log
        splits = TaskSplits(settings: settings)
        oracle = settings.model == nil ? GoldOracle() : .chat
    }

    /// Runs every stage not finished yet and returns the report (also written as report.json and report.html).
    public func runAll(ablations: Bool) throws -> QuickstartReport {
        log("machine: \(machine.summary)")
        if startingModelInfo == nil { startingModelInfo = try Self.checkStartingModel(settings) }
        if let info = startingModelInfo { log("starting model: \(info.description)") }
        if splits.eval.count < settings.evalPrompts {
            log(
                "held-out prompts: \(splits.eval.count) of the \(settings.evalPrompts) asked (a category and language give at most a quarter of their distinct prompt texts)"
            )
        }
        try stage(.tokenizer) { try startsFromRealModel ? copyModelTokenizer() : trainTokenizer() }
        try stage(.sft) { try trainSFT() }
        try stage(.annotation) { try collectLabels() }
        try stage(.mainRewardModel) {
            try trainRewardModel(stage: .mainRewardModel, balanceLengths: true, seedStage: .mainRewardModel)
        }
        try stage(.mainPPO) {
            try trainPPO(
                stage: .mainPPO, rewardStage: .mainRewardModel, referenceBaseline: true, ptx: true,
                seedStage: .mainPPO)
        }
        try stage(.dpo) { try trainDPO() }
        try stage(.evaluation) { try evaluate() }
        if ablations {
            // Seed by seed, so an interrupted run keeps whole seeds.
            for seed in AblationSeed.all(settings.ablationSeeds) {
                for training in seed.training { try stage(training.stage) { try train(training) } }
                try stage(seed.measures) { try measureAblationSeed(seed) }
            }
            try stage(.ablations) { try summarizeAblations() }
        }
        let report = try assembleReport(ablations: ablations)
        try RunDirectory.writeAtomically(report.jsonData(), to: run.url.appendingPathComponent("report.json"))
        try RunDirectory.writeAtomically(Data(report.html().utf8), to: run.url.appendingPathComponent("report.html"))
        return report
    }

    /// Runs `body` unless `stage` finished earlier in this run directory, timing it and logging start and end.
    func stage(_ stage: QuickstartStage, _ body: () throws -> Void) throws {
        let name = stage.name
        if run.isFinished(stage) {
            log("[\(name)] finished earlier in this run, kept")
            return
        }
        log("[\(name)] started")
        let started = Date()
        ProcessMemory.releaseFreeMemory()
        let peakIsStages = ProcessMemory.resetPeak()
        let residentAtStart = ProcessMemory.residentBytes()
        do { try body() } catch let error as QuickstartError {
            throw error
        } catch let error as TrainingError {
            throw QuickstartError("stage \(name): \(error.description)")
        } catch {
            throw QuickstartError("stage \(name): \(error)")
        }
        let seconds = Date().timeIntervalSince(started)
        let peak = ProcessMemory.peakResidentBytes()
        try run.markFinished(stage, seconds: seconds, peakResidentBytes: peakIsStages ? peak : nil)
        let memory = peak.map {
            String(format: ", peak RSS %.2f GB", $0 / 1e9)
                + (peakIsStages
                    ? residentAtStart.map { String(format: " (%.2f GB at its start)", $0 / 1e9) } ?? ""
                    : " (whole run)")
        }
        log(String(format: "[%@] done in %.1f s", name, seconds) + (memory ?? ""))
    }

    // MARK: Shared artefacts

    var tokenizerURL: URL { run.folder(.tokenizer).appendingPathComponent("tokenizer.json") }

    /// The run's tokenizer, read once after the tokenizer stage wrote it.
    func loadTokenizer() throws -> Tokenizer {
        if let loadedTokenizer { return loadedTokenizer }
        let tokenizer = try Tokenizer.load(from: tokenizerURL.path)
        loadedTokenizer = tokenizer
        return tokenizer
    }

    func loadSFTModel() throws -> TransformerLM {
        try TransformerLM.load(directory: run.folder(.sft).appendingPathComponent("model"))
    }

    /// The padding id of the quickstart's tokenizer: `<|endoftext|>`.
    func padID(_ tokenizer: Tokenizer) -> Int {
        tokenizer.id(forToken: "<|endoftext|>") ?? 0
    }
}
