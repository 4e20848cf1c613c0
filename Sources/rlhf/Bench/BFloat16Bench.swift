import ArgumentParser
import Foundation
import TensorEngine

/// `rlhf bench bf16`: the same products with Float32 and with bfloat16 weights, over one anchor-shaped layer set
/// (q/k/v, o, MLP up, MLP down per block, torch's [out, in] layout): decoding through packed panels and through
/// `linear` directly, and many-row `linear` forward and forward + backward to the input (training, scoring), with
/// bf16 weights widened and, where the CPU has AVX512_BF16, multiplied by `vdpbf16ps`.
struct BFloat16Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bf16",
        abstract: "Float32 vs bfloat16 weights: packed decoding GFLOP/s and many-row linear time."
    )

    @OptionGroup var options: BenchOptions

    @Option(help: "Rows of a decoding step (sequences decoded together).") var rows = 8
    @Option(help: "Rows of the many-row products (batch × sequence length).") var trainRows = 512
    @Option(help: "Transformer blocks (each has its own weights, so the set exceeds the caches like a real model).")
    var layers = 6
    @Option(help: "Model width.") var dim = 384

    func validate() throws {
        if rows < 1 || trainRows < 1 || layers < 1 || dim < 1 {
            throw ValidationError("--rows, --train-rows, --layers and --dim must be positive")
        }
    }

    func run() throws {
        options.announceMachine()
        var generator = RandomGenerator(seed: 0)
        let d = dim
        let shapes = [(3 * d, d), (d, d), (4 * d, d), (d, 4 * d)]  // [out, in]
        let weights = (0..<layers).flatMap { _ in shapes.map { Tensor.randn([$0.0, $0.1], generator: &generator) } }
        let bf16 = weights.map { BFloat16Matrix($0) }
        let multiplyAdds = Double(weights.reduce(0) { $0 + $1.count })
        let decode = Tensor.randn([rows, 4 * d], generator: &generator)
        let decodeInputs = shapes.map { decode.slice(axis: 1, 0..<$0.1) }

        let packed = weights.map { PackedMatrix($0, transposed: true) }
        let packedBF16 = bf16.map { PackedMatrix($0, transposed: true) }
        for (name, set) in [("packed_f32", packed), ("packed_bf16", packedBF16)] {
            let t = Stopwatch.median(repeats: options.repeats) {
                withNoGrad { for (i, w) in set.enumerated() { _ = w(decodeInputs[i % shapes.count]) } }
            }
            let bytes = Double(set.reduce(0) { $0 + $1.byteCount })
            reportDecode(name, seconds: t, multiplyAdds: multiplyAdds, bytes: bytes)
        }
        let f32Linear = Stopwatch.median(repeats: options.repeats) {
            withNoGrad { for (i, w) in weights.enumerated() { _ = linear(decodeInputs[i % shapes.count], weight: w) } }
        }
        reportDecode("linear_f32", seconds: f32Linear, multiplyAdds: multiplyAdds, bytes: 4 * multiplyAdds)
        let bf16Linear = Stopwatch.median(repeats: options.repeats) {
            withNoGrad { for (i, w) in bf16.enumerated() { _ = linear(decodeInputs[i % shapes.count], weight: w) } }
        }
        reportDecode("linear_bf16", seconds: bf16Linear, multiplyAdds: multiplyAdds, bytes: 2 * multiplyAdds)

        // Many rows: one block's four products (the layers repeat the same work).
        let train = Tensor.randn([trainRows, 4 * d], generator: &generator)
        let trainInputs = shapes.map { train.slice(axis: 1, 0..<$0.1).copy().requiringGrad() }
        let blockMultiplyAdds = Double(trainRows * shapes.reduce(0) { $0 + $1.0 * $1.1 })
        func products(_ body: (Tensor, Int) -> Tensor) -> [Tensor] {
            trainInputs.enumerated().map { i, x in body(x, i) }
        }
        // bf16 weights both ways (BFloat16Products): widened to Float32 tiles, and with AVX512_BF16 where the CPU has it.
        let modes = BFloat16Products.allCases.filter { $0 == .widened || BFloat16Products.dotInstructionsAvailable }
        let cases: [(String, BFloat16Products, (Tensor, Int) -> Tensor)] =
            [("f32", .widened, { linear($0, weight: weights[$1]) })]
            + modes.map { mode in
                (mode == .widened ? "bf16_widened" : "bf16_dot", mode, { linear($0, weight: bf16[$1]) })
            }
        for (name, mode, product) in cases {
            let forward = BFloat16Products.withMode(mode) {
                Stopwatch.median(repeats: options.repeats) { withNoGrad { _ = products(product) } }
            }
            let backward = BFloat16Products.withMode(mode) {
                Stopwatch.median(repeats: options.repeats) {
                    for y in products(product) { y.backward(Tensor.full(y.shape, 1)) }
                    for x in trainInputs { x.zeroGrad() }
                }
            }
            report(
                json: options.json,
                [
                    "bench": "bf16_linear", "weights": name, "rows": trainRows,
                    "forward_ms": forward * 1e3, "forward_gflops": 2 * blockMultiplyAdds / forward / 1e9,
                    "forward_backward_dx_ms": backward * 1e3,
                ])
        }
    }

    private func reportDecode(_ name: String, seconds t: Double, multiplyAdds: Double, bytes: Double) {
        report(
            json: options.json,
            [
                "bench": "bf16_decode", "kernel": name, "rows": rows,
                "gflops": 2 * Double(rows) * multiplyAdds / t / 1e9, "weight_gbps": bytes / t / 1e9,
            ])
    }
}
