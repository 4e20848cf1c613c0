import Foundation
import Hummingbird
import Testing

@testable import AnnotationServer
@testable import PreferenceData

/// The admin pages' actions: every form needs the admin session's CSRF token, and each does what it says.
@Suite struct AdminPageActionsTests {
    @Test func everyAdminFormNeedsTheCSRFToken() async throws {
        let server = try TestServer()
        let tasks = try server.seed(count: 2)
        let alice = try await server.addAnnotator("alice")
        try await server.test { client in
            let cookie = try #require(try await adminSignIn(client))
            let posts = [
                ("/admin/people", "name=mallory"),
                ("/admin/people/\(alice.annotator.id)/deactivate", ""),
                ("/admin/people/\(alice.annotator.id)/reactivate", ""),
                ("/admin/gold", "task_id=\(tasks[0])&answer=a"),
                ("/admin/assign", "tasks=\(tasks[0])&annotators=alice"),
                ("/admin/guidelines", "markdown=Be+kind"),
                ("/admin/sign-out", ""),
            ]
            for (path, form) in posts {
                for csrf in ["", "&csrf=forged"] {
                    let response = try await client.send(.post, path, form: form + csrf, cookie: cookie)
                    #expect(response.status == .forbidden, "\(path)")
                }
                // Without the admin session: the sign-in page, nothing done.
                #expect(try await client.send(.post, path, form: form).status == .unauthorized, "\(path)")
            }
            #expect(try await server.store.annotator(named: "mallory") == nil)
            #expect(try await server.store.annotator(alice.annotator.id)?.isActive == true)
            #expect(try await server.store.goldTasks().isEmpty)
            #expect(try await server.store.assignees(of: tasks[0]).isEmpty)
            #expect(try await server.store.setting(.guidelines) == nil)
            #expect(try await client.send(.get, "/admin", cookie: cookie).status == .ok)
        }
    }

