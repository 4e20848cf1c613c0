import Alignment
import ArgumentParser
import LanguageModels
import TensorEngine

/// `rlhf bench ppo`: one PPO iteration on the anchor model — the time split between generation, scoring (actor,
/// reference, critic and reward forwards) and training, and tokens/s.
struct PPOBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ppo",
        abstract:
            "A PPO iteration of the anchor GPT (actor, critic, reference, reward model): time split and tokens/s.",
        discussion:
            "Batch --batch prompts of --prompt-tokens random tokens, --new-tokens sampled tokens each; median of --repeats iterations."
    )

    @OptionGroup var options: BenchOptions

    @OptionGroup var anchor: AnchorModelOptions

    @Option(help: "Prompt length in tokens.") var promptTokens = 64

    @Option(help: "New tokens per response.") var newTokens = 64

    func run() throws {
        let sft = try anchor.makeModel(positions: promptTokens + newTokens)
        let reward = RewardModel(backbone: sft.copy(), headSeed: 1, headStd: 0.02)
        var generator = RandomGenerator(seed: 2)
        let prompts = (0..<(anchor.batch * (options.repeats + 1))).map { _ in
            (0..<promptTokens).map { _ in Int(generator.next() % UInt64(anchor.vocab)) }
        }
        var config = PPOConfig()
        config.iterations = options.repeats + 1
        config.promptsPerIteration = anchor.batch
        config.minibatchSize = anchor.batch
        config.sampling.maxNewTokens = newTokens
        config.referenceBaseline = false
        config.logEvery = 0
        let trainer = try PPOTrainer(
            config: config, actor: sft.copy(), critic: ValueModel(copying: reward),
            reference: sft, reward: reward, prompts: prompts, output: nil)
        trainer.showProgress = false
        // The first iteration warms up buffers and caches; the median of the rest is reported.
        let history = Array(try trainer.run().dropFirst())
        func median(_ key: String) -> Double {
            let values = history.map { $0[key] ?? .nan }.sorted()
            return values[values.count / 2]
        }
        report(
            json: options.json,
            [
                "bench": "ppo", "tokens_per_s": median("tokens_per_s"),
                "generation_s": median("generation_seconds"), "scoring_s": median("scoring_seconds"),
                "training_s": median("training_seconds"), "generation_tokens_per_s": median("generation_tokens_per_s"),
                "peak_rss_mb": PeakMemory.megabytes(),
            ])
    }
}
