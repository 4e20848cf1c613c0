import Foundation
import GRDB

/// A named split: a set of resolved pairs and how it was made.
public struct SplitSummary: Sendable, Hashable {
    /// Unique name, e.g. `filtered`, `balanced/train`.
    public var name: String
    /// Pairs in it.
    public var pairs: Int
    /// Of those, ties.
    public var ties: Int
    /// Distinct prompts of those pairs.
    public var prompts: Int
    /// How it was made (JSON written by the step that made it).
    public var recipe: String
    /// When it was made.
    public var createdAt: Date
}

extension PreferenceStore {
    /// Saves `entries` as the split `name`, with `recipe` saying how it was made.
    /// - Parameter replacing: replace a split of that name; if false (the default), an existing one is an error.
    public func saveSplit(named name: String, entries: [SplitEntry], recipe: String, replacing: Bool = false) throws {
        guard !name.allSatisfy(\.isWhitespace) else { throw PreferenceDataError.invalidArgument("split name is empty") }
        try write { db in
            if let existing = try Int64.fetchOne(db, sql: "SELECT id FROM split WHERE name = ?", arguments: [name]) {
                guard replacing else {
                    throw PreferenceDataError.conflict("split \"\(name)\" exists; choose another name or replace it")
                }
                try db.execute(sql: "DELETE FROM split WHERE id = ?", arguments: [existing])
            }
            try db.execute(
                sql: "INSERT INTO split (name, recipe, created_at) VALUES (?, ?, ?)",
                arguments: [name, recipe, Timestamp.string(from: Date())])
            let splitID = db.lastInsertedRowID
            let insert = try db.cachedStatement(
                sql: "INSERT INTO split_pair (split_id, comparison_id, outcome) VALUES (?, ?, ?)")
            var seen = Set<ComparisonID>()
            for entry in entries {
                guard seen.insert(entry.comparisonID).inserted else {
                    throw PreferenceDataError.invalidArgument(
                        "comparison \(entry.comparisonID) is twice in split \"\(name)\"")
                }
                do {
                    try insert.execute(arguments: [splitID, entry.comparisonID, entry.outcome.rawValue])
                } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_FOREIGNKEY {
                    throw PreferenceDataError.notFound("comparison \(entry.comparisonID) is not in the store")
                }
            }
        }
    }

    /// Saves `pairs` as the split `name` (see `saveSplit(named:entries:recipe:replacing:)`).
    public func saveSplit(named name: String, pairs: [PreferencePair], recipe: String, replacing: Bool = false) throws {
        try saveSplit(
            named: name, entries: pairs.map { SplitEntry(comparisonID: $0.comparisonID, outcome: $0.outcome) },
            recipe: recipe, replacing: replacing)
    }

    /// Every split, by name.
    public func splits() throws -> [SplitSummary] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT s.name, s.recipe, s.created_at,
                           count(sp.comparison_id) AS pairs,
                           coalesce(sum(sp.outcome = 'tie'), 0) AS ties,
                           count(DISTINCT c.prompt_id) AS prompts
                    FROM split s
                    LEFT JOIN split_pair sp ON sp.split_id = s.id
                    LEFT JOIN comparison c ON c.id = sp.comparison_id
                    GROUP BY s.id ORDER BY s.name
                    """
            ).map { row in
                SplitSummary(
                    name: row["name"], pairs: row["pairs"], ties: row["ties"], prompts: row["prompts"],
                    recipe: row["recipe"],
                    createdAt: Timestamp.date(from: row["created_at"]) ?? Date(timeIntervalSince1970: 0))
            }
        }
    }

    /// The entries of split `name`, by comparison id. Throws `notFound` if there is no such split.
    public func entries(inSplit name: String) throws -> [SplitEntry] {
        try read { db in
            guard let splitID = try Int64.fetchOne(db, sql: "SELECT id FROM split WHERE name = ?", arguments: [name])
            else {
                throw try Self.missingSplit(name, db)
            }
            return try Row.fetchAll(
                db, sql: "SELECT comparison_id, outcome FROM split_pair WHERE split_id = ? ORDER BY comparison_id",
                arguments: [splitID]
            ).map {
                SplitEntry(comparisonID: $0["comparison_id"], outcome: PairOutcome(rawValue: $0["outcome"]) ?? .tie)
            }
        }
    }

    /// The training pairs of split `name` (texts included), by comparison id. Throws `notFound` if there is none.
    public func pairs(inSplit name: String) throws -> [PreferencePair] {
        try read { db in
            guard let splitID = try Int64.fetchOne(db, sql: "SELECT id FROM split WHERE name = ?", arguments: [name])
            else {
                throw try Self.missingSplit(name, db)
            }
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT \(Self.pairColumns), sp.outcome
                    FROM split_pair sp JOIN comparison c ON c.id = sp.comparison_id \(Self.pairJoins)
                    WHERE sp.split_id = ? ORDER BY sp.comparison_id
                    """, arguments: [splitID])
            var pairs: [PreferencePair] = []
            while let row = try rows.next() {
                pairs.append(Self.pair(row, outcome: PairOutcome(rawValue: row["outcome"]) ?? .tie))
            }
            return pairs
        }
    }

    /// Deletes split `name`. Throws `notFound` if there is none.
    public func deleteSplit(named name: String) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM split WHERE name = ?", arguments: [name])
            if db.changesCount == 0 { throw try Self.missingSplit(name, db) }
        }
    }

    private static func missingSplit(_ name: String, _ db: Database) throws -> PreferenceDataError {
        let names = try String.fetchAll(db, sql: "SELECT name FROM split ORDER BY name")
        let known =
            names.isEmpty
            ? "the store has no splits yet (`rlhf data filter` makes one)"
            : "splits: " + names.joined(separator: ", ")
        return .notFound("no split named \"\(name)\"; \(known)")
    }
}
