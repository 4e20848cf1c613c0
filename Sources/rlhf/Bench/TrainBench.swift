import Alignment
import ArgumentParser
import LanguageModels
import TensorEngine

/// `rlhf bench train`: language-model training throughput on the anchor model (forward, backward, AdamW).
struct TrainBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Training tokens/s of the anchor GPT (6 layers, d 384, vocab 8192, ctx 256, batch 8) with AdamW.",
        discussion: """
            With --model, trains that checkpoint instead (HF directory or .gguf) on --batch rows of --ctx random \
            tokens: every weight in f32, or LoRA adapters with --lora-rank. bench/torch_train_bench.py runs the same \
            step in PyTorch.
            """
    )

    @OptionGroup var options: BenchOptions

    @OptionGroup var anchor: AnchorModelOptions

    @OptionGroup var real: BenchModelOptions

    func run() throws {
        options.announceMachine()
        let model = try real.model.map(loadModel) ?? anchor.makeModel()
        try real.lora.prepare(model, seed: 0)
        model.setTrainable(true)
        model.checkpointsActivations = real.activationCheckpointing
        model.recomputesActivations = !real.keepActivations
        let optimizer = AdamW(parameters: model.trainableParameters, learningRate: 1e-4)
        var generator = RandomGenerator(seed: 1)
        let t = anchor.ctx, batch = anchor.batch
        let data = anchor.tokens(rows: batch, length: t, vocabulary: model.config.vocabSize, generator: &generator)
        let inputs = IntTensor(
            shape: [batch, t - 1], scalars: (0..<batch).flatMap { data.scalars[($0 * t)..<($0 * t + t - 1)] })
        let targets = IntTensor(
            shape: [batch, t - 1], scalars: (0..<batch).flatMap { data.scalars[($0 * t + 1)..<($0 * t + t)] })
        let seconds = Stopwatch.median(repeats: options.repeats, minimumSeconds: 0) {
            optimizer.zeroGrad()
            crossEntropy(model(inputs), targets: targets).backward()
            optimizer.step()
        }
        report(
            json: options.json,
            [
                "bench": "train", "tokens_per_s": Double(batch * (t - 1)) / seconds,
                "step_ms": seconds * 1000, "peak_rss_mb": PeakMemory.megabytes(), "lora_rank": Double(real.loraRank),
            ])
    }
}
