import ArgumentParser

/// `rlhf rm …`: reward-model training, evaluation and scoring.
struct RMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm",
        abstract: "Train, evaluate and apply a reward model on human preference pairs.",
        subcommands: [RMTrainCommand.self, RMEvalCommand.self, RMScoreCommand.self]
    )
}
