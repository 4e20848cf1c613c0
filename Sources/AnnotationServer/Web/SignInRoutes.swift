import Foundation
import Hummingbird
import PreferenceData

/// Signing in and out of the web UI: with a token (a form), with a single-use link from the admin, and out.
struct SignInRoutes {
    let state: ServerState

    func register(on router: Router<AnnotationRequestContext>) {
        router.get("/") { _, _ in WebSession.redirect(to: "/annotate") }

        router.get("sign-in") { request, _ -> Response in
            if try await WebSession.signedIn(request, state: state) != nil { return WebSession.redirect(to: "/annotate") }
            return WebSession.signInPage(state: state, status: .ok)
        }

        router.post("sign-in") { request, _ -> Response in
            let form = try await FormBody.read(request, limit: state.configuration.maximumBodyBytes)
            // Double-submit check: a page of another site can post this form but cannot read or set our cookie.
            guard let cookie = request.cookies[WebSession.signInCookie]?.value, WebSession.csrfMatches(form, expected: cookie) else {
                return WebSession.signInPage(state: state, error: "The sign-in form expired. Please try again.", status: .forbidden)
            }
            let token = (form["token"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty, token.utf8.count <= 512,
                  let annotator = try await state.authenticator.annotator(tokenHash: AccessToken.hash(token)) else {
                return WebSession.signInPage(state: state, error: "That token is not valid.")
            }
            return await signIn(annotator)
        }

        router.get("sign-in/link/:secret") { _, context -> Response in
            let secret = context.parameters.get("secret") ?? ""
            guard let link = await state.sessions.redeemSignInLink(secret, now: state.now()),
                  let annotator = try await state.store.annotator(link.annotatorID), annotator.kind == .human,
                  let hash = annotator.tokenHash, AccessToken.constantTimeEquals(hash, link.tokenHash) else {
                return WebSession.signInPage(state: state, error: "This sign-in link has expired or was used already.")
            }
            return await signIn(annotator)
        }

        router.post("sign-out") { request, _ -> Response in
            guard let signedIn = try await WebSession.signedIn(request, state: state) else {
                return WebSession.redirect(to: "/sign-in")
            }
            let form = try await FormBody.read(request, limit: state.configuration.maximumBodyBytes)
            guard WebSession.csrfMatches(form, expected: signedIn.session.csrfToken) else {
                return WebSession.message("Not signed out", "The form did not come from this page. Reload and try again.",
                                          status: .forbidden, state: state)
            }
            await state.sessions.endSession(id: signedIn.sessionID)
            var response = WebSession.redirect(to: "/sign-in")
            response.setCookie(WebSession.cookie(WebSession.sessionCookie, value: "", maxAge: 0, sameSite: .lax, state: state))
            return response
        }
    }

    /// Starts a session for `annotator` and sends them to their next task.
    private func signIn(_ annotator: Annotator) async -> Response {
        let session = await state.sessions.createSession(for: annotator, now: state.now())
        var response = WebSession.redirect(to: "/annotate")
        response.setCookie(WebSession.cookie(WebSession.sessionCookie, value: session.id,
                                             maxAge: Int(state.configuration.sessionLifetime), sameSite: .lax, state: state))
        // The sign-in form's CSRF cookie has done its job.
        response.setCookie(WebSession.cookie(WebSession.signInCookie, value: "", maxAge: 0, sameSite: .strict, path: "/sign-in", state: state))
        return response
    }
}
