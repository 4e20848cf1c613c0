import AlignmentData
import ArgumentParser
import Foundation

/// Where a training command reads preference pairs: a store (`--store`, optionally one `--split`) or a JSON Lines
/// file (`--train`), and held-out pairs from a JSON Lines file (`--eval`) or another split of the store
/// (`--eval-split`).
struct PairSourceOptions: ParsableArguments {
    @Option(help: "Preference store to read pairs from.")
    var store: String?

    @Option(help: "Split of --store with the training pairs (default: post-filter the whole store).")
    var split: String?

    @Option(help: "Training pairs as JSON Lines, instead of a store.")
    var train: String?

    @Option(help: "Held-out pairs as JSON Lines.")
    var eval: String?

    @Option(help: "Split of --store with held-out pairs.")
    var evalSplit: String?

    func validate() throws {
        if evalSplit != nil && store == nil { throw ValidationError("--eval-split reads a store: give --store") }
        if eval != nil && evalSplit != nil { throw ValidationError("give --eval or --eval-split, not both") }
    }

    /// Whether a store or a training file is given.
    var isGiven: Bool { store != nil || train != nil }

    /// The training pairs' source; exactly one of `--store` and `--train` must be given.
    func training() throws -> PreferencePairSource {
        try Self.source(store: store, split: split, file: train, fileFlag: "--train")
    }

    /// The held-out pairs' source, if any.
    var heldOut: PreferencePairSource? {
        if let eval { return .jsonLines(path: eval) }
        if let store, let evalSplit { return .store(path: store, split: evalSplit) }
        return nil
    }

    /// The source named by a store (+ split) or a file given as `fileFlag`; exactly one of the two.
    static func source(store: String?, split: String?, file: String?, fileFlag: String) throws -> PreferencePairSource {
        switch (store, file) {
        case let (store?, nil): return .store(path: store, split: split)
        case let (nil, file?):
            if split != nil {
                throw ValidationError("--split reads a store: give --store, or drop --split with \(fileFlag)")
            }
            return .jsonLines(path: file)
        case (nil, nil): throw ValidationError("give --store STORE [--split NAME] or \(fileFlag) FILE.jsonl")
        case (_?, _?): throw ValidationError("give --store or \(fileFlag), not both")
        }
    }
}
