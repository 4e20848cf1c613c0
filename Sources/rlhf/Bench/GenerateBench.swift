import ArgumentParser
import LanguageModels
import TensorEngine

/// `rlhf bench generate`: prefill and KV-cache decoding throughput on the anchor model, or on a real checkpoint.
struct GenerateBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract:
            "Generation tokens/s of the anchor GPT: batch 8, 64-token prompts, 64 sampled tokens (incl. prefill).",
        discussion: """
            With --model, measures that checkpoint instead (HF directory or .gguf) at --batch sequences of a \
            --prompt-tokens prompt; --greedy decodes greedily (bench/hf_generate.py measures transformers the same way).
            """
    )

    @OptionGroup var options: BenchOptions

    @OptionGroup var anchor: AnchorModelOptions

    @Option(help: "New tokens per sequence.")
    var newTokens = 64

    @Option(help: "A checkpoint to measure instead of the anchor model (HF directory or .gguf).")
    var model: String?

    @Option(help: "Prompt length in tokens.")
    var promptTokens = 64

    @Flag(help: "Greedy decoding instead of sampling at temperature 1.")
    var greedy = false

    @Option(help: "Weight storage: f32, or bf16 (half the bytes streamed per token, f32 accumulation).")
    var weights: FrozenWeightPrecision = .f32

    func run() throws {
        options.announceMachine()
        let model = try self.model.map(loadModel) ?? anchor.makeModel(positions: promptTokens + newTokens)
        model.freeze()
        model.storeFrozenWeights(as: weights)
        let batch = anchor.batch, length = promptTokens
        var generator = RandomGenerator(seed: 2)
        let vocab = model.config.vocabSize
        let prompt = IntTensor(
            shape: [batch, length],
            scalars: (0..<(batch * length)).map { _ in Int(generator.next() % UInt64(vocab)) })
        let prompts = (0..<batch).map { Array(prompt.scalars[($0 * length)..<(($0 + 1) * length)]) }
        if self.model == nil {
            let prefill = Stopwatch.median(repeats: options.repeats) { _ = withNoGrad { model(prompt) } }
            report(json: options.json, ["bench": "prefill", "tokens_per_s": Double(batch * length) / prefill])
        }
        // No EOS: every sequence decodes all its tokens, as the PyTorch and transformers scripts do.
        let config = GenerationConfig(maxNewTokens: newTokens, temperature: greedy ? 0 : 1, eosTokenIds: [], seed: 3)
        let generate = Stopwatch.median(repeats: options.repeats, minimumSeconds: 0) {
            _ = model.generate(prompts: prompts, config: config)
        }
        report(
            json: options.json,
            [
                "bench": "generate", "batch": batch, "tokens_per_s": Double(batch * newTokens) / generate,
                "weights": weights.rawValue, "peak_rss_mb": PeakMemory.megabytes(),
            ])
    }
}