    @Test func theDashboardAndPeoplePageEscapeNames() async throws {
        let server = try TestServer()
        try server.seed(count: 1)
        let hostile = "<script>alert('x')</script>&\"eve\""
        let eve = try await server.addAnnotator(hostile)
        try await server.test { client in
            let labeller = try await client.send(.get, "/api/v1/tasks/next", token: eve.token)
            let task = try #require(try labeller.json()["task_id"]?.int)
            #expect(
                try await client.send(
                    .post, "/api/v1/labels", token: eve.token, json: #"{"task_id": \#(task), "choice": "a"}"#
                )
                .status == .created)
            let cookie = try #require(try await adminSignIn(client))
            for page in ["/admin", "/admin/people"] {
                let html = try await client.send(.get, page, cookie: cookie).text
                #expect(!html.contains("<script>alert"), "\(page)")
                #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;eve&quot;"), "\(page)")
                #expect(html.occurrences(of: "<script") == 1, "\(page): only the server's own script")
            }
        }
    }

    @Test func addingDeactivatingAndReactivatingPeople() async throws {
        let server = try TestServer()
        let tasks = try server.seed(count: 3)
        let alice = try await server.addAnnotator("alice")
        try await server.test { client in
            let aliceCookie = try #require(try await signIn(client, token: alice.token))
            // Alice holds a task and labels another.
            let first = try await client.send(.get, "/api/v1/tasks/next", token: alice.token)
            let task = try #require(try first.json()["task_id"]?.int)
            #expect(
                try await client.send(
                    .post, "/api/v1/labels", token: alice.token, json: #"{"task_id": \#(task), "choice": "b"}"#
                ).status == .created)
            _ = try await client.send(.get, "/api/v1/tasks/next", token: alice.token)

            let cookie = try #require(try await adminSignIn(client))
            let csrf = try #require(try await adminCSRF(client, cookie: cookie))
            let added = try await client.send(.post, "/admin/people", form: "csrf=\(csrf)&name=bob", cookie: cookie)
            #expect(added.status == .created)
            let token = try #require(
                added.text.range(of: "<code>rlhfa_").map {
                    added.text[$0.lowerBound...].dropFirst(6).prefix { $0 != "<" }
                })
            #expect(try await client.send(.get, "/api/v1/tasks/next", token: String(token)).status == .ok)
            let again = try await client.send(.post, "/admin/people", form: "csrf=\(csrf)&name=bob", cookie: cookie)
            #expect(again.status == .conflict)

            let off = try await client.send(
                .post, "/admin/people/\(alice.annotator.id)/deactivate", form: "csrf=\(csrf)", cookie: cookie)
            #expect(off.status == .seeOther)
            let people = try await client.send(.get, try #require(off.headers[.location]), cookie: cookie)
            #expect(people.text.contains("alice is deactivated."))
            // At once: her token and her web session stop working; her label stays; her held task is free again.
            #expect(try await client.send(.get, "/api/v1/tasks/next", token: alice.token).status == .unauthorized)
            #expect(try await client.send(.get, "/annotate", cookie: aliceCookie).status == .unauthorized)
            #expect(try storedJudgements(server.store).count == 1)
            #expect(
                try server.store.read {
                    try Int.fetchOne(
                        $0, sql: "SELECT count(*) FROM task_lease WHERE annotator_id = ?",
                        arguments: [alice.annotator.id])
                } == 0)
            #expect(try await signIn(client, token: alice.token) == nil)

            let on = try await client.send(
                .post, "/admin/people/\(alice.annotator.id)/reactivate", form: "csrf=\(csrf)", cookie: cookie)
            #expect(on.status == .seeOther)
            #expect(try await client.send(.get, "/api/v1/tasks/next", token: alice.token).status == .ok)
            #expect(tasks.count == 3)
            let unknown = try await client.send(
                .post, "/admin/people/999/deactivate", form: "csrf=\(csrf)", cookie: cookie)
            #expect(unknown.status == .notFound)
        }
    }

    @Test func goldTasksAndAssignmentsFromTheTasksPage() async throws {
        let server = try TestServer()
        let tasks = try server.seed(count: 4)
        let alice = try await server.addAnnotator("alice")
        let bob = try await server.addAnnotator("bob")
        try await server.test { client in
            let cookie = try #require(try await adminSignIn(client))
            let csrf = try #require(try await adminCSRF(client, cookie: cookie))
            let gold = try await client.send(
                .post, "/admin/gold", form: "csrf=\(csrf)&task_id=\(tasks[3])&answer=b", cookie: cookie)
            #expect(gold.status == .seeOther)
            let page = try await client.send(.get, "/admin/tasks", cookie: cookie)
            #expect(page.text.contains("<td>\(tasks[3])</td><td>b</td>"))
            #expect(
                try await client.send(.post, "/admin/gold", form: "csrf=\(csrf)&task_id=999&answer=a", cookie: cookie)
                    .status == .notFound)
            #expect(
                try await client.send(.post, "/admin/gold", form: "csrf=\(csrf)&task_id=x&answer=a", cookie: cookie)
                    .status == .badRequest)

            // Tasks 1-2 for bob only.
            let assigned = try await client.send(
                .post, "/admin/assign", form: "csrf=\(csrf)&tasks=\(tasks[0])-\(tasks[1])&annotators=bob",
                cookie: cookie)
            #expect(assigned.status == .seeOther)
            #expect(try await server.store.assignees(of: tasks[0]) == [bob.annotator.id])
            let next = try await client.send(.get, "/api/v1/tasks/next", token: alice.token)
            #expect(try next.json()["task_id"]?.int == Int(tasks[2].rawValue))
            let bad = try await client.send(
                .post, "/admin/assign", form: "csrf=\(csrf)&tasks=1-x&annotators=", cookie: cookie)
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains("is not a task id or a range"))
            let nobody = try await client.send(
                .post, "/admin/assign", form: "csrf=\(csrf)&tasks=1&annotators=carol", cookie: cookie)
            #expect(nobody.status == .notFound)
            // "Everyone" again.
            _ = try await client.send(
                .post, "/admin/assign", form: "csrf=\(csrf)&tasks=\(tasks[0])&annotators=", cookie: cookie)
            #expect(try await server.store.assignees(of: tasks[0]).isEmpty)
        }
    }

    @Test func guidelinesAreStoredAndRenderedAsSafeMarkdown() async throws {
        let server = try TestServer()
        let alice = try await server.addAnnotator("alice")
        try await server.test { client in
            let cookie = try #require(try await adminSignIn(client))
            let csrf = try #require(try await adminCSRF(client, cookie: cookie))
            let aliceCookie = try #require(try await signIn(client, token: alice.token))
            #expect(
                try await client.send(.get, "/guidelines", cookie: aliceCookie).text.contains("Avoid common biases"))

            let markdown = """
                # Our rules
                Prefer **correct** over *long*; see `policy.md`.
                - <script>alert(1)</script>
                - <img src=x onerror=alert(2)> [link](javascript:alert(3))
                """
            let saved = try await client.send(
                .post, "/admin/guidelines", form: "csrf=\(csrf)&markdown=\(formEncoded(markdown))", cookie: cookie)
            #expect(saved.status == .seeOther)
            #expect(try await server.store.setting(.guidelines) == markdown)
            for (page, pageCookie) in [("/guidelines", aliceCookie), ("/admin/guidelines", cookie)] {
                let html = try await client.send(.get, page, cookie: pageCookie).text
                #expect(html.contains("<h1>Our rules</h1>"), "\(page)")
                #expect(html.contains("<strong>correct</strong>") && html.contains("<em>long</em>"), "\(page)")
                #expect(html.contains("<code>policy.md</code>"), "\(page)")
                #expect(html.contains("<li>&lt;script&gt;alert(1)&lt;/script&gt;</li>"), "\(page)")
                #expect(!html.contains("<img") && !html.contains("<a href=\"javascript"), "\(page)")
                #expect(html.occurrences(of: "<script") == 1, "\(page)")
            }
            // An empty text brings the built-in guidelines back.
            _ = try await client.send(.post, "/admin/guidelines", form: "csrf=\(csrf)&markdown=", cookie: cookie)
            #expect(try await server.store.setting(.guidelines) == nil)
            #expect(
                try await client.send(.get, "/guidelines", cookie: aliceCookie).text.contains("Avoid common biases"))
        }
    }

    @Test func exportFromThePageInEveryFormat() async throws {
        let server = try TestServer()
        let tasks = try server.seed(count: 3)
        let alice = try await server.addAnnotator("alice")
        try await server.test { client in
            for choice in ["a", "b", "tie"] {
                let next = try await client.send(.get, "/api/v1/tasks/next", token: alice.token)
                let task = try #require(try next.json()["task_id"]?.int)
                _ = try await client.send(
                    .post, "/api/v1/labels", token: alice.token, json: #"{"task_id": \#(task), "choice": "\#(choice)"}"#
                )
            }
            let cookie = try #require(try await adminSignIn(client))
            let native = try await client.send(.get, "/admin/export?format=native", cookie: cookie)
            #expect(native.status == .ok)
            #expect(native.headers[.contentType] == "application/x-ndjson; charset=utf-8")
            #expect(native.text.split(separator: "\n").count == tasks.count)
            // Pairs: the tie is dropped; the chosen response is the one labelled better.
            let pairs = try await client.send(.get, "/admin/export?format=pairs", cookie: cookie)
            let pairLines = pairs.text.split(separator: "\n")
            #expect(pairLines.count == 2)
            #expect(pairLines.first?.contains(#""chosen":"answer 0 A""#) == true)
            #expect(pairLines.last?.contains(#""chosen":"answer 1 B""#) == true)
            let hh = try await client.send(.get, "/admin/export?format=hh", cookie: cookie)
            #expect(hh.text.split(separator: "\n").count == 2)
            #expect(hh.text.contains("\\n\\nHuman: prompt 0"))
            #expect(try await client.send(.get, "/admin/export?format=csv", cookie: cookie).status == .badRequest)
            #expect(
                try await client.send(.get, "/admin/export?format=pairs&split=nope", cookie: cookie).status
                    == .notFound)
        }
    }
}
