import ArgumentParser

/// `rlhf annotate …`: the annotation server and its administration.
struct AnnotateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "annotate",
        abstract: "Run the annotation server where people give pairwise judgements, and administer it."
    )
}
