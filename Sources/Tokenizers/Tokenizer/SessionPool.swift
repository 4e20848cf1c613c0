import Foundation
import Synchronization

/// Encoding sessions kept for reuse, so one-off `encode` calls still benefit from earlier calls' word caches. Each
/// caller takes a session for the duration of one call; concurrent callers get different sessions.
final class SessionPool: Sendable {
    private let core: TokenizerCore
    private let idle = Mutex<[UncheckedSession]>([])
    /// Idle sessions kept (each holds a word cache of up to tens of MB); more are dropped when returned.
    static let maximumIdle = max(4, 2 * ProcessInfo.processInfo.activeProcessorCount)

    private struct UncheckedSession: @unchecked Sendable {
        let session: EncodingSession
    }

    init(core: TokenizerCore) { self.core = core }

    /// Runs `body` with a session no other thread is using.
    func withSession<R>(_ body: (EncodingSession) -> R) -> R {
        let session = idle.withLock { $0.popLast()?.session } ?? EncodingSession(core: core)
        defer {
            idle.withLock { sessions in
                if sessions.count < Self.maximumIdle { sessions.append(UncheckedSession(session: session)) }
            }
        }
        return body(session)
    }
}
