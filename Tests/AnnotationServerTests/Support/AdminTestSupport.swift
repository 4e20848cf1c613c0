import Foundation
import Hummingbird
import HummingbirdTesting

@testable import AnnotationServer

/// Signs the admin in through the admin sign-in form; returns the `Cookie` header value of the admin session.
func adminSignIn(_ client: any TestClientProtocol, token: String = TestServer.adminToken) async throws -> String? {
    let form = try await client.send(.get, "/admin/sign-in")
    guard let csrf = csrfField(form.text), let formCookie = form.setCookie(WebSession.signInCookie) else { return nil }
    let response = try await client.send(
        .post, "/admin/sign-in", form: "csrf=\(formEncoded(csrf))&token=\(formEncoded(token))",
        cookie: "\(WebSession.signInCookie)=\(formCookie)")
    guard response.status == .seeOther, let session = response.setCookie(AdminWebSession.cookie) else { return nil }
    return "\(AdminWebSession.cookie)=\(session)"
}

/// The admin session's CSRF token, read from the dashboard's sign-out form.
func adminCSRF(_ client: any TestClientProtocol, cookie: String) async throws -> String? {
    csrfField(try await client.send(.get, "/admin", cookie: cookie).text)
}

extension String {
    /// How often `needle` occurs.
    func occurrences(of needle: String) -> Int { components(separatedBy: needle).count - 1 }
}
