import ArgumentParser

/// `rlhf bench data` (to be implemented).
struct DataBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "data", abstract: "Preference store import and stats throughput.")
    func run() throws { throw ValidationError("not implemented yet") }
}
