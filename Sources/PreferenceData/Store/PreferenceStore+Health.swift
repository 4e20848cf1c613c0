import GRDB

extension PreferenceStore {
    /// Returns if the store can be written now (a health check); throws the store's error otherwise, e.g. busy when
    /// another connection holds the write lock past the busy timeout, or read-only.
    ///
    /// Takes the write lock and makes a change that is rolled back, so the store is left exactly as it was.
    public func checkWritable() async throws {
        try await writeWithoutTransactionAsync { db in
            try db.inTransaction(.immediate) {
                try db.execute(sql: "CREATE TABLE health_probe (x INTEGER)")
                return .rollback
            }
        }
    }

    private func writeWithoutTransactionAsync(_ body: @escaping @Sendable (Database) throws -> Void) async throws {
        do {
            try await database.writeWithoutTransaction(body)
        } catch {
            throw Self.describe(error, path: path)
        }
    }
}
