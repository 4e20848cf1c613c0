import ArgumentParser
import TensorEngine

/// `rlhf bench decode-gemm`: the matrix products of one decoding step — a few rows times every weight matrix of the
/// anchor model — with the weights stored [in, out] (GPT-2 Conv1D), [out, in] (torch Linear), and packed in panels;
/// then the same in bfloat16 (stored [out, in], as LoRA bases and bf16 models keep them, and packed).
struct DecodeGemmBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode-gemm",
        abstract: "GFLOP/s and GB/s of weights streamed for decode-shaped products (rows × each layer's weights)."
    )

    @OptionGroup var options: BenchOptions

    @Option(help: "Rows (sequences decoded together).") var rows = 8
    @Option(help: "Transformer blocks (each has its own weights, so the set exceeds the caches like a real model).")
    var layers = 6
    @Option(help: "Model width.") var dim = 384

    func run() throws {
        options.announceMachine()
        var generator = RandomGenerator(seed: 0)
        let d = dim
        let shapes = [(d, 3 * d), (d, d), (d, 4 * d), (4 * d, d)]
        let x = Tensor.randn([rows, 4 * d], generator: &generator)
        let inputs = shapes.map { x.slice(axis: 1, 0..<$0.0) }
        let inOut = (0..<layers).flatMap { _ in shapes.map { Tensor.randn([$0.0, $0.1], generator: &generator) } }
        let outIn = inOut.map { $0.transposed(0, 1) }
        let weights = Double(inOut.reduce(0) { $0 + $1.count })
        for (layout, set) in [("in_out", inOut), ("out_in", outIn)] {
            let t = Stopwatch.median(repeats: options.repeats) {
                withNoGrad {
                    for (i, w) in set.enumerated() {
                        _ = matmul(inputs[i % shapes.count], w, transposeB: layout == "out_in")
                    }
                }
            }
            report(
                json: options.json,
                [
                    "bench": "decode_gemm", "layout": layout, "rows": rows,
                    "gflops": 2 * Double(rows) * weights / t / 1e9, "weight_gbps": 4 * weights / t / 1e9,
                ])
        }
        var packed: [PackedMatrix] = []
        let packing = Stopwatch.median(repeats: options.repeats) {
            packed = inOut.map { PackedMatrix($0, transposed: false) }
        }
        let packingTransposed = Stopwatch.median(repeats: options.repeats) {
            _ = outIn.map { PackedMatrix($0, transposed: true) }
        }
        report(
            json: options.json,
            [
                "bench": "decode_gemm_pack", "in_out_gbps": 4 * weights / packing / 1e9,
                "out_in_gbps": 4 * weights / packingTransposed / 1e9,
            ])
        let t = Stopwatch.median(repeats: options.repeats) {
            withNoGrad { for (i, w) in packed.enumerated() { _ = w(inputs[i % shapes.count]) } }
        }
        report(
            json: options.json,
            [
                "bench": "decode_gemm", "layout": "packed", "rows": rows,
                "gflops": 2 * Double(rows) * weights / t / 1e9, "weight_gbps": 4 * weights / t / 1e9,
            ])
        // bfloat16: half the bytes per weight.
        let halves = outIn.map { BFloat16Matrix($0) }
        let stored = Stopwatch.median(repeats: options.repeats) {
            withNoGrad { for (i, w) in halves.enumerated() { _ = linear(inputs[i % shapes.count], weight: w) } }
        }
        let halfPacks = halves.map { PackedMatrix($0, transposed: true) }
        let packedHalves = Stopwatch.median(repeats: options.repeats) {
            withNoGrad { for (i, w) in halfPacks.enumerated() { _ = w(inputs[i % shapes.count]) } }
        }
        for (layout, time) in [("bf16_out_in", stored), ("bf16_packed", packedHalves)] {
            report(
                json: options.json,
                [
                    "bench": "decode_gemm", "layout": layout, "rows": rows,
                    "gflops": 2 * Double(rows) * weights / time / 1e9, "weight_gbps": 2 * weights / time / 1e9,
                ])
        }
    }
}
