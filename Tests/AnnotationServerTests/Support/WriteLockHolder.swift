import Foundation
import GRDB

/// Holds a store's SQLite write lock from another connection (as another process writing would) until released.
/// The transaction stays open inside one database access on a thread of its own: GRDB forbids leaving one open
/// between accesses.
final class WriteLockHolder: @unchecked Sendable {
    private let locked = DispatchSemaphore(value: 0)
    private let release = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    /// Returns once the lock is held.
    init(path: String) throws {
        let queue = try DatabaseQueue(path: path)
        Thread.detachNewThread { [locked, release, finished] in
            try? queue.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN IMMEDIATE")
                locked.signal()
                release.wait()
                try db.execute(sql: "ROLLBACK")
            }
            finished.signal()
        }
        locked.wait()
    }

    /// Lets the lock go and waits until it is.
    func unlock() {
        release.signal()
        finished.wait()
    }
}
