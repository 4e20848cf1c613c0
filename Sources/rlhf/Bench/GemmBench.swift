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

    func run() throws {
        options.announceMachine()
        var generator = RandomGenerator(seed: 0)
        for n in sizes {
            let a = Tensor.randn([n, n], generator: &generator), b = Tensor.randn([n, n], generator: &generator)
            let t = Stopwatch.median(repeats: options.repeats) { _ = matmul(a, b) }
            report(json: options.json, ["bench": "gemm", "n": n, "gflops": 2 * Double(n * n * n) / t / 1e9])
        }
    }
}
