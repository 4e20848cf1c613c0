import Foundation
import PreferenceData

/// Where a reward model's pairs come from: a split of the preference store, the whole store, or a JSON Lines file
/// of any format `rlhf data import` reads. Pairs that did not go through a split are post-filtered as the paper does
/// (ties, cyclic preferences and unresolvable disagreements dropped).
public enum PreferencePairSource: Sendable, Equatable {
    /// A store; `split` names a split made by `rlhf data filter`/`balance`/`split`, nil post-filters every judged
    /// comparison of the store.
    case store(path: String, split: String?)
    /// A JSON Lines file (pairs, HH-RLHF, rated or native), read through a temporary store, post-filtered, and
    /// untagged prompts given a category by the default keyword tagger (as `rlhf data filter` would).
    case jsonLines(path: String)

    /// The pairs and, when `scoreMargins` is set, each pair's mean judged score difference (chosen − rejected; 0
    /// when its judgements carry no scores).
    public func load(scoreMargins: Bool = false) throws -> (pairs: [PreferencePair], scoreDifferences: [Float]?) {
        switch self {
        case let .store(path, split):
            let store = try PreferenceStore(path: path, options: StoreOptions(createIfMissing: false))
            return try Self.pairs(of: store, split: split, includingFlagged: false, scoreMargins: scoreMargins)
        case let .jsonLines(path):
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "rlhf-rm-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let store = try PreferenceStore(path: directory.appendingPathComponent("pairs.sqlite").path)
            try JSONLinesImporter().importFile(atPath: path, into: store)
            // Only the categories are wanted: the quality flags this sets are ignored by reading flagged prompts too.
            try store.runPromptQuality(categorizer: KeywordCategorizer())
            return try Self.pairs(of: store, split: nil, includingFlagged: true, scoreMargins: scoreMargins)
        }
    }

    private static func pairs(
        of store: PreferenceStore, split: String?, includingFlagged: Bool,
        scoreMargins: Bool
    ) throws -> (pairs: [PreferencePair], scoreDifferences: [Float]?) {
        let pairs: [PreferencePair]
        if let split {
            pairs = try store.pairs(inSplit: split).filter { !$0.isTie }
        } else {
            pairs = try store.pairs(for: store.postFilter(includingFlaggedPrompts: includingFlagged).entries).filter {
                !$0.isTie
            }
        }
        guard scoreMargins else { return (pairs, nil) }
        let differences = try pairs.map { pair -> Float in
            let scored = try store.judgements(of: pair.comparisonID).compactMap { j -> Double? in
                guard let a = j.scoreA, let b = j.scoreB else { return nil }
                // Scores are stored relative to response A (the lower id).
                return pair.chosenID < pair.rejectedID ? a - b : b - a
            }
            return scored.isEmpty ? 0 : Float(scored.reduce(0, +) / Double(scored.count))
        }
        return (pairs, differences)
    }
}
