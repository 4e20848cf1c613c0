import ArgumentParser
import LanguageModels
import TensorEngine

/// `rlhf bench train`: language-model training throughput on the anchor model (forward, backward, AdamW).
struct TrainBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Training tokens/s of the anchor GPT (6 layers, d 384, vocab 8192, ctx 256, batch 8) with AdamW."
    )

    @OptionGroup var options: BenchOptions

    @OptionGroup var anchor: AnchorModelOptions

    func run() throws {
        options.announceMachine()
        let model = try anchor.makeModel()
        model.setTrainable(true)
        let optimizer = AdamW(parameters: model.parameters, learningRate: 1e-4)
        var generator = RandomGenerator(seed: 1)
        let t = anchor.ctx, batch = anchor.batch
        let data = anchor.tokens(rows: batch, length: t, generator: &generator)
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
                "step_ms": seconds * 1000, "peak_rss_mb": PeakMemory.megabytes(),
            ])
    }
}
