import Foundation

/// Runs async `body` from a synchronous command and waits for it.
///
/// The command tree's root is a synchronous `ParsableCommand`, so a subcommand cannot be async itself. The main
/// thread waits on a semaphore while the task runs on the cooperative pool; nothing in the server needs the main
/// thread (signals are handled by the service group on its own queue).
func runBlocking(_ body: @escaping @Sendable () async throws -> Void) throws {
    let outcome = Outcome()
    let finished = DispatchSemaphore(value: 0)
    Task {
        do { try await body() } catch { outcome.set(error) }
        finished.signal()
    }
    finished.wait()
    if let error = outcome.error { throw CommandFailure("\(error)") }
}

/// The error of a task, handed from the task to the waiting thread.
private final class Outcome: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: (any Error)?

    // Every access goes through the lock, which is what makes the class safe to share.
    func set(_ error: any Error) { lock.withLock { stored = error } }
    var error: (any Error)? { lock.withLock { stored } }
}
