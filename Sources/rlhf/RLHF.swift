import ArgumentParser

/// The `rlhf` command line: pipeline stages and benchmarks.
@main
struct RLHF: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rlhf",
        abstract: "swift-rlhf: RLHF (reward model, PPO, DPO) on transformer language models, CPU first.",
        subcommands: [
            QuickstartCommand.self, TokenizeCommand.self, DetokenizeCommand.self, ScoreCommand.self,
            GenerateCommand.self, ExportCommand.self, SFTCommand.self, DataCommand.self, AnnotateCommand.self,
            RMCommand.self,
            PPOCommand.self, DPOCommand.self, GRPOCommand.self, Bench.self,
        ]
    )
}
