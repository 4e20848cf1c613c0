import Foundation
import Hummingbird
import Testing

@testable import AnnotationServer
@testable import PreferenceData

@Suite struct WebPageTests {
    @Test func pagesNeedASignInAndShowTheSignInForm() async throws {
        let server = try TestServer()
        try await server.test { client in
            for uri in ["/annotate", "/guidelines"] {
                let response = try await client.send(.get, uri)
                #expect(response.status == .unauthorized, "\(uri)")
                #expect(response.text.contains("<form method=\"post\" action=\"/sign-in\""))
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            }
            #expect(
                try await client.send(.get, "/annotate", cookie: "\(WebSession.sessionCookie)=forged").status
                    == .unauthorized)
            let root = try await client.send(.get, "/")
            #expect(root.status == .seeOther)
            #expect(root.headers[.location] == "/annotate")
        }
    }

    @Test func signInNeedsTheFormsCSRFTokenAndAValidToken() async throws {
        let server = try TestServer()
        let alice = try await server.addAnnotator("alice")
        try await server.test { client in
            let page = try await client.send(.get, "/sign-in")
            #expect(page.status == .ok)
            let csrf = try #require(csrfField(page.text))
            let cookie = try #require(page.setCookie(WebSession.signInCookie))
            #expect(csrf == cookie)
            let header = try #require(page.setCookieHeader(WebSession.signInCookie))
            #expect(header.contains("HttpOnly") && header.contains("SameSite=Strict"))

            // A post from elsewhere has no cookie, or a field that does not match it.
            let noCookie = try await client.send(.post, "/sign-in", form: "csrf=\(csrf)&token=\(alice.token)")
            #expect(noCookie.status == .forbidden)
            #expect(noCookie.setCookie(WebSession.sessionCookie) == nil)
            let mismatch = try await client.send(
                .post, "/sign-in", form: "csrf=other&token=\(alice.token)",
                cookie: "\(WebSession.signInCookie)=\(cookie)")
            #expect(mismatch.status == .forbidden)

            let wrongToken = try await client.send(
                .post, "/sign-in", form: "csrf=\(csrf)&token=rlhfa_wrong",
                cookie: "\(WebSession.signInCookie)=\(cookie)")
            #expect(wrongToken.status == .unauthorized)
            #expect(wrongToken.text.contains("That token is not valid."))

            let good = try await client.send(
                .post, "/sign-in", form: "csrf=\(csrf)&token=\(alice.token)",
                cookie: "\(WebSession.signInCookie)=\(cookie)")
            #expect(good.status == .seeOther)
            let session = try #require(good.setCookieHeader(WebSession.sessionCookie))
            #expect(session.contains("HttpOnly") && session.contains("SameSite=Lax") && session.contains("Path=/"))
        }
    }

    @Test func theAnnotationPageEscapesWhatItShows() async throws {
        let server = try TestServer()
        try server.seed(
            [
                (
                    "Show me <b>bold</b> & \"quotes\"",
                    ["<script>alert(1)</script>", "Here:\n```html\n<img src=x onerror=alert(2)>\n```\nDone."]
                )
            ],
            context: [
                Turn(role: .user, content: "<iframe src=\"https://evil.example\"></iframe>"),
                Turn(role: .assistant, content: "line one\nline two"),
            ])
        let alice = try await server.addAnnotator("alice")
        try await server.test { client in
            let cookie = try #require(try await signIn(client, token: alice.token))
            let page = try await client.send(.get, "/annotate", cookie: cookie)
            #expect(page.status == .ok)
            let html = page.text
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!html.contains("<script>alert(1)"))
            #expect(html.contains("&lt;img src=x onerror=alert(2)&gt;"))
            #expect(!html.contains("<img"))
            #expect(html.contains("&lt;iframe src=&quot;https://evil.example&quot;&gt;&lt;/iframe&gt;"))
            #expect(!html.contains("<iframe"))
            #expect(html.contains("Show me &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quotes&quot;"))
            // The only script is the server's own; code stays a code block, prose keeps its line break.
            #expect(html.components(separatedBy: "<script").count == 2)
            #expect(html.contains("<script src=\"/static/app.js\" defer></script>"))
            #expect(html.contains("<pre class=\"code\" data-language=\"html\"><code>&lt;img"))
            #expect(html.contains("<div class=\"prose\">line one\nline two</div>"))
            #expect(page.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
        }
    }

    @Test func thePageShowsTheTaskTheFormDimensionsShortcutsAndProgress() async throws {
        let server = try TestServer()
        let tasks = try server.seed(count: 3)
        let alice = try await server.addAnnotator("alice")
        try await server.test { client in
            let cookie = try #require(try await signIn(client, token: alice.token))
            let html = try await client.send(.get, "/annotate", cookie: cookie).text
            #expect(html.contains("answer 0 A") && html.contains("answer 0 B"))
            #expect(html.contains("name=\"task_id\" value=\"\(tasks[0])\""))
            for name in ["overall", "helpfulness", "safety", "fluency"] {
                #expect(html.contains("name=\"\(name)\" value=\"both_bad\""), "\(name)")
            }
            #expect(html.contains("0 labelled · 3 open"))
            #expect(html.contains("Keyboard shortcuts"))
            #expect(html.contains("href=\"/guidelines\""))
            #expect(csrfField(html) != nil)
            // Reloading shows the same task (it is held for alice).
            #expect(
                try await client.send(.get, "/annotate", cookie: cookie).text.contains(
                    "name=\"task_id\" value=\"\(tasks[0])\""))
        }
    }

    @Test func labellingThroughTheFormNeedsTheSessionsCSRFToken() async throws {
        let server = try TestServer()
        let tasks = try server.seed(count: 2)
        let alice = try await server.addAnnotator("alice")
        try await server.test { client in
            let cookie = try #require(try await signIn(client, token: alice.token))
            let csrf = try #require(csrfField(try await client.send(.get, "/annotate", cookie: cookie).text))
            let fields = "task_id=\(tasks[0])&overall=b&helpfulness=b&safety=&fluency=tie&comment=clear+winner"

            let forged = try await client.send(.post, "/annotate", form: fields, cookie: cookie)
            #expect(forged.status == .forbidden)
            let wrong = try await client.send(.post, "/annotate", form: fields + "&csrf=guess", cookie: cookie)
            #expect(wrong.status == .forbidden)
            #expect(try storedJudgements(server.store).isEmpty)
            #expect(try await client.send(.post, "/annotate", form: fields + "&csrf=\(csrf)").status == .unauthorized)

            let saved = try await client.send(
                .post, "/annotate", form: fields + "&csrf=\(formEncoded(csrf))", cookie: cookie)
            #expect(saved.status == .seeOther)
            #expect(saved.headers[.location] == "/annotate?saved=1")
            let next = try await client.send(.get, "/annotate?saved=1", cookie: cookie).text
            #expect(next.contains("Saved."))
            #expect(next.contains("name=\"task_id\" value=\"\(tasks[1])\""))
            #expect(next.contains("1 labelled · 1 open"))

            let twice = try await client.send(
                .post, "/annotate", form: fields + "&csrf=\(formEncoded(csrf))", cookie: cookie)
            #expect(twice.status == .conflict)
            let missing = try await client.send(
                .post, "/annotate", form: "task_id=\(tasks[1])&csrf=\(formEncoded(csrf))", cookie: cookie)
            #expect(missing.status == .badRequest)
            #expect(missing.text.contains("Choose which response is better overall"))
        }
        let judgement = try #require(try storedJudgements(server.store).first)
        #expect(judgement.overall == .b)
        #expect(judgement.dimensions == [.helpfulness: .b, .fluency: .tie])
        #expect(judgement.comment == "clear winner")
    }

    @Test func theGuidelinesAllDonePageAndSigningOut() async throws {
        let server = try TestServer()
        let alice = try await server.addAnnotator("alice")
        try await server.test { client in
            let cookie = try #require(try await signIn(client, token: alice.token))
            let guidelines = try await client.send(.get, "/guidelines", cookie: cookie)
            #expect(guidelines.status == .ok)
            #expect(guidelines.text.contains("Annotation guidelines"))
            #expect(guidelines.text.contains("Both bad"))
            let done = try await client.send(.get, "/annotate", cookie: cookie)
            #expect(done.text.contains("Nothing left to label"))

            let csrf = try #require(csrfField(done.text))
            #expect(try await client.send(.post, "/sign-out", form: "csrf=wrong", cookie: cookie).status == .forbidden)
            let out = try await client.send(.post, "/sign-out", form: "csrf=\(formEncoded(csrf))", cookie: cookie)
            #expect(out.status == .seeOther)
            #expect(try await client.send(.get, "/annotate", cookie: cookie).status == .unauthorized)
        }
    }

    @Test func sessionsExpireAndEndWhenTheTokenIsReplaced() async throws {
        let server = try TestServer { $0.sessionLifetime = 3600 }
        let alice = try await server.addAnnotator("alice")
        let bob = try await server.addAnnotator("bob")
        try await server.test { client in
            let aliceCookie = try #require(try await signIn(client, token: alice.token))
            let bobCookie = try #require(try await signIn(client, token: bob.token))
            try server.store.addAnnotator(
                name: "bob", kind: .human, tokenHash: AccessToken.hash(AccessToken.generate()))
            #expect(try await client.send(.get, "/annotate", cookie: bobCookie).status == .unauthorized)
            #expect(try await client.send(.get, "/annotate", cookie: aliceCookie).status == .ok)
            server.clock.advance(by: 3601)
            #expect(try await client.send(.get, "/annotate", cookie: aliceCookie).status == .unauthorized)
        }
    }

    @Test func oversizedFormsAreRefused() async throws {
        let server = try TestServer()
        try await server.test { client in
            let response = try await client.send(
                .post, "/sign-in", form: "token=" + String(repeating: "a", count: 100_000))
            #expect(response.status == .contentTooLarge)
        }
    }

    @Test func staticAssetsArePublic() async throws {
        let server = try TestServer()
        try await server.test { client in
            let css = try await client.send(.get, "/static/app.css")
            #expect(css.status == .ok)
            #expect(css.headers[.contentType] == "text/css; charset=utf-8")
            let js = try await client.send(.get, "/static/app.js")
            #expect(js.status == .ok)
            #expect(js.text.contains("keydown"))
        }
    }
}
