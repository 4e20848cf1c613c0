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
}
