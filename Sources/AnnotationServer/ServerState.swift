import Foundation
import PreferenceData

/// What every route needs: the store, the configuration and the server's own state (sign-ins, failed attempts,
/// templates).
struct ServerState: Sendable {
    let store: PreferenceStore
    let configuration: AnnotationServerConfiguration
    let authenticator: Authenticator
    let sessions: SessionStore
    let authenticationGuard: AuthenticationGuard
    let pages: PageRenderer

    /// The names of the web UI's cookies.
    var cookies: CookieNames { CookieNames(secure: configuration.secureCookies) }

    /// The current time by the configured clock.
    func now() -> Date { configuration.clock() }

    /// The order `annotator` sees the responses of `task` in.
    func order(task: AnnotationTaskID, annotator: AnnotatorID) -> ResponseOrder {
        ResponseOrder(task: task, annotator: annotator, shuffle: configuration.shuffleResponses)
    }

    /// The task to give `annotator` now: the one they hold, or a new one (gold at the configured rate); nil when
    /// nothing is left for them.
    func nextTask(for annotator: AnnotatorID) async throws -> TaskAssignment? {
        try await store.nextTask(
            for: annotator, leaseDuration: configuration.leaseDuration, now: now(), goldRate: configuration.goldRate)
    }

    /// Stores `shown`, a label relative to the order `annotator` saw, as their label of `task`; records that order.
    func submit(_ shown: LabelDraft, task: AnnotationTaskID, annotator: AnnotatorID) async throws
        -> (label: AnnotationLabel, order: ResponseOrder)
    {
        let order = order(task: task, annotator: annotator)
        let label = try await store.submitLabel(
            order.stored(shown), task: task, annotator: annotator, now: now(), shownSwapped: order.isSwapped)
        return (label, order)
    }
}
