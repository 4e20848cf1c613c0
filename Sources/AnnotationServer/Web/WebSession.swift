import Foundation
import Hummingbird
import PreferenceData

/// The signed-in annotator of a page request.
struct SignedIn: Sendable {
    let annotator: Annotator
    let sessionID: String
    let session: SessionStore.Session
}

/// Cookies of the web UI and the checks every page makes.
enum WebSession {
    /// The session cookie: HttpOnly (no script reads it), SameSite=Lax (not sent with other sites' form posts).
    /// With secure cookies its name has the `__Host-` prefix (`CookieNames`).
    static let sessionCookie = "rlhf_session"
    /// The sign-in forms' CSRF cookie (double submit: the form carries the same random value); `__Host-` prefixed
    /// with secure cookies.
    static let signInCookie = "rlhf_sign_in"

    /// The annotator signed in with the request's session cookie, if the session is valid and their token unchanged.
    static func signedIn(_ request: Request, state: ServerState) async throws -> SignedIn? {
        guard let id = request.cookies[state.cookies.session]?.value, !id.isEmpty,
            let session = await state.sessions.session(id: id, now: state.now())
        else { return nil }
        guard let annotator = try await state.store.annotator(session.annotatorID), annotator.kind == .human,
            annotator.isActive, let hash = annotator.tokenHash, AccessToken.constantTimeEquals(hash, session.tokenHash)
        else {
            // The token was replaced, or the annotator removed or deactivated: the session ends with it.
            await state.sessions.endSession(id: id)
            return nil
        }
        return SignedIn(annotator: annotator, sessionID: id, session: session)
    }

    /// Whether a form's `csrf` field matches `expected` (constant time).
    static func csrfMatches(_ form: FormBody, expected: String) -> Bool {
        guard let sent = form["csrf"], !expected.isEmpty else { return false }
        return AccessToken.constantTimeEquals(sent, expected)
    }

    /// The account bar of a signed-in annotator.
    static func account(_ signedIn: SignedIn, state: ServerState) async throws -> AccountView {
        let counts = try await state.store.labelCounts(of: signedIn.annotator.id)
        return AccountView(
            name: signedIn.annotator.name, csrf: signedIn.session.csrfToken, labelled: counts.labelled,
            open: counts.open)
    }

    /// A cookie with the server's attributes: Path=/ and no Domain (as the `__Host-` prefix requires), HttpOnly,
    /// Secure when configured.
    static func cookie(_ name: String, value: String, maxAge: Int, sameSite: Cookie.SameSite, state: ServerState)
        -> Cookie
    {
        Cookie(
            name: name, value: value, maxAge: maxAge, path: "/", secure: state.configuration.secureCookies,
            httpOnly: true, sameSite: sameSite)
    }

    /// The CSRF cookie of a sign-in form carrying `csrf`.
    static func signInFormCookie(_ csrf: String, state: ServerState) -> Cookie {
        cookie(state.cookies.signIn, value: csrf, maxAge: 3600, sameSite: .strict, state: state)
    }

    /// Whether a sign-in form's `csrf` field matches the request's sign-in cookie (double submit: a page of another
    /// site can post the form but cannot read or set our cookie).
    static func signInCSRFMatches(_ form: FormBody, request: Request, state: ServerState) -> Bool {
        guard let cookie = request.cookies[state.cookies.signIn]?.value else { return false }
        return csrfMatches(form, expected: cookie)
    }

    /// The 401 sign-in page (the annotators' or the admin's `form`), with a fresh CSRF cookie for its form.
    static func signInPage(
        state: ServerState, error: String? = nil, status: HTTPResponse.Status = .unauthorized,
        form: SignInForm = .annotator
    ) -> Response {
        let csrf = AccessToken.generate(prefix: "")
        let page = SignInPage(csrf: csrf, error: error, action: form.action, tokenLabel: form.tokenLabel)
        var response = state.pages.response(form.template, page, status: status)
        response.setCookie(signInFormCookie(csrf, state: state))
        return response
    }

    /// The 429 sign-in page of a client that failed to sign in too often.
    static func tooManyAttemptsPage(retryAfter: Int, state: ServerState, form: SignInForm = .annotator) -> Response {
        let minutes = max(1, (retryAfter + 59) / 60)
        var response = signInPage(
            state: state,
            error: "Too many failed sign-ins from your network address. "
                + "Try again in \(minutes) minute\(minutes == 1 ? "" : "s").", status: .tooManyRequests, form: form)
        response.headers[.retryAfter] = String(retryAfter)
        return response
    }

    /// What a posted token sign-in form yields once its CSRF cookie and the client's failure count are checked.
    enum SignInAttempt {
        /// Check this token; count a failure under `address`.
        case token(String, address: String)
        /// The page to answer with (403 for a forged or expired form, 429 for a client that failed too often).
        case refused(Response)
    }

    /// Reads a posted token sign-in form of `form` and makes the checks every sign-in shares: the form's CSRF
    /// cookie (double submit), then the client's recent failures (`AuthenticationGuard`).
    static func signInAttempt(
        _ request: Request, context: AnnotationRequestContext, state: ServerState, form: SignInForm
    ) async throws -> SignInAttempt {
        let body = try await FormBody.read(request, limit: state.configuration.maximumBodyBytes)
        guard signInCSRFMatches(body, request: request, state: state) else {
            return .refused(
                signInPage(
                    state: state, error: "The sign-in form expired. Please try again.", status: .forbidden, form: form))
        }
        let address = state.authenticationGuard.clientAddress(request, context: context)
        if case .refused(let retryAfter) = await state.authenticationGuard.check(address, now: state.now()) {
            return .refused(tooManyAttemptsPage(retryAfter: retryAfter, state: state, form: form))
        }
        return .token((body["token"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines), address: address)
    }

    /// A message page.
    static func message(
        _ heading: String, _ message: String, status: HTTPResponse.Status, account: AccountView? = nil,
        link: (url: String, text: String) = ("/annotate", "Back to annotating"), state: ServerState
    ) -> Response {
        state.pages.response(
            "message",
            MessagePage(
                heading: heading, message: message, linkURL: link.url, linkText: link.text,
                account: account), status: status)
    }

    /// A 303 redirect (after a form post, so reloading the next page does not post again).
    static func redirect(to location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}

/// The two token sign-in forms: the annotators' and the admin's.
enum SignInForm {
    case annotator, admin

    var template: String { self == .admin ? "admin_sign_in" : "sign_in" }
    var action: String { self == .admin ? "/admin/sign-in" : "/sign-in" }
    var tokenLabel: String { self == .admin ? "Admin token" : "Token" }
}
