import Alignment
import AtomicFiles
import Foundation
import LanguageModels
import Tokenizers

/// What the SFT stage measured.
struct SFTResult: Codable {
    var parameters: Int
    var heldOutLoss: Double
    var loss: [Double]
    /// A real model's description (name, family, sizes); nil for the model trained from scratch.
    var model: String?
}

extension QuickstartPipeline {
    var sftDataURL: URL { run.folder(.sft).appendingPathComponent("sft.jsonl") }

    /// The model configuration trained from scratch: a small Llama (RoPE, RMSNorm, SwiGLU) over the quickstart's
    /// vocabulary, ending answers with `<|im_end|>`.
    func modelConfig(_ tokenizer: Tokenizer) throws -> ModelConfig {
        let stops = tokenizer.chatStopTokenIDs
        return try ModelConfig(
            family: .llama, vocabSize: tokenizer.vocabularySize, hiddenSize: settings.hiddenSize,
            layerCount: settings.layerCount, headCount: settings.headCount,
            intermediateSize: settings.intermediateSize, maxPositions: 4 * settings.maxLength,
            tieWordEmbeddings: true, eosTokenIds: stops, padTokenId: padID(tokenizer))
    }

    /// A description of the model for the report.
    func modelDescription(parameters: Int, vocabulary: Int) -> String {
        String(
            format: "Llama, %d layers, width %d, %d heads, vocabulary %d (%.2fM parameters)", settings.layerCount,
            settings.hiddenSize, settings.headCount, vocabulary, Double(parameters) / 1e6)
    }

    /// SFT settings for a from-scratch model: a high learning rate with warmup and cosine decay.
    var sftConfig: SFTConfig {
        var config = SFTConfig()
        config.learningRate = settings.sftLearningRate
        config.steps = settings.sftSteps
        config.warmupSteps = max(1, settings.sftSteps / 20)
        config.batchSize = settings.sftBatchSize
        config.maxLength = settings.maxLength
        config.evalEvery = 0
        config.saveEvery = max(1, settings.sftSteps / 4)
        config.logEvery = max(1, settings.sftSteps / 10)
        config.seed = settings.seed(for: QuickstartStage.sft.name)
        config.weightDecay = 0.01
        return config
    }

    /// The SFT stage; resumes from its checkpoints when interrupted. From scratch: the model trained on the
    /// mixed-quality corpus. A real model (`settings.model`): a short LoRA SFT on the task's good answers (`sftSteps`
    /// steps; none when 0), merged into the weights. Either is saved as the SFT model every later stage starts from;
    /// a real model's original stays the evaluation's baseline, so what its SFT does is its own row.
    func trainSFT() throws {
        let tokenizer = try loadTokenizer()
        let folder = run.folder(.sft)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try splits.sft.write(to: sftDataURL)
        let train = try SFTDataset.load(sftDataURL, tokenizer: tokenizer)
        let heldOut = try heldOutSFTExamples(tokenizer)
        let model: TransformerLM
        var config = sftConfig
        if startsFromRealModel {
            model = try loadOriginalModel()
            config.lora = lora
            config.activationCheckpointing = settings.activationCheckpointing ?? false
            config.warmupSteps = max(1, settings.sftSteps / 10)
            if settings.sftSteps > 0 {
                log("[sft] \(try config.lora.prepare(model, seed: settings.seed(for: "sft-lora")))")
            } else {
                config.steps = 1  // only to build the trainer for the held-out loss; it does not run
                log("[sft] sftSteps is 0: no SFT, the original model goes on")
            }
        } else {
            model = try TransformerLM(config: modelConfig(tokenizer), seed: settings.seed(for: "sft-init"))
        }
        let trainer = try SFTTrainer(
            model: model, train: train, eval: [], config: config,
            output: folder.appendingPathComponent("checkpoints"), padId: padID(tokenizer))
        if settings.sftSteps > 0 { try trainer.run(resume: true) }
        let heldOutLoss = Double(trainer.evaluate(heldOut))
        trainer.model.mergeAdapters()
        try save(trainer.model, tokenizer: tokenizer, to: folder.appendingPathComponent("model"))
        let losses = metricsColumns(["loss"], in: folder.appendingPathComponent("checkpoints"))["loss"] ?? []
        try run.writeResult(
            SFTResult(
                parameters: trainer.model.parameters.reduce(0) { $0 + $1.shape.reduce(1, *) }, heldOutLoss: heldOutLoss,
                loss: losses,
                model: startingModelInfo?.description),
            stage: .sft)
        log(String(format: "[sft] held-out SFT loss %.3f", heldOutLoss))
    }

    /// The held-out SFT examples, tokenized (for the PTX measure).
    func heldOutSFTExamples(_ tokenizer: Tokenizer) throws -> [TokenizedExample] {
        let url = run.folder(.sft).appendingPathComponent("heldout.jsonl")
        if !FileManager.default.fileExists(atPath: url.path) { try splits.heldOutSFT.write(to: url) }
        return try SFTDataset.load(url, tokenizer: tokenizer)
    }

    /// The mean SFT loss of `model` on the held-out SFT examples.
    func heldOutSFTLoss(_ model: TransformerLM, tokenizer: Tokenizer) throws -> Double {
        let examples = try heldOutSFTExamples(tokenizer)
        let scratch = run.folder(.sft).appendingPathComponent("unused")
        let trainer = try SFTTrainer(
            model: model, train: examples, eval: [], config: sftConfig, output: scratch,
            padId: padID(tokenizer))
        return Double(trainer.evaluate(examples))
    }

    /// Saves a model with the tokenizer beside it, never half-written under `folder`.
    func save(_ model: TransformerLM, tokenizer: Tokenizer, to folder: URL) throws {
        try AtomicDirectory.write(folder) { temporary in
            try model.save(to: temporary)
            try tokenizer.save(to: temporary.appendingPathComponent("tokenizer.json").path)
        }
    }

    /// Numeric columns of a `metrics.jsonl`, one value per step (or iteration) in order; keys absent from every
    /// line are left out. A run resumed from a checkpoint logs again the steps after it, so the last record of each
    /// step wins.
    func metricsColumns(_ keys: [String], in folder: URL) -> [String: [Double]] {
        let url = folder.appendingPathComponent("metrics.jsonl")
        guard let data = FileManager.default.contents(atPath: url.path) else { return [:] }
        var byStep: [Int: [String: Any]] = [:]
        for line in data.split(separator: UInt8(ascii: "\n")) {
            guard let record = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                let step = (record["step"] ?? record["iteration"]) as? Int
            else { continue }
            byStep[step] = record
        }
        let steps = byStep.keys.sorted()
        var columns: [String: [Double]] = [:]
        for key in keys {
            let values = steps.compactMap { byStep[$0]?[key] as? Double }
            if !values.isEmpty { columns[key] = values }
        }
        return columns
    }
}
