import ArgumentParser
import Foundation
import TensorEngine

/// `rlhf bench ops`: forward + backward of the engine's hot ops at the anchor model's shapes
/// (bench/torch_ops.py measures PyTorch on the same shapes).
struct OpsBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ops",
        abstract: "Forward+backward time (ms) of layer norm, softmax, causal attention and an MLP training step."
    )

    @OptionGroup var options: BenchOptions

    @Option(help: "MLP training steps for the memory measurement (0 skips it).")
    var memorySteps = 1000

    @Option(parsing: .upToNextOption, help: "Measure only these (layer_norm, softmax, attention, mlp_train_step).")
    var only: [String] = []

    func run() throws {
        options.announceMachine()
        var gen = RandomGenerator(seed: 0)
        func param(_ shape: [Int]) -> Tensor { Tensor.randn(shape, generator: &gen).requiringGrad() }
        func time(_ name: String, _ body: () -> Void) {
            if !only.isEmpty && !only.contains(name) { return }
            let t = Stopwatch.median(repeats: options.repeats, body)
            report(json: options.json, ["bench": name, "ms": t * 1000])
        }

        do {
            let x = param([8 * 256, 384]), w = param([384]), b = param([384])
            let dout = Tensor.randn([8 * 256, 384], generator: &gen)
            time("layer_norm") { layerNorm(x, weight: w, bias: b).backward(dout) }
        }
        do {
            let x = param([8, 6, 256, 256])
            let dout = Tensor.randn([8, 6, 256, 256], generator: &gen)
            time("softmax") { x.softmax().backward(dout) }
        }
        do {
            let q = param([8, 6, 256, 64]), k = param([8, 6, 256, 64]), v = param([8, 6, 256, 64])
            let dout = Tensor.randn([8, 6, 256, 64], generator: &gen)
            time("attention") { scaledDotProductAttention(q: q, k: k, v: v).backward(dout) }
        }
        let mlp = MLPBenchmark(generator: &gen)
        time("mlp_train_step") { mlp.step() }
        if memorySteps > 0 {
            // Peak RSS early on and at the end: with buffers reused, training must not grow it.
            var early = 0.0
            for s in 1...memorySteps {
                mlp.step()
                if s == min(10, memorySteps) { early = PeakMemory.megabytes() }
            }
            let final = PeakMemory.megabytes()
            report(
                json: options.json,
                [
                    "bench": "mlp_peak_rss", "steps": memorySteps,
                    "mb_after_10_steps": early, "mb_after_all_steps": final, "growth_mb": final - early,
                ])
        }
    }
}

/// A 2-layer MLP (384 → 1536 → 384, GELU, 2048 rows) trained with AdamW on a mean-squared-error loss.
final class MLPBenchmark {
    let w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor
    let x: Tensor, target: Tensor
    let optimizer: AdamW

    init(generator gen: inout RandomGenerator) {
        w1 = Tensor.randn([1536, 384], std: 0.02, generator: &gen).requiringGrad()
        b1 = Tensor.zeros([1536]).requiringGrad()
        w2 = Tensor.randn([384, 1536], std: 0.02, generator: &gen).requiringGrad()
        b2 = Tensor.zeros([384]).requiringGrad()
        x = Tensor.randn([2048, 384], generator: &gen)
        target = Tensor.randn([2048, 384], generator: &gen)
        optimizer = AdamW(parameters: [w1, b1, w2, b2], learningRate: 1e-4)
    }

    func step() {
        optimizer.zeroGrad()
        let h = linear(x, weight: w1, bias: b1).gelu()
        let y = linear(h, weight: w2, bias: b2)
        let loss = (y - target).square().mean()
        loss.backward()
        optimizer.step()
    }
}

/// The process's peak resident set size.
enum PeakMemory {
    static func megabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024  // kilobytes on Linux
    }

    /// The most the engine's tensors have held at once (the buffer cache's high water of buffers in use; bfloat16
    /// weights and small tensors left to malloc are not counted). Beside the peak RSS it shows how much of the
    /// process's memory the tensors themselves needed.
    static func tensorMegabytes() -> Double { Double(EngineMemory.mostLiveBytes) / 1_048_576 }
}
