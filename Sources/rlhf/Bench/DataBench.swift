import ArgumentParser
import Foundation
import PreferenceData

/// `rlhf bench data`: preference-store import and stats throughput on generated data at the paper's scale.
struct DataBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Preference store import and stats throughput.",
        discussion: """
            Generates COMPARISONS comparisons (deterministic: prompts of ~150 characters, 15% multi-turn; responses of \
            ~600; one judgement each and three on 8%) as a native JSON Lines file in a temporary directory, imports it \
            into a fresh store once (timed: reading, checking and the one transaction), then times `stats` (median of \
            --repeats) and, once, `filter` (prompt quality over every prompt, post-filtering, saving the split). \
            Prints {"bench":"data_import",…}, {"bench":"data_stats",…} and {"bench":"data_filter",…}.
            """
    )

    @OptionGroup var options: BenchOptions

    @Option(help: "Comparisons to generate and import (the paper has about 221k).")
    var comparisons = 220_000

    @Option(help: "Seed of the generated data.")
    var seed: UInt64 = 1

    @Option(
        help: ArgumentHelp(
            "Keep the generated file and store in this directory (default: a temporary directory, deleted).",
            valueName: "directory"))
    var keepFiles: String?

    func validate() throws {
        if comparisons < 1 { throw ValidationError("--comparisons must be at least 1, got \(comparisons)") }
    }

    func run() throws {
        let directory =
            keepFiles.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("rlhf-bench-data-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { if keepFiles == nil { try? FileManager.default.removeItem(at: directory) } }
        let dataPath = directory.appendingPathComponent("comparisons.jsonl").path
        let storePath = directory.appendingPathComponent("store.sqlite").path
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: storePath + suffix) }

        var generator = SyntheticPreferences(seed: seed)
        let judgements = try generator.writeNative(comparisons: comparisons, to: dataPath)
        let bytes = (try FileManager.default.attributesOfItem(atPath: dataPath)[.size] as? Int) ?? 0

        let store = try PreferenceStore(path: storePath)
        var imported: ImportReport?
        var importError: (any Error)?
        let importSeconds = Stopwatch.seconds {
            do { imported = try JSONLinesImporter().importFile(atPath: dataPath, into: store) } catch {
                importError = error
            }
        }
        if let importError { throw importError }
        guard let imported, imported.added.comparisonsAdded == comparisons, imported.added.judgementsAdded == judgements
        else {
            throw CommandFailure("import added the wrong amount of data")
        }
        report(
            json: options.json,
            [
                "bench": "data_import", "comparisons": comparisons, "seconds": importSeconds,
                "judgements": judgements, "megabytes": Double(bytes) / 1e6,
            ])

        var statisticsError: (any Error)?
        let statsSeconds = Stopwatch.median(repeats: options.repeats, minimumSeconds: 0) {
            do { _ = try store.statistics() } catch { statisticsError = error }
        }
        if let statisticsError { throw statisticsError }
        report(json: options.json, ["bench": "data_stats", "seconds": statsSeconds])

        var filterError: (any Error)?
        var kept = 0
        let filterSeconds = Stopwatch.seconds {
            do {
                try store.runPromptQuality()
                let (entries, filtered) = try store.postFilter()
                try store.saveSplit(named: "filtered", entries: entries, recipe: "{}", replacing: true)
                kept = filtered.kept
            } catch {
                filterError = error
            }
        }
        if let filterError { throw filterError }
        report(
            json: options.json,
            ["bench": "data_filter", "comparisons": comparisons, "seconds": filterSeconds, "kept": kept])
    }
}
