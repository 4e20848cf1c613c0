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
            let token: String
            let address: String
            switch try await WebSession.signInAttempt(request, context: context, state: state, form: .admin) {
            case .refused(let page): return page
            case .token(let text, let client): (token, address) = (text, client)
            }
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
