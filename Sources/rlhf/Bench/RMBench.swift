import Alignment
import ArgumentParser
import LanguageModels
import TensorEngine

/// `rlhf bench rm`: reward-model training throughput on the anchor model (`bench/torch_rm_bench.py` is the same in
/// PyTorch): each step scores `--batch` pairs (chosen and rejected, `--ctx` tokens each, in one forward pass) at the
/// last token, takes the Bradley–Terry + score-prior loss, backpropagates, clips and updates with AdamW.
struct RMBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm",
        abstract:
            "Reward-model training pairs/s on the anchor GPT (6 layers, d 384, vocab 8192, ctx 256, 8 pairs) with AdamW."
    )

    @OptionGroup var options: BenchOptions

    @OptionGroup var anchor: AnchorModelOptions

    @OptionGroup var real: BenchModelOptions

    @Option(help: "Pairs per forward/backward pass (gradient accumulation, as `rm train`'s; 0: the whole batch).")
    var microBatch = 0

    func validate() throws {
        if microBatch < 0 { throw ValidationError("--micro-batch must be 0 (the whole batch) or positive") }
    }

    func run() throws {
        options.announceMachine()
        let backbone = try real.model.map(loadModel) ?? anchor.makeModel()
        let model = RewardModel(backbone: backbone, headSeed: 1, headStd: 0.02)
        try real.lora.prepare(backbone, seed: 0)
        model.setTrainable(true)
        model.checkpointsActivations = real.activationCheckpointing
        model.recomputesActivations = !real.keepActivations
        let optimizer = AdamW(parameters: model.trainableParameters, learningRate: 1e-5, weightDecay: 0)
        var generator = RandomGenerator(seed: 1)
        let data = anchor.tokens(
            rows: 2 * anchor.batch, length: anchor.ctx, vocabulary: backbone.config.vocabSize, generator: &generator)
        let t = anchor.ctx
        let pairs = (0..<anchor.batch).map { i in
            TokenizedPair(
                chosen: Array(data.scalars[(i * t)..<((i + 1) * t)]),
                rejected: Array(data.scalars[((anchor.batch + i) * t)..<((anchor.batch + i + 1) * t)]))
        }
        // Each piece's mean loss is weighted by its share of the pairs: the gradients add up to the whole batch's.
        let size = microBatch > 0 ? microBatch : pairs.count
        let pieces = stride(from: 0, to: pairs.count, by: size).map {
            PairBatch(Array(pairs[$0..<min($0 + size, pairs.count)]), padId: 0)
        }
        let seconds = Stopwatch.median(repeats: options.repeats, minimumSeconds: 0) {
            optimizer.zeroGrad()
            for batch in pieces {
                let (chosen, rejected) = batch.split(
                    model.scores(batch.sequences.ids, attentionMask: batch.sequences.attentionMask))
                let loss = rewardModelLoss(chosenScores: chosen, rejectedScores: rejected, scorePriorWeight: 0.01).loss
                (loss * (Float(batch.pairCount) / Float(pairs.count))).backward()
            }
            clipGradNorm(model.trainableParameters, maxNorm: 1)
            optimizer.step()
        }
        report(
            json: options.json,
            [
                "bench": "rm_train", "pairs_per_s": Double(anchor.batch) / seconds,
                "step_ms": seconds * 1000, "peak_rss_mb": PeakMemory.megabytes(),
                "peak_tensor_mb": PeakMemory.tensorMegabytes(), "lora_rank": Double(real.loraRank),
            ])
    }
}
