import ArgumentParser
import Foundation
import TensorEngine

/// `rlhf bench gemm`: square single-precision matrix multiply throughput.
struct GemmBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gemm",
        abstract: "Square sgemm throughput (GFLOP/s) for n = 256, 512, 1024, 2048."
    )

    @OptionGroup var options: BenchOptions

    @Option(parsing: .upToNextOption, help: "Matrix sizes to measure.")
    var sizes: [Int] = [256, 512, 1024, 2048]

    @Option(
        help: ArgumentHelp(
            "Instead, time LoRA's low-rank products at this rank: --rows rows of a SmolLM2-shaped layer (width 576, MLP 1536).",
            discussion: "RLHF_NARROW_GEMM=off gives the same products to BLAS, for comparing the two."))
    var loraRank: Int?

    @Option(help: "Rows (batch × sequence length) of the --lora-rank products.")
    var rows = 2048

    func validate() throws {
        if let rank = loraRank, rank < 1 { throw ValidationError("--lora-rank must be at least 1, got \(rank)") }
        if rows < 1 { throw ValidationError("--rows must be at least 1, got \(rows)") }
    }

    func run() throws {
        options.announceMachine()
        var generator = RandomGenerator(seed: 0)
        if let rank = loraRank {
            for shape in LoRAProductShape.all(rank: rank, rows: rows) {
                let a = Tensor.randn(shape.a, generator: &generator), b = Tensor.randn(shape.b, generator: &generator)
                let t = Stopwatch.median(repeats: options.repeats) {
                    _ = matmul(a, b, transposeA: shape.transposeA, transposeB: shape.transposeB)
                }
                report(
                    json: options.json,
                    [
                        "bench": "lora_gemm", "product": shape.name, "m": shape.m, "n": shape.n, "k": shape.k,
                        "gflops": 2 * Double(shape.m * shape.n * shape.k) / t / 1e9,
                    ])
            }
            return
        }
        for n in sizes {
            let a = Tensor.randn([n, n], generator: &generator), b = Tensor.randn([n, n], generator: &generator)
            let t = Stopwatch.median(repeats: options.repeats) { _ = matmul(a, b) }
            report(json: options.json, ["bench": "gemm", "n": n, "gflops": 2 * Double(n * n * n) / t / 1e9])
        }
    }
}

/// One of a LoRA layer's low-rank products: op(A) [m, k] times op(B) [k, n].
struct LoRAProductShape {
    let name: String
    let m: Int, n: Int, k: Int
    var transposeA = false, transposeB = false

    /// A and B as stored.
    var a: [Int] { transposeA ? [k, m] : [m, k] }
    var b: [Int] { transposeB ? [n, k] : [k, n] }

    /// The products of adapters on a width-576 block with a 1536-wide MLP (SmolLM2-135M): the forward's x·Aᵀ for
    /// the joint query/key/value and gate/up adapters and for down; the backward's dz·B and dzᵀ·P for up and for q.
    static func all(rank r: Int, rows: Int) -> [LoRAProductShape] {
        let width = 576, hidden = 1536
        return [
            LoRAProductShape(name: "x·Aᵀ qkv", m: rows, n: 3 * r, k: width, transposeB: true),
            LoRAProductShape(name: "x·Aᵀ gate+up", m: rows, n: 2 * r, k: width, transposeB: true),
            LoRAProductShape(name: "x·Aᵀ down", m: rows, n: r, k: hidden, transposeB: true),
            LoRAProductShape(name: "dz·B up", m: rows, n: r, k: hidden),
            LoRAProductShape(name: "dz·B q", m: rows, n: r, k: width),
            LoRAProductShape(name: "dzᵀ·P up", m: hidden, n: r, k: rows, transposeA: true),
            LoRAProductShape(name: "dzᵀ·P q", m: width, n: r, k: rows, transposeA: true),
        ]
    }
}
