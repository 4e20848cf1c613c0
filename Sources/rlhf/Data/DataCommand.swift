import ArgumentParser

/// `rlhf data …` (to be implemented).
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "data", abstract: "Preference data: import, export, stats, filter, balance, split.")
    func run() throws { throw ValidationError("not implemented yet") }
}
