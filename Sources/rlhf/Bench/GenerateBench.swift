import ArgumentParser
import LanguageModels
import TensorEngine

/// `rlhf bench generate`: prefill and KV-cache decoding throughput on the anchor model.
struct GenerateBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generation tokens/s of the anchor GPT: batch 8, 64-token prompts, 64 sampled tokens (incl. prefill)."
    )

    @OptionGroup var options: BenchOptions

    @OptionGroup var anchor: AnchorModelOptions

    @Option(help: "New tokens per sequence.")
    var newTokens = 64

    func run() throws {
        let model = try anchor.makeModel(positions: 64 + newTokens)
        let batch = anchor.batch
        var generator = RandomGenerator(seed: 2)
        let prompt = anchor.tokens(rows: batch, length: 64, generator: &generator)
        let prompts = (0..<batch).map { Array(prompt.scalars[($0 * 64)..<(($0 + 1) * 64)]) }
        let prefill = Stopwatch.median(repeats: options.repeats) { _ = withNoGrad { model(prompt) } }
        let config = GenerationConfig(maxNewTokens: newTokens, temperature: 1, eosTokenIds: [], seed: 3)
        let generate = Stopwatch.median(repeats: options.repeats, minimumSeconds: 0) {
            _ = model.generate(prompts: prompts, config: config)
        }
        report(json: options.json, ["bench": "prefill", "tokens_per_s": Double(batch * 64) / prefill])
        report(json: options.json, ["bench": "generate", "tokens_per_s": Double(batch * newTokens) / generate])
    }
}
