import ArgumentParser

/// `rlhf bench` with no subcommand: every engine benchmark in turn.
struct AllBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "all",
        abstract: "Run every benchmark (gemm, then ops)."
    )

    @OptionGroup var options: BenchOptions

    @Option(help: "MLP training steps for the memory measurement (0 skips it).")
    var memorySteps = 1000

    func run() throws {
        let shared = ["--repeats", "\(options.repeats)"] + (options.json ? ["--json"] : [])
        try GemmBench.parse(shared).run()
        try OpsBench.parse(shared + ["--memory-steps", "\(memorySteps)"]).run()
    }
}
