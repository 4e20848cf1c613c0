import Foundation
import Hummingbird
import PreferenceData

/// Signing in and out of the web UI: with a token (a form), with a single-use link from the admin, and out.
///
/// A sign-in link's `GET` only shows a confirmation page; its `POST` (CSRF-checked) signs in and uses the link up,
/// so mail scanners and chat link previews that fetch the link neither sign in nor burn it. Failed sign-ins count
/// against the client's address (`AuthenticationGuard`): past the limit every attempt gets 429.
struct SignInRoutes {
    let state: ServerState

    private static let expiredLink = "This sign-in link has expired or was used already."

    func register(on router: Router<AnnotationRequestContext>) {
        router.get("/") { _, _ in WebSession.redirect(to: "/annotate") }

        router.get("sign-in") { request, _ -> Response in
            if try await WebSession.signedIn(request, state: state) != nil {
                return WebSession.redirect(to: "/annotate")
            }
            return WebSession.signInPage(state: state, status: .ok)
        }

        router.post("sign-in") { request, context -> Response in
            let token: String
            let address: String
            switch try await WebSession.signInAttempt(request, context: context, state: state, form: .annotator) {
            case .refused(let page): return page
            case .token(let text, let client): (token, address) = (text, client)
            }
            guard !token.isEmpty, token.utf8.count <= 512,
                let annotator = try await state.authenticator.annotator(tokenHash: AccessToken.hash(token))
            else {
                await state.authenticationGuard.recordFailure(
                    "sign-in token", address: address, route: "/sign-in",
                    context: context, now: state.now())
                return WebSession.signInPage(state: state, error: "That token is not valid.")
            }
            return await signIn(annotator)
        }

        router.get("sign-in/link/:secret") { request, context -> Response in
            let secret = context.parameters.get("secret") ?? ""
            let address = state.authenticationGuard.clientAddress(request, context: context)
            if case .refused(let retryAfter) = await state.authenticationGuard.check(address, now: state.now()) {
                return WebSession.tooManyAttemptsPage(retryAfter: retryAfter, state: state)
            }
            guard let annotator = try await linkedAnnotator(secret, redeem: false) else {
                await state.authenticationGuard.recordFailure(
                    "sign-in link", address: address, route: "/sign-in/link/:secret",
                    context: context, now: state.now())
                return WebSession.signInPage(state: state, error: Self.expiredLink)
            }
            return confirmationPage(secret: secret, annotator: annotator, error: nil, status: .ok)
        }

        router.post("sign-in/link/:secret") { request, context -> Response in
            let secret = context.parameters.get("secret") ?? ""
            let form = try await FormBody.read(request, limit: state.configuration.maximumBodyBytes)
            let address = state.authenticationGuard.clientAddress(request, context: context)
            if case .refused(let retryAfter) = await state.authenticationGuard.check(address, now: state.now()) {
                return WebSession.tooManyAttemptsPage(retryAfter: retryAfter, state: state)
            }
            guard WebSession.signInCSRFMatches(form, request: request, state: state) else {
                // The link stays unused: a forged post must not burn it. Offer the button again.
                guard let annotator = try await linkedAnnotator(secret, redeem: false) else {
                    return WebSession.signInPage(state: state, error: Self.expiredLink)
                }
                return confirmationPage(
                    secret: secret, annotator: annotator,
                    error: "The sign-in form expired. Please press the button again.",
                    status: .forbidden)
            }
            guard let annotator = try await linkedAnnotator(secret, redeem: true) else {
                await state.authenticationGuard.recordFailure(
                    "sign-in link", address: address, route: "/sign-in/link/:secret",
                    context: context, now: state.now())
                return WebSession.signInPage(state: state, error: Self.expiredLink)
            }
            return await signIn(annotator)
        }

        router.post("sign-out") { request, _ -> Response in
            guard let signedIn = try await WebSession.signedIn(request, state: state) else {
                return WebSession.redirect(to: "/sign-in")
            }
            let form = try await FormBody.read(request, limit: state.configuration.maximumBodyBytes)
            guard WebSession.csrfMatches(form, expected: signedIn.session.csrfToken) else {
                return WebSession.message(
                    "Not signed out", "The form did not come from this page. Reload and try again.",
                    status: .forbidden, state: state)
            }
            await state.sessions.endSession(id: signedIn.sessionID)
            var response = WebSession.redirect(to: "/sign-in")
            response.setCookie(
                WebSession.cookie(state.cookies.session, value: "", maxAge: 0, sameSite: .lax, state: state))
            return response
        }
    }

    /// The person an unexpired, unused link with `secret` signs in, if they can still sign in with the token they
    /// had when it was made; `redeem` uses the link up.
    private func linkedAnnotator(_ secret: String, redeem: Bool) async throws -> Annotator? {
        let now = state.now()
        let link =
            await
            (redeem ? state.sessions.redeemSignInLink(secret, now: now) : state.sessions.signInLink(secret, now: now))
        guard let link, let annotator = try await state.store.annotator(link.annotatorID), annotator.kind == .human,
            annotator.isActive, let hash = annotator.tokenHash, AccessToken.constantTimeEquals(hash, link.tokenHash)
        else { return nil }
        return annotator
    }

    /// The page of a sign-in link: a button that posts back to it, with a fresh CSRF cookie for the form.
    private func confirmationPage(secret: String, annotator: Annotator, error: String?, status: HTTPResponse.Status)
        -> Response
    {
        let csrf = AccessToken.generate(prefix: "")
        let page = SignInLinkPage(csrf: csrf, name: annotator.name, action: "/sign-in/link/\(secret)", error: error)
        var response = state.pages.response("sign_in_link", page, status: status)
        response.setCookie(WebSession.signInFormCookie(csrf, state: state))
        return response
    }

    /// Starts a session for `annotator` and sends them to their next task.
    private func signIn(_ annotator: Annotator) async -> Response {
        let session = await state.sessions.createSession(for: annotator, now: state.now())
        var response = WebSession.redirect(to: "/annotate")
        response.setCookie(
            WebSession.cookie(
                state.cookies.session, value: session.id,
                maxAge: Int(state.configuration.sessionLifetime), sameSite: .lax, state: state))
        // The sign-in form's CSRF cookie has done its job.
        response.setCookie(
            WebSession.cookie(state.cookies.signIn, value: "", maxAge: 0, sameSite: .strict, state: state))
        return response
    }
}
