import Foundation
import GRDB

/// Who or what gives judgements.
public enum AnnotatorKind: String, Sendable, Hashable, CaseIterable {
    /// A person; judges each comparison at most once.
    case human
    /// A model, e.g. the reward model labelling DPO pairs; judges each comparison at most once.
    case model
    /// An imported dataset whose individual raters are unknown. It may hold several judgements of one comparison
    /// (the data's repeated votes); they are told apart by their occurrence number.
    case dataset
}

/// A person, model or dataset that judges comparisons.
public struct Annotator: Sendable, Hashable, FetchableRecord {
    /// Row id.
    public var id: AnnotatorID
    /// Unique name (a login, a model name, a dataset name).
    public var name: String
    /// Person, model or dataset.
    public var kind: AnnotatorKind
    /// A hash of the annotator's access token for the annotation server (never the token itself); nil if none.
    public var tokenHash: String?
    /// When the annotator was added.
    public var createdAt: Date
    /// When the admin deactivated the person (they can no longer sign in; their labels are kept); nil if active.
    public var deactivatedAt: Date?

    /// Whether the annotator may sign in and label (not deactivated).
    public var isActive: Bool { deactivatedAt == nil }
}

extension Annotator {
    /// Reads a row of `SELECT * FROM annotator`.
    public init(row: Row) {
        id = row["id"]
        name = row["name"]
        kind = AnnotatorKind(rawValue: row["kind"]) ?? .human
        tokenHash = row["token_hash"]
        createdAt = Timestamp.date(from: row["created_at"]) ?? Date(timeIntervalSince1970: 0)
        deactivatedAt =
            row.hasColumn("deactivated_at") ? (row["deactivated_at"] as String?).flatMap(Timestamp.date(from:)) : nil
    }
}
