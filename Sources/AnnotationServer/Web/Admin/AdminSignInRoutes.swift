import Foundation
import Hummingbird

/// Signing the admin in and out of the web pages with the admin token. The sign-in form carries a CSRF token
/// (double submit, like the annotators' form); failed attempts count against the client's address
/// (`AuthenticationGuard`), so guessing the admin token gets 429 as guessing a person's does.
struct AdminSignInRoutes {
    let state: ServerState

    func register(on router: Router<AnnotationRequestContext>) {
        router.get("admin/sign-in") { request, _ -> Response in
            if await AdminWebSession.signedIn(request, state: state) != nil {
                return WebSession.redirect(to: "/admin")
            }
            return AdminWebSession.signInPage(state: state, status: .ok)
        }

        router.post("admin/sign-in") { request, context -> Response in
            let form = try await FormBody.read(request, limit: state.configuration.maximumBodyBytes)
            guard WebSession.signInCSRFMatches(form, request: request, state: state) else {
                return AdminWebSession.signInPage(
                    state: state, error: "The sign-in form expired. Please try again.", status: .forbidden)
            }
            let address = state.authenticationGuard.clientAddress(request, context: context)
            if case .refused(let retryAfter) = await state.authenticationGuard.check(address, now: state.now()) {
                var response = AdminWebSession.signInPage(
                    state: state, error: "Too many failed sign-ins from your network address. Try again later.",
                    status: .tooManyRequests)
                response.headers[.retryAfter] = String(retryAfter)
                return response
            }
            let token = (form["token"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty, token.utf8.count <= 512,
                AccessToken.constantTimeEquals(AccessToken.hash(token), state.authenticator.adminTokenHash)
            else {
                await state.authenticationGuard.recordFailure(
                    "admin sign-in", address: address, route: "/admin/sign-in", context: context, now: state.now())
                return AdminWebSession.signInPage(state: state, error: "That is not the admin token.")
            }
            let session = await state.sessions.createAdminSession(now: state.now())
            var response = WebSession.redirect(to: "/admin")
            response.setCookie(
                AdminWebSession.sessionCookie(
                    session.id, maxAge: Int(state.configuration.sessionLifetime), state: state))
            response.setCookie(
                WebSession.cookie(state.cookies.signIn, value: "", maxAge: 0, sameSite: .strict, state: state))
            return response
        }

        router.post("admin/sign-out") { request, _ -> Response in
            try await AdminWebSession.post(request, state: state) { admin, _ in
                await state.sessions.endAdminSession(id: admin.sessionID)
                var response = WebSession.redirect(to: "/admin/sign-in")
                response.setCookie(AdminWebSession.sessionCookie("", maxAge: 0, state: state))
                return response
            }
        }
    }
}
