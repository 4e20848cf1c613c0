import Foundation
import Hummingbird
import Testing

@testable import AnnotationServer
@testable import PreferenceData

/// The admin's web sign-in: the admin token through a CSRF-protected form, a session of its own.
@Suite struct AdminSignInTests {
    static let pages = ["/admin", "/admin/people", "/admin/tasks", "/admin/guidelines", "/admin/export"]

    @Test func everyAdminPageNeedsTheAdminSignIn() async throws {
        let server = try TestServer()
        let alice = try await server.addAnnotator("alice")
        try await server.test { client in
            let annotatorCookie = try #require(try await signIn(client, token: alice.token))
            for page in Self.pages {
                for cookie in [nil, annotatorCookie, "\(AdminWebSession.cookie)=forged"] {
                    let response = try await client.send(.get, page, cookie: cookie)
                    #expect(response.status == .unauthorized, "\(page) with \(cookie ?? "no cookie")")
                    #expect(response.text.contains("<form method=\"post\" action=\"/admin/sign-in\""))
                }
            }
            let cookie = try #require(try await adminSignIn(client))
            for page in Self.pages {
                #expect(try await client.send(.get, page, cookie: cookie).status == .ok, "\(page)")
            }
            // The admin's session is no annotator's: the annotation page still wants a person.
            #expect(try await client.send(.get, "/annotate", cookie: cookie).status == .unauthorized)
        }
    }

    @Test func signInNeedsTheFormsCSRFTokenAndTheAdminToken() async throws {
        let server = try TestServer()
        let alice = try await server.addAnnotator("alice")
        try await server.test { client in
            let page = try await client.send(.get, "/admin/sign-in")
            #expect(page.status == .ok)
            let csrf = try #require(csrfField(page.text))
            let formCookie = "\(WebSession.signInCookie)=\(try #require(page.setCookie(WebSession.signInCookie)))"
            let token = formEncoded(TestServer.adminToken)

            let noCookie = try await client.send(.post, "/admin/sign-in", form: "csrf=\(csrf)&token=\(token)")
            #expect(noCookie.status == .forbidden)
            #expect(noCookie.setCookie(AdminWebSession.cookie) == nil)
            let mismatch = try await client.send(
                .post, "/admin/sign-in", form: "csrf=other&token=\(token)", cookie: formCookie)
            #expect(mismatch.status == .forbidden)
            for wrong in ["rlhfadmin_wrong", alice.token] {
                let response = try await client.send(
                    .post, "/admin/sign-in", form: "csrf=\(csrf)&token=\(formEncoded(wrong))", cookie: formCookie)
                #expect(response.status == .unauthorized)
                #expect(response.text.contains("That is not the admin token."))
                #expect(response.setCookie(AdminWebSession.cookie) == nil)
            }
            let good = try await client.send(
                .post, "/admin/sign-in", form: "csrf=\(csrf)&token=\(token)", cookie: formCookie)
            #expect(good.status == .seeOther)
            #expect(good.headers[.location] == "/admin")
            let header = try #require(good.setCookieHeader(AdminWebSession.cookie))
            #expect(header.contains("HttpOnly") && header.contains("SameSite=Strict") && header.contains("Path=/"))
        }
    }

    @Test func failedAdminSignInsAreThrottled() async throws {
        let server = try TestServer { $0.failedAuthenticationLimit = 3 }
        try await server.test { client in
            let page = try await client.send(.get, "/admin/sign-in")
            let csrf = try #require(csrfField(page.text))
            let formCookie = "\(WebSession.signInCookie)=\(try #require(page.setCookie(WebSession.signInCookie)))"
            for _ in 0..<3 {
                let response = try await client.send(
                    .post, "/admin/sign-in", form: "csrf=\(csrf)&token=guess", cookie: formCookie)
                #expect(response.status == .unauthorized)
            }
            // Refused even with the right token while the window lasts.
            let refused = try await client.send(
                .post, "/admin/sign-in", form: "csrf=\(csrf)&token=\(formEncoded(TestServer.adminToken))",
                cookie: formCookie)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.retryAfter] != nil)
        }
    }

    @Test func signingOutNeedsTheCSRFTokenAndEndsTheSession() async throws {
        let server = try TestServer()
        try await server.test { client in
            let cookie = try #require(try await adminSignIn(client))
            let csrf = try #require(try await adminCSRF(client, cookie: cookie))
            let forged = try await client.send(.post, "/admin/sign-out", form: "csrf=forged", cookie: cookie)
            #expect(forged.status == .forbidden)
            #expect(try await client.send(.get, "/admin", cookie: cookie).status == .ok)
            let out = try await client.send(.post, "/admin/sign-out", form: "csrf=\(csrf)", cookie: cookie)
            #expect(out.status == .seeOther)
            #expect(out.headers[.location] == "/admin/sign-in")
            #expect(try await client.send(.get, "/admin", cookie: cookie).status == .unauthorized)
        }
    }
}
