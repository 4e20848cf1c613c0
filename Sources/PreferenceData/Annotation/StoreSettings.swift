import Foundation
import GRDB

/// Settings kept in the store itself (`store_setting`), so every server and command on the store sees the same.
public enum StoreSetting: String, Sendable, Hashable, CaseIterable {
    /// The annotation guidelines, as Markdown (unset: the server's built-in guidelines).
    case guidelines
}

extension PreferenceStore {
    /// The value of `setting`, or nil if unset.
    public func setting(_ setting: StoreSetting) async throws -> String? {
        try await readAsync {
            try String.fetchOne(
                $0, sql: "SELECT value FROM store_setting WHERE name = ?", arguments: [setting.rawValue])
        }
    }

    /// Sets `setting` to `value`; nil or blank unsets it.
    public func setSetting(_ setting: StoreSetting, to value: String?, now: Date = Date()) async throws {
        try await writeAsync { db in
            guard let value, !value.allSatisfy(\.isWhitespace) else {
                try db.execute(sql: "DELETE FROM store_setting WHERE name = ?", arguments: [setting.rawValue])
                return
            }
            try db.execute(
                sql: """
                    INSERT INTO store_setting (name, value, updated_at) VALUES (?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                    """, arguments: [setting.rawValue, value, Timestamp.string(from: now)])
        }
    }
}
