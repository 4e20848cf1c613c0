import Foundation

/// Runs async `body` from the synchronous pipeline and waits for its result.
///
/// The trainers are synchronous; only the annotation stage talks HTTP. The calling thread waits on a semaphore
/// while the task runs on the cooperative pool, so this must not be called from inside an async context.
func waitFor<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let box = ResultBox<T>()
    let finished = DispatchSemaphore(value: 0)
    Task {
        do { box.set(.success(try await body())) } catch { box.set(.failure(error)) }
        finished.signal()
    }
    finished.wait()
    return try box.get()
}

/// The result of a task, handed from the task to the waiting thread.
private final class ResultBox<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<T, any Error>?

    // Every access goes through the lock, which is what makes the class safe to share.
    func set(_ value: Result<T, any Error>) { lock.withLock { result = value } }
    func get() throws -> T { try lock.withLock { result! }.get() }
}
