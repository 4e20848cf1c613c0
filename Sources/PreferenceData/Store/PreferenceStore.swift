import Foundation
import GRDB

/// The preference store: one SQLite file (WAL mode) holding prompts, responses, comparisons, annotators, judgements
/// and named splits.
///
/// Safe to share between threads and tasks (a GRDB `DatabasePool`: concurrent readers, one writer at a time) and
/// between processes (SQLite locking; a writer waits up to `StoreOptions.busyTimeout` for another). Every write
/// method runs in one transaction: it happens completely or not at all.
public final class PreferenceStore: Sendable {
    /// The file the store lives in.
    public let path: String
    /// The underlying pool, for queries this API does not offer. Write through the store's methods where one exists:
    /// they keep the invariants (de-duplication, A/B order, one judgement per person) that raw SQL could break.
    public let database: DatabasePool

    /// The schema version this build creates and understands.
    public static var schemaVersion: Int { StoreSchema.currentVersion }

    /// Opens the store at `path`, creating it (unless `options.createIfMissing` is false) and bringing its schema up to
    /// date. Throws if the file is not SQLite, belongs to another application, or has a newer schema.
    public init(path: String, options: StoreOptions = StoreOptions()) throws {
        self.path = path
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        if exists && isDirectory.boolValue {
            throw PreferenceDataError.store(path: path, problem: "is a directory, not a preference store")
        }
        if !exists && !options.createIfMissing {
            throw PreferenceDataError.notFound("\(path): no preference store here (`rlhf data import` creates one)")
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(options.busyTimeout)
        configuration.maximumReaderCount = max(1, options.maximumReaderCount)
        configuration.foreignKeysEnabled = true
        configuration.label = "PreferenceStore"
        // SQLite's default 2 MB page cache makes a large import spill and rewrite index pages over and over.
        let cacheKibibytes = max(1, options.cacheMegabytes) * 1024
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA cache_size = -\(cacheKibibytes)")
        }
        // Opening a fresh store switches it to WAL and migrates it; when several processes do that at once, SQLite
        // can answer SQLITE_BUSY at once instead of calling the busy handler, so opening retries until the timeout.
        let deadline = Date().addingTimeInterval(options.busyTimeout)
        var attempt = 0
        while true {
            do {
                let pool = try DatabasePool(path: path, configuration: configuration)
                try Self.migrate(pool, path: path)
                if options.durableCommits {
                    // Only the pool's one writer connection commits, and GRDB sets it to NORMAL when it enables WAL
                    // (after `prepareDatabase`), so the setting goes on that connection here.
                    try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
                }
                database = pool
                break
            } catch let error as DatabaseError
                where (error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED) && Date() < deadline
            {
                attempt += 1
                Thread.sleep(forTimeInterval: min(0.2, 0.005 * Double(1 << min(attempt, 6))))
            } catch {
                throw Self.describe(error, path: path)
            }
        }
    }

    /// Runs `body` in a write transaction (IMMEDIATE: it waits for other writers up front rather than failing later).
    package func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try database.write(body)
        } catch {
            throw Self.describe(error, path: path)
        }
    }

    /// Runs `body` on a consistent snapshot of the store.
    package func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try database.read(body)
        } catch {
            throw Self.describe(error, path: path)
        }
    }

    /// `write(_:)` for async callers: the transaction runs on the store's writer queue while the caller is suspended,
    /// so a server's cooperative threads never block on SQLite.
    package func writeAsync<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await database.write(body)
        } catch {
            throw Self.describe(error, path: path)
        }
    }

    /// `read(_:)` for async callers (see `writeAsync(_:)`).
    package func readAsync<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await database.read(body)
        } catch {
            throw Self.describe(error, path: path)
        }
    }

    /// Brings the schema up to date. Database errors are thrown as they are, so that opening can retry when busy.
    private static func migrate(_ database: DatabasePool, path: String) throws {
        // Check with a read first: a store that is up to date must not wait for the write lock another process holds.
        let (applicationID, version) = try database.read { db in
            (
                try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0,
                try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
            )
        }
        if applicationID == StoreSchema.applicationID && version == StoreSchema.currentVersion { return }
        try database.write { db in
            let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
            let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
            if applicationID != StoreSchema.applicationID {
                let tables =
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'") ?? 0
                guard applicationID == 0 && version == 0 && tables == 0 else {
                    throw PreferenceDataError.store(
                        path: path, problem: "is an SQLite database of another application, not a preference store")
                }
                try db.execute(sql: "PRAGMA application_id = \(StoreSchema.applicationID)")
            }
            if version > StoreSchema.currentVersion {
                throw PreferenceDataError.store(
                    path: path,
                    problem:
                        "has schema version \(version), newer than this build understands (\(StoreSchema.currentVersion)); use a newer rlhf"
                )
            }
            for next in version..<StoreSchema.currentVersion {
                try StoreSchema.migrations[next](db)
            }
            try db.execute(sql: "PRAGMA user_version = \(StoreSchema.currentVersion)")
        }
    }

    /// Turns GRDB and SQLite errors into one-line messages that name the store.
    static func describe(_ error: any Error, path: String) -> any Error {
        if error is PreferenceDataError { return error }
        guard let databaseError = error as? DatabaseError else { return error }
        switch databaseError.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return PreferenceDataError.store(
                path: path,
                problem:
                    "the store is busy (another process kept it locked past the busy timeout); try again or raise --busy-timeout"
            )
        case .SQLITE_NOTADB:
            return PreferenceDataError.store(path: path, problem: "is not an SQLite database")
        case .SQLITE_CANTOPEN:
            return PreferenceDataError.store(
                path: path, problem: "cannot be opened (check the directory exists and is writable)")
        case .SQLITE_READONLY:
            return PreferenceDataError.store(path: path, problem: "is read-only")
        case .SQLITE_FULL:
            return PreferenceDataError.store(path: path, problem: "the disk is full")
        case .SQLITE_CORRUPT:
            return PreferenceDataError.store(path: path, problem: "the database file is corrupt")
        default:
            return PreferenceDataError.store(
                path: path, problem: databaseError.message ?? "\(databaseError.resultCode)")
        }
    }
}
