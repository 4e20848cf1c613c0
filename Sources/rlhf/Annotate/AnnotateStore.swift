import ArgumentParser
import PreferenceData

/// The `--db` option every `rlhf annotate` command shares.
struct AnnotateStore: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The preference store (an SQLite file).", valueName: "file"))
    var db: String

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Seconds to wait while another process writes the store (default: 30; "
                + "serve: 5, then it answers 503 with Retry-After).", valueName: "seconds"))
    var busyTimeout: Double?

    func validate() throws {
        if let busyTimeout, !(busyTimeout >= 0) {
            throw ValidationError("--busy-timeout must be 0 or more, got \(busyTimeout)")
        }
    }

    /// Opens the store; only `serve` creates a missing one (a server may start before any data is imported).
    /// `defaultBusyTimeout` applies when `--busy-timeout` is not given.
    func open(create: Bool = false, durableCommits: Bool = false, defaultBusyTimeout: Double = 30) throws
        -> PreferenceStore
    {
        do {
            return try PreferenceStore(
                path: db,
                options: StoreOptions(
                    busyTimeout: busyTimeout ?? defaultBusyTimeout,
                    createIfMissing: create, durableCommits: durableCommits))
        } catch let error as PreferenceDataError {
            throw CommandFailure(error.description)
        }
    }
}
