import ArgumentParser
import Foundation
import TensorEngine

/// `rlhf bench attention`: causal attention forward+backward at one long shape, its time and the process's peak
/// memory, per kernel (run one kernel per process: peak RSS only ever grows).
struct AttentionBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attention",
        abstract: "Causal attention forward+backward: time (ms) and peak RSS (MB) at one shape, for one kernel."
    )

    @OptionGroup var options: BenchOptions

    @Option(help: "Sequence length T.")
    var seq = 2048

    @Option(help: "Batch size.")
    var batch = 1

    @Option(help: "Heads (queries and keys/values).")
    var heads = 8

    @Option(help: "Head dimension.")
    var headDim = 64

    @Option(help: "Kernel: automatic, blocked or unblocked.")
    var kernel = "automatic"

    func validate() throws {
        if !["automatic", "blocked", "unblocked"].contains(kernel) {
            throw ValidationError("--kernel must be automatic, blocked or unblocked, got \(kernel)")
        }
        if min(seq, batch, heads, headDim) < 1 { throw ValidationError("sizes must be at least 1") }
    }

    func run() throws {
        options.announceMachine()
        let choice: AttentionKernel = kernel == "blocked" ? .blocked : kernel == "unblocked" ? .unblocked : .automatic
        var gen = RandomGenerator(seed: 0)
        let shape = [batch, heads, seq, headDim]
        let q = Tensor.randn(shape, generator: &gen).requiringGrad()
        let k = Tensor.randn(shape, generator: &gen).requiringGrad()
        let v = Tensor.randn(shape, generator: &gen).requiringGrad()
        let dout = Tensor.randn(shape, generator: &gen)
        let before = PeakMemory.megabytes()
        let t = Stopwatch.median(repeats: options.repeats) {
            scaledDotProductAttention(q: q, k: k, v: v, kernel: choice).backward(dout)
        }
        let peak = PeakMemory.megabytes()
        report(
            json: options.json,
            [
                "bench": "attention_long", "kernel": kernel, "batch": batch, "heads": heads, "seq": seq,
                "head_dim": headDim, "ms": t * 1000, "peak_rss_mb": peak, "growth_mb": peak - before,
                "probabilities_mb": Double(batch * heads * seq * seq) * 4 / 1_048_576,
            ])
    }
}
