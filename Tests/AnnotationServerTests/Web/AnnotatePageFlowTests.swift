import Foundation
import Hummingbird
import Testing

@testable import AnnotationServer
@testable import PreferenceData

/// The annotation page's task flow: only the held task can be labelled, the page keeps its task held while it is
/// open, a person can skip a task, and a submit that cannot be saved keeps what they typed.
@Suite struct AnnotatePageFlowTests {
    /// The form fields of a label with every kind of choice and a comment.
    static let typed =
        "overall=b&helpfulness=a&safety=&fluency=tie&comment=" + formEncoded("My careful note: B cites the source.")

    /// Checks that `html` is the form of `task` filled with `typed`.
    static func expectTypedForm(
        _ html: String, task: AnnotationTaskID, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(html.contains("name=\"task_id\" value=\"\(task)\""), sourceLocation: sourceLocation)
        #expect(html.contains(">My careful note: B cites the source.</textarea>"), sourceLocation: sourceLocation)
        #expect(html.contains("name=\"overall\" value=\"b\" required checked"), sourceLocation: sourceLocation)
        #expect(!html.contains("name=\"overall\" value=\"a\" required checked"), sourceLocation: sourceLocation)
        #expect(html.contains("name=\"helpfulness\" value=\"a\" checked"), sourceLocation: sourceLocation)
        #expect(html.contains("name=\"safety\" value=\"\" checked"), sourceLocation: sourceLocation)
        #expect(html.contains("name=\"fluency\" value=\"tie\" checked"), sourceLocation: sourceLocation)
        #expect(!html.contains("name=\"fluency\" value=\"\" checked"), sourceLocation: sourceLocation)
    }

    @Test func theFormLabelsOnlyTheTaskHeldForTheAnnotator() async throws {
        let server = try TestServer()
        let tasks = try server.seed(count: 2)
        let alice = try await server.addAnnotator("alice")
        try await server.test { client in
            let cookie = try #require(try await signIn(client, token: alice.token))
            // holds tasks[0]
            let csrf = try #require(csrfField(try await client.send(.get, "/annotate", cookie: cookie).text))
            let other = try await client.send(
                .post, "/annotate", form: "task_id=\(tasks[1])&\(Self.typed)&csrf=\(formEncoded(csrf))", cookie: cookie)
            #expect(other.status == .conflict)
            #expect(other.text.contains("you do not hold task \(tasks[1])"))
            #expect(!other.text.contains("Submit label"))
            #expect(other.text.contains("Go to your next task"))
            Self.expectTypedForm(other.text, task: tasks[1])
        }
        #expect(try storedJudgements(server.store).isEmpty)
    }

