import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AnnotationServer
@testable import PreferenceData

/// A sign-in link's GET only shows a confirmation page; its CSRF-checked POST signs in and uses it up, so link
/// previews and mail scanners cannot burn it (issue 14, item 4).
@Suite struct SignInLinkTests {
    /// A server with alice and a fresh sign-in link for her.
    private func makeLink(_ server: TestServer, _ client: any TestClientProtocol) async throws -> String {
        let created = try await client.send(
            .post, "/api/v1/admin/sign-in-links", token: TestServer.adminToken, json: #"{"annotator": "alice"}"#)
        return try #require(try created.json()["url"]?.string)
    }

    @Test func gettingTheLinkTwiceDoesNotUseItUpThenPostingSignsInOnce() async throws {
        let server = try TestServer()
        _ = try await server.addAnnotator("alice")
        try await server.test { client in
            let url = try await makeLink(server, client)
            var page: TestResponse?
            for _ in 0..<2 {
                let response = try await client.send(.get, url)
                #expect(response.status == .ok)
                #expect(response.setCookie(WebSession.sessionCookie) == nil)
                #expect(response.text.contains("<form method=\"post\" action=\"\(url)\""))
                #expect(response.text.contains("Sign in as alice"))
                // Server-rendered like the other pages: the only script is the server's own file.
                #expect(response.text.components(separatedBy: "<script").count == 2)
                #expect(response.text.contains("<script src=\"/static/app.js\" defer></script>"))
                page = response
            }
            let confirmation = try #require(page)
            let csrf = try #require(csrfField(confirmation.text))
            let cookie = "\(WebSession.signInCookie)=\(try #require(confirmation.setCookie(WebSession.signInCookie)))"

            let signedIn = try await client.send(.post, url, form: "csrf=\(formEncoded(csrf))", cookie: cookie)
            #expect(signedIn.status == .seeOther)
            #expect(signedIn.headers[.location] == "/annotate")
            let session = try #require(signedIn.setCookie(WebSession.sessionCookie))
            #expect(
                try await client.send(.get, "/annotate", cookie: "\(WebSession.sessionCookie)=\(session)").status == .ok
            )

            let again = try await client.send(.post, url, form: "csrf=\(formEncoded(csrf))", cookie: cookie)
            #expect(again.status == .unauthorized)
            #expect(again.text.contains("expired or was used already"))
            #expect(again.setCookie(WebSession.sessionCookie) == nil)
        }
    }

    @Test func aPostWithoutTheFormsCSRFTokenNeitherSignsInNorUsesTheLinkUp() async throws {
        let server = try TestServer()
        _ = try await server.addAnnotator("alice")
        try await server.test { client in
            let url = try await makeLink(server, client)
            let page = try await client.send(.get, url)
            let csrf = try #require(csrfField(page.text))
            let cookie = "\(WebSession.signInCookie)=\(try #require(page.setCookie(WebSession.signInCookie)))"

            let noCookie = try await client.send(.post, url, form: "csrf=\(formEncoded(csrf))")
            #expect(noCookie.status == .forbidden)
            #expect(noCookie.setCookie(WebSession.sessionCookie) == nil)
            let mismatch = try await client.send(.post, url, form: "csrf=forged", cookie: cookie)
            #expect(mismatch.status == .forbidden)
            #expect(mismatch.setCookie(WebSession.sessionCookie) == nil)

            #expect(try await signIn(client, link: url) != nil)
        }
    }
}

/// Opens a sign-in link and presses its button; returns the `Cookie` header value of the session.
func signIn(_ client: any TestClientProtocol, link: String) async throws -> String? {
    let page = try await client.send(.get, link)
    guard page.status == .ok, let csrf = csrfField(page.text), let formCookie = page.setCookie(WebSession.signInCookie)
    else {
        return nil
    }
    let response = try await client.send(
        .post, link, form: "csrf=\(formEncoded(csrf))", cookie: "\(WebSession.signInCookie)=\(formCookie)")
    guard response.status == .seeOther, let session = response.setCookie(WebSession.sessionCookie) else { return nil }
    return "\(WebSession.sessionCookie)=\(session)"
}
