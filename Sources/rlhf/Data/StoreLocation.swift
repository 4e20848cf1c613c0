import ArgumentParser
import Collectives
import Foundation
import JSONSupport
import PreferenceData

/// The `--store` and `--busy-timeout` options every `rlhf data` command shares.
struct StoreLocation: ParsableArguments {
    @Option(name: .long, help: "The preference store (an SQLite file).")
    var store = "preferences.sqlite"

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Seconds to wait while another process writes the store (an import holds it for its whole transaction).",
            valueName: "seconds"))
    var busyTimeout: Double = 300

    func validate() throws {
        if !(busyTimeout >= 0) { throw ValidationError("--busy-timeout must be 0 or more, got \(busyTimeout)") }
    }

    /// Opens the store; only `import` creates a missing one.
    func open(create: Bool = false) throws -> PreferenceStore {
        try PreferenceStore(path: store, options: StoreOptions(busyTimeout: busyTimeout, createIfMissing: create))
    }
}

/// Writes a line to standard error (progress, skipped lines), keeping standard output for results. Under `mpirun`
/// only rank 0 reports; errors go through ArgumentParser and are printed by every rank.
func printError(_ line: String) {
    guard !Collectives.isQuietRank else { return }
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Prints a JSON value as one line.
func printJSON(_ value: JSONValue) {
    print(JSONWriter.string(value))
}

/// `x` with three decimals, or `n/a`.
func formatted(_ value: Double?, digits: Int = 3) -> String {
    value.map { String(format: "%.\(digits)f", $0) } ?? "n/a"
}