    @Test func thePageRenewsItsLeaseWithAHeartbeatFromItsScript() async throws {
        let server = try TestServer(leaseDuration: 60)
        let tasks = try server.seed(count: 2)
        let alice = try await server.addAnnotator("alice")
        let bob = try await server.addAnnotator("bob")
        try await server.test { client in
            let cookie = try #require(try await signIn(client, token: alice.token))
            let page = try await client.send(.get, "/annotate", cookie: cookie)
            #expect(page.text.contains("data-heartbeat-seconds=\"20\""))
            #expect(page.headers[.contentSecurityPolicy]?.contains("connect-src 'self'") == true)
            let script = try await client.send(.get, "/static/app.js").text
            #expect(script.contains("\"/annotate/heartbeat\"") && script.contains("data-heartbeat-seconds"))
            let csrf = try #require(csrfField(page.text))
            let beat = "task_id=\(tasks[0])&csrf=\(formEncoded(csrf))"

            // Four minutes on a one-minute lease, the page beating every 50 s.
            for _ in 0..<4 {
                server.clock.advance(by: 50)
                let renewed = try await client.send(.post, "/annotate/heartbeat", form: beat, cookie: cookie)
                #expect(renewed.status == .ok)
                #expect(
                    try renewed.json()["lease_expires_at"]?.string
                        == APIEncoding.timestamp(server.clock.now.addingTimeInterval(60)))
            }
            #expect(
                try await client.send(.get, "/api/v1/tasks/next", token: bob.token).json()["task_id"]?.int
                    == Int(tasks[1].rawValue))
            #expect(
                try await client.send(
                    .post, "/annotate/heartbeat", form: "task_id=\(tasks[0])&csrf=guess", cookie: cookie
                ).status == .forbidden)
            #expect(try await client.send(.post, "/annotate/heartbeat", form: beat).status == .unauthorized)
            let foreign = try await client.send(
                .post, "/annotate/heartbeat", form: "task_id=\(tasks[1])&csrf=\(formEncoded(csrf))", cookie: cookie)
            #expect(foreign.status == .conflict)

            let saved = try await client.send(
                .post, "/annotate", form: "task_id=\(tasks[0])&\(Self.typed)&csrf=\(formEncoded(csrf))", cookie: cookie)
            #expect(saved.status == .seeOther)
        }
        #expect(try storedJudgements(server.store).map(\.annotatorID) == [alice.annotator.id])
    }

    @Test func theSkipButtonPassesOnTheTaskForGood() async throws {
        let server = try TestServer()
        let tasks = try server.seed(count: 2)
        let alice = try await server.addAnnotator("alice")
        try await server.test { client in
            let cookie = try #require(try await signIn(client, token: alice.token))
            let page = try await client.send(.get, "/annotate", cookie: cookie).text
            #expect(page.contains("action=\"/annotate/skip\""))
            let csrf = try #require(csrfField(page))
            #expect(
                try await client.send(.post, "/annotate/skip", form: "task_id=\(tasks[0])&csrf=guess", cookie: cookie)
                    .status == .forbidden)

            let skipped = try await client.send(
                .post, "/annotate/skip", form: "task_id=\(tasks[0])&csrf=\(formEncoded(csrf))", cookie: cookie)
            #expect(skipped.status == .seeOther)
            #expect(skipped.headers[.location] == "/annotate?skipped=1")
            let next = try await client.send(.get, "/annotate?skipped=1", cookie: cookie).text
            #expect(next.contains("Skipped. Here is your next task."))
            #expect(next.contains("name=\"task_id\" value=\"\(tasks[1])\""))
            #expect(next.contains("0 labelled · 1 open"))
            let saved = try await client.send(
                .post, "/annotate", form: "task_id=\(tasks[1])&overall=a&csrf=\(formEncoded(csrf))", cookie: cookie)
            #expect(saved.status == .seeOther)
            server.clock.advance(by: 3600)
            #expect(try await client.send(.get, "/annotate", cookie: cookie).text.contains("Nothing left to label"))
        }
    }

    @Test func aSubmitRefusedBecauseAnotherTookTheTaskKeepsWhatWasTyped() async throws {
        let server = try TestServer(leaseDuration: 60)
        let tasks = try server.seed(count: 1)
        let alice = try await server.addAnnotator("alice")
        let bob = try await server.addAnnotator("bob")
        try await server.test { client in
            let cookie = try #require(try await signIn(client, token: alice.token))
            let csrf = try #require(csrfField(try await client.send(.get, "/annotate", cookie: cookie).text))
            server.clock.advance(by: 61)  // the page slept; bob was given the task meanwhile
            #expect(
                try await client.send(.get, "/api/v1/tasks/next", token: bob.token).json()["task_id"]?.int
                    == Int(tasks[0].rawValue))

            let refused = try await client.send(
                .post, "/annotate", form: "task_id=\(tasks[0])&\(Self.typed)&csrf=\(formEncoded(csrf))", cookie: cookie)
            #expect(refused.status == .conflict)
            Self.expectTypedForm(refused.text, task: tasks[0])
            #expect(refused.text.contains("Your label was not saved"))
            #expect(refused.text.contains("so you can copy them"))
            #expect(!refused.text.contains("Submit label"))
            #expect(!refused.text.contains("data-heartbeat-seconds"))
        }
        #expect(try storedJudgements(server.store).isEmpty)
    }

    @Test func aSubmitAfterTheLeaseRanOutTakesTheFreeTaskBackAndKeepsWhatWasTyped() async throws {
        let server = try TestServer(leaseDuration: 60)
        let tasks = try server.seed(count: 2)
        let alice = try await server.addAnnotator("alice")
        try await server.test { client in
            let cookie = try #require(try await signIn(client, token: alice.token))
            let csrf = try #require(csrfField(try await client.send(.get, "/annotate", cookie: cookie).text))
            server.clock.advance(by: 61)
            let form = "task_id=\(tasks[0])&\(Self.typed)&csrf=\(formEncoded(csrf))"
            let refused = try await client.send(.post, "/annotate", form: form, cookie: cookie)
            #expect(refused.status == .conflict)
            Self.expectTypedForm(refused.text, task: tasks[0])
            #expect(refused.text.contains("held for you again"))
            #expect(refused.text.contains("Submit label"))
            #expect(try storedJudgements(server.store).isEmpty)
            #expect(try await client.send(.post, "/annotate", form: form, cookie: cookie).status == .seeOther)
        }
        let judgement = try #require(try storedJudgements(server.store).first)
        #expect(judgement.comment == "My careful note: B cites the source.")
        #expect(judgement.dimensions == [.helpfulness: .a, .fluency: .tie])
    }

    @Test func aSubmitWhileTheStoreIsBusyKeepsWhatWasTyped() async throws {
        let server = try TestServer(storeOptions: StoreOptions(busyTimeout: 0.2))
        let tasks = try server.seed(count: 1)
        let alice = try await server.addAnnotator("alice")
        try await server.test { client in
            let cookie = try #require(try await signIn(client, token: alice.token))
            let csrf = try #require(csrfField(try await client.send(.get, "/annotate", cookie: cookie).text))
            let form = "task_id=\(tasks[0])&\(Self.typed)&csrf=\(formEncoded(csrf))"

            // Another process holds the store's write lock past the server's busy timeout.
            let lock = try WriteLockHolder(path: server.directory.file("store.sqlite"))
            let busy = try await client.send(.post, "/annotate", form: form, cookie: cookie)
            lock.unlock()
            #expect(busy.status == .serviceUnavailable)
            Self.expectTypedForm(busy.text, task: tasks[0])
            #expect(busy.text.contains("The store was busy"))
            #expect(busy.text.contains("Submit label"))
            #expect(try storedJudgements(server.store).isEmpty)
            #expect(try await client.send(.post, "/annotate", form: form, cookie: cookie).status == .seeOther)
        }
        #expect(try storedJudgements(server.store).count == 1)
    }
}
