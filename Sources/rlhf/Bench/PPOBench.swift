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
            "Batch --batch prompts of --prompt-tokens random tokens, --new-tokens sampled tokens each; median of --repeats iterations. With --model, a real checkpoint (its reward model: the same backbone with a fresh head); --lora-rank trains adapters (actor and critic) on shared frozen bases instead of four full models."
    )

    @OptionGroup var options: BenchOptions

    @OptionGroup var anchor: AnchorModelOptions

    @OptionGroup var real: BenchModelOptions

    @Option(help: "Prompt length in tokens.") var promptTokens = 64

    @Option(help: "New tokens per response.") var newTokens = 64

    @Option(help: "Responses per forward/backward pass of the update (gradient accumulation; 0: the whole batch).")
    var microBatch = 0

    @Flag(help: "Score each rollout's actor log-probabilities again and report their gap to the sampler's.")
    var rescore = false

    func run() throws {
        options.announceMachine()
        let sft = try real.model.map(loadModel) ?? anchor.makeModel(positions: promptTokens + newTokens)
        let reward = RewardModel(backbone: sft.copy(), headSeed: 1, headStd: 0.02)
        var generator = RandomGenerator(seed: 2)
        let vocab = UInt64(sft.config.vocabSize)
        let prompts = (0..<(anchor.batch * (options.repeats + 1))).map { _ in
            (0..<promptTokens).map { _ in Int(generator.next() % vocab) }
        }
        var config = PPOConfig()
        config.iterations = options.repeats + 1
        config.promptsPerIteration = anchor.batch
        config.minibatchSize = anchor.batch
        config.microBatchSize = microBatch
        config.rescoreRollouts = rescore
        config.sampling.maxNewTokens = newTokens
        config.referenceBaseline = false
        config.logEvery = 0
        config.lora = real.lora
        config.activationCheckpointing = real.activationCheckpointing
        config.recomputeActivations = !real.keepActivations
        let models = try PolicyModels(
            policy: sft, reward: reward, lora: config.lora, critic: true, criticFromReward: true, seed: 0)
        let trainer = try PPOTrainer(
            config: config, actor: models.actor, critic: models.critic!,
            reference: models.reference, reward: reward, prompts: prompts, output: nil)
        trainer.showProgress = false
        // The first iteration warms up buffers and caches; the median of the rest is reported.
        let history = Array(try trainer.run().dropFirst())
        func median(_ key: String) -> Double {
            let values = history.map { $0[key] ?? .nan }.sorted()
            return values[values.count / 2]
        }
        // The whole iteration's median, not the sum of the phases' medians (which may come from different iterations).
        let iterations = history.map {
            ($0["generation_seconds"] ?? .nan) + ($0["scoring_seconds"] ?? .nan) + ($0["training_seconds"] ?? .nan)
        }.sorted()
        let measured: KeyValuePairs<String, Any> = [
            "bench": "ppo", "iteration_s": iterations[iterations.count / 2], "tokens_per_s": median("tokens_per_s"),
            "generation_s": median("generation_seconds"), "scoring_s": median("scoring_seconds"),
            "training_s": median("training_seconds"), "generation_tokens_per_s": median("generation_tokens_per_s"),
            "peak_rss_mb": PeakMemory.megabytes(), "peak_tensor_mb": PeakMemory.tensorMegabytes(),
            "lora_rank": Double(real.loraRank),
            "kl": median("kl"), "reward": median("reward"), "actor_grad_norm": median("actor_grad_norm"),
            // Responses stop at the model's end-of-sequence tokens (PPOTrainer samples with them), so one may end
            // before --new-tokens; the rates count the tokens generated.
            "response_length": median("response_length"),
        ]
        var fields = measured.map { (key: $0.key, value: $0.value) }
        // A rescored actor (`--rescore`) reports the gap between its sampler's log-probabilities and the scoring
        // forward's: float rounding where both round rows alike (RolloutScores).
        if history.contains(where: { $0["sampler_logprob_gap"] != nil }) {
            fields.append(("sampler_logprob_gap", median("sampler_logprob_gap")))
        }
        report(json: options.json, fields)
    }
}
