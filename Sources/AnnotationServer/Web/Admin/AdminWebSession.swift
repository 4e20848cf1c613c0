import Foundation
import Hummingbird

/// The admin signed in on the web: the session id (cookie) and the CSRF token of its forms.
struct AdminSignedIn: Sendable {
    let sessionID: String
    let csrf: String
}

/// The admin's web session: its own cookie (never an annotator's session), SameSite=Strict, and the checks every
/// admin page makes.
enum AdminWebSession {
    /// The admin session cookie: HttpOnly, SameSite=Strict (no other site's link or form carries it); `__Host-`
    /// prefixed with secure cookies.
    static let cookie = "rlhf_admin"

    /// The admin signed in with the request's admin cookie, if its session is valid.
    static func signedIn(_ request: Request, state: ServerState) async -> AdminSignedIn? {
        guard let id = request.cookies[state.cookies.admin]?.value, !id.isEmpty,
            let session = await state.sessions.adminSession(id: id, now: state.now())
        else { return nil }
        return AdminSignedIn(sessionID: id, csrf: session.csrfToken)
    }

    /// The 401 admin sign-in page (or `status`), with a fresh CSRF cookie for its form.
    static func signInPage(state: ServerState, error: String? = nil, status: HTTPResponse.Status = .unauthorized)
        -> Response
    {
        WebSession.signInPage(state: state, error: error, status: status, form: .admin)
    }

    /// The admin session cookie carrying `value` (empty with max-age 0 to clear it).
    static func sessionCookie(_ value: String, maxAge: Int, state: ServerState) -> Cookie {
        WebSession.cookie(state.cookies.admin, value: value, maxAge: maxAge, sameSite: .strict, state: state)
    }

    /// A message page of the admin pages.
    static func message(
        _ heading: String, _ message: String, status: HTTPResponse.Status, admin: AdminSignedIn?,
        state: ServerState
    ) -> Response {
        state.pages.response(
            "admin_message",
            AdminMessagePage(admin: admin.map(AdminNav.init), heading: heading, message: message), status: status)
    }

    /// Runs `body` for a signed-in admin's page (else the 401 sign-in page).
    static func page(
        _ request: Request, state: ServerState, _ body: (AdminSignedIn) async throws -> Response
    ) async throws -> Response {
        guard let admin = await signedIn(request, state: state) else { return signInPage(state: state) }
        return try await body(admin)
    }

    /// Runs `body` with the form of a signed-in admin's post whose CSRF token matches (else 401 or 403).
    static func post(
        _ request: Request, state: ServerState, _ body: (AdminSignedIn, FormBody) async throws -> Response
    ) async throws -> Response {
        guard let admin = await signedIn(request, state: state) else { return signInPage(state: state) }
        let form = try await FormBody.read(request, limit: state.configuration.maximumAdminBodyBytes)
        guard WebSession.csrfMatches(form, expected: admin.csrf) else {
            return message(
                "Not done",
                "The form did not come from this site's admin pages (or your session changed). "
                    + "Reload the page and try again.", status: .forbidden, admin: admin, state: state)
        }
        return try await body(admin, form)
    }
}
