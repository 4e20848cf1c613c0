import Foundation
import Hummingbird
import JSONSupport
import NIOCore
import Testing

@testable import AnnotationServer
@testable import PreferenceData

@Suite struct AdminAPITests {
    @Test func addingAnAnnotatorShowsTheTokenOnceAndStoresOnlyItsHash() async throws {
        let server = try TestServer()
        try server.seed(count: 1)
        try await server.test { client in
            let response = try await client.send(
                .post, "/api/v1/admin/annotators", token: TestServer.adminToken, json: #"{"name": "alice"}"#)
            #expect(response.status == .created)
            let body = try response.json()
            #expect(body["name"]?.string == "alice")
            let token = try #require(body["token"]?.string)
            #expect(token.hasPrefix(AccessToken.annotatorPrefix))

            let stored = try #require(try await server.store.annotator(named: "alice"))
            #expect(stored.kind == .human)
            #expect(stored.tokenHash == AccessToken.hash(token))
            #expect(stored.tokenHash?.contains(token) == false)
            // The token works at once.
            #expect(try await client.send(.get, "/api/v1/tasks/next", token: token).status == .ok)

            let again = try await client.send(
                .post, "/api/v1/admin/annotators", token: TestServer.adminToken, json: #"{"name": "alice"}"#)
            #expect(again.status == .conflict)
            #expect(!again.text.contains("rlhfa_"))
            #expect(
                try await client.send(
                    .post, "/api/v1/admin/annotators", token: TestServer.adminToken, json: #"{"name": "  "}"#
                ).status == .badRequest)
            #expect(
                try await client.send(.post, "/api/v1/admin/annotators", token: TestServer.adminToken, json: #"{}"#)
                    .status == .badRequest)
        }
        // The token itself is nowhere in the store.
        let tables = try server.store.read { db in try String.fetchAll(db, sql: "SELECT token_hash FROM annotator") }
        #expect(tables.allSatisfy { $0.hasPrefix("sha256:") })
    }

    @Test func tasksAreMadeFromTheResponsesInTheStore() async throws {
        let server = try TestServer()
        try server.store.add([
            PreferenceRecord(
                prompt: PromptDraft(text: "Three answers"), responses: ["x", "y", "z"].map { ResponseDraft(text: $0) }),
            PreferenceRecord(prompt: PromptDraft(text: "One answer"), responses: [ResponseDraft(text: "only")]),
            // An imported, already judged pair: no task unless asked for.
            PreferenceRecord(
                prompt: PromptDraft(text: "Judged"), responses: [ResponseDraft(text: "p"), ResponseDraft(text: "q")],
                comparisons: [
                    ComparisonDraft(
                        responseA: 0, responseB: 1,
                        judgements: [
                            JudgementDraft(annotator: AnnotatorReference(name: "hh", kind: .dataset), overall: .a)
                        ])
                ]),
        ])
        try await server.test { client in
            let created = try await client.send(
                .post, "/api/v1/admin/tasks", token: TestServer.adminToken, json: #"{"labels_per_task": 3}"#)
            #expect(created.status == .created)
            let report = try created.json()
            #expect(report["tasks_created"]?.int == 3)
            #expect(report["comparisons_created"]?.int == 3)
            #expect(report["tasks_total"]?.int == 3)
            // Again: nothing new.
            let again = try await client.send(.post, "/api/v1/admin/tasks", token: TestServer.adminToken, json: "{}")
            #expect(try again.json()["tasks_created"]?.int == 0)
            let judged = try await client.send(
                .post, "/api/v1/admin/tasks", token: TestServer.adminToken,
                json: #"{"include_judged": true, "pairs": "existing"}"#)
            #expect(try judged.json()["tasks_created"]?.int == 1)

            #expect(
                try await client.send(
                    .post, "/api/v1/admin/tasks", token: TestServer.adminToken, json: #"{"prompt_ids": [999]}"#
                ).status == .notFound)
            #expect(
                try await client.send(
                    .post, "/api/v1/admin/tasks", token: TestServer.adminToken, json: #"{"pairs": "some"}"#
                ).status == .badRequest)
            #expect(
                try await client.send(
                    .post, "/api/v1/admin/tasks", token: TestServer.adminToken, json: #"{"labels_per_task": 0}"#
                ).status == .badRequest)
        }
        #expect(try server.store.tasks().map(\.labelsWanted) == [3, 3, 3, 1])
    }

    @Test func progressCountsTasksLabelsLeasesAndAnnotators() async throws {
        let server = try TestServer()
        let tasks = try server.seed(count: 3, labelsPerTask: 2)
        let alice = try await server.addAnnotator("alice")
        let bob = try await server.addAnnotator("bob")
        try await server.test { client in
            for task in tasks.prefix(2) {
                #expect(
                    try await labelNextTask(client, token: alice.token, fields: #""choice": "a""#)?["task_id"]?.int
                        == Int(task.rawValue))
            }
            #expect(
                try await labelNextTask(client, token: bob.token, fields: #""choice": "a""#)?["task_id"]?.int
                    == Int(tasks[0].rawValue))
            _ = try await client.send(.get, "/api/v1/tasks/next", token: bob.token)  // leases a task
            let progress = try await client.send(.get, "/api/v1/admin/progress", token: TestServer.adminToken).json()
            #expect(progress["tasks"]?.int == 3)
            #expect(progress["tasks_complete"]?.int == 1)
            #expect(progress["labels_wanted"]?.int == 6)
            #expect(progress["labels_done"]?.int == 3)
            #expect(progress["active_leases"]?.int == 1)
            let annotators = try #require(progress["annotators"]?.array)
            #expect(annotators.map { $0["name"]?.string } == ["alice", "bob"])
            #expect(annotators.map { $0["labels"]?.int } == [2, 1])
        }
    }

    @Test func exportIsNativeJSONLinesOfEveryTaskWithItsLabels() async throws {
        let server = try TestServer()
        let tasks = try server.seed(
            [("Capital of France?", ["Paris.", "Lyon."]), ("2+2?", ["4", "5"])],
            context: [Turn(role: .user, content: "Quiz time")])
        let alice = try await server.addAnnotator("alice")
        try await server.test { client in
            let label = try await labelNextTask(
                client, token: alice.token,
                fields: #""choice": "a", "dimensions": {"helpfulness": "a"}, "comment": "correct""#)
            #expect(label?["task_id"]?.int == Int(tasks[0].rawValue))
            let response = try await client.send(.get, "/api/v1/admin/export", token: TestServer.adminToken)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("application/x-ndjson") == true)
            let lines = try response.text.split(separator: "\n").map { try JSONParser.parse(String($0)) }
            #expect(lines.count == 2)
            #expect(lines[0]["prompt"]?.string == "Capital of France?")
            #expect(lines[0]["context"]?.array?.first?["content"]?.string == "Quiz time")
            let judgement = try #require(lines[0]["judgements"]?.array?.first)
            #expect(judgement["annotator"]?.string == "alice")
            #expect(judgement["overall"]?.string == "a")
            #expect(judgement["helpfulness"]?.string == "a")
            #expect(judgement["comment"]?.string == "correct")
            #expect(lines[1]["judgements"]?.array?.isEmpty == true)

            // It imports back into another store as the same judgements.
            let copy = try PreferenceStore(path: server.directory.file("copy.sqlite"))
            let file = server.directory.file("export.jsonl")
            try response.text.write(toFile: file, atomically: true, encoding: .utf8)
            _ = try JSONLinesImporter().importFile(atPath: file, into: copy)
            #expect(try storedJudgements(copy).map(\.overall) == [.a])
        }
    }

    @Test func exportGivesTheLatestLabelsOrEveryRevisionOnRequest() async throws {
        let server = try TestServer()
        let tasks = try server.seed(count: 2)
        let alice = try await server.addAnnotator("alice")
        try await server.test { client in
            let label = try #require(
                try await labelNextTask(client, token: alice.token, fields: #""choice": "a", "comment": "first""#))
            let id = try #require(label["label_id"]?.int)
            server.clock.advance(by: 30)
            #expect(
                try await client.send(
                    .put, "/api/v1/labels/\(id)", token: alice.token, json: #"{"choice": "b", "comment": "second"}"#
                ).status == .ok)
            server.clock.advance(by: 30)
            #expect(
                try await client.send(.put, "/api/v1/labels/\(id)", token: alice.token, json: #"{"choice": "tie"}"#)
                    .status == .ok)

            let latest = try await client.send(.get, "/api/v1/admin/export", token: TestServer.adminToken)
            #expect(latest.status == .ok)
            let latestLines = try latest.text.split(separator: "\n").map { try JSONParser.parse(String($0)) }
            #expect(latestLines.count == tasks.count)
            let current = try #require(latestLines[0]["judgements"]?.array?.first)
            #expect(current["overall"]?.string == "tie")
            #expect(current["revisions"] == nil)

            let all = try await client.send(.get, "/api/v1/admin/export?revisions=all", token: TestServer.adminToken)
            #expect(all.status == .ok)
            let allLines = try all.text.split(separator: "\n").map { try JSONParser.parse(String($0)) }
            let judgement = try #require(allLines[0]["judgements"]?.array?.first)
            #expect(judgement["overall"]?.string == "tie")
            let revisions = try #require(judgement["revisions"]?.array)
            #expect(revisions.map { $0["overall"]?.string } == ["a", "b"])
            #expect(revisions.map { $0["comment"]?.string } == ["first", "second"])
            #expect(
                revisions.map { $0["replaced_at"]?.string }
                    == [30, 60].map {
                        APIEncoding.timestamp(Date(timeIntervalSince1970: 1_700_000_000 + $0))
                    })
            #expect(allLines[1]["judgements"]?.array?.isEmpty == true)

            let wrong = try await client.send(.get, "/api/v1/admin/export?revisions=some", token: TestServer.adminToken)
            #expect(wrong.status == .badRequest)
            #expect(wrong.errorMessage?.contains("\"revisions\" must be \"latest\" or \"all\"") == true)
        }
    }

    @Test func theExportBodyIsStreamedAPageAtATime() async throws {
        let server = try TestServer()
        try server.seed(count: 5)
        let alice = try await server.addAnnotator("alice")
        try await server.test { client in
            for _ in 0..<5 { _ = try await labelNextTask(client, token: alice.token, fields: #""choice": "a""#) }
        }
        // No length up front (chunked), and one write per page of tasks.
        let body = ExportStream.body(store: server.store, versions: .latest, pageSize: 2)
        #expect(body.contentLength == nil)
        let writer = ChunkRecorder()
        try await body.write(writer)
        let chunks = writer.chunks
        #expect(chunks.map { $0.split(separator: "\n").count } == [2, 2, 1])
        #expect(writer.finished)
        let whole = try await JSONLinesExporter.nativeLines(from: server.store, scope: .annotationTasks)
        #expect(chunks.joined() == String(decoding: whole.bytes, as: UTF8.self))
    }

    @Test func aSignInLinkWorksOnceForAnAnnotatorWhoCanSignIn() async throws {
        let server = try TestServer()
        try server.seed(count: 1)
        _ = try await server.addAnnotator("alice")
        try await server.test { client in
            let created = try await client.send(
                .post, "/api/v1/admin/sign-in-links", token: TestServer.adminToken, json: #"{"annotator": "alice"}"#)
            #expect(created.status == .created)
            let url = try #require(try created.json()["url"]?.string)
            #expect(url.hasPrefix("/sign-in/link/"))
            // Opening the link shows a button; pressing it signs in (SignInLinkTests covers the flow).
            let session = try #require(try await signIn(client, link: url))
            #expect(try await client.send(.get, "/annotate", cookie: session).status == .ok)
            // Used up.
            let second = try await client.send(.get, url)
            #expect(second.status == .unauthorized)
            #expect(second.text.contains("expired or was used already"))
            #expect(
                try await client.send(
                    .post, "/api/v1/admin/sign-in-links", token: TestServer.adminToken,
                    json: #"{"annotator": "nobody"}"#
                ).status == .notFound)
        }
    }

    @Test func aSignInLinkExpires() async throws {
        let server = try TestServer { $0.signInLinkLifetime = 60 }
        _ = try await server.addAnnotator("alice")
        try await server.test { client in
            let created = try await client.send(
                .post, "/api/v1/admin/sign-in-links", token: TestServer.adminToken, json: #"{"annotator": "alice"}"#)
            let url = try #require(try created.json()["url"]?.string)
            server.clock.advance(by: 61)
            #expect(try await client.send(.get, url).status == .unauthorized)
        }
    }
}

/// A response body writer that keeps each written chunk.
final class ChunkRecorder: ResponseBodyWriter, @unchecked Sendable {
    private let lock = NSLock()
    private var written: [String] = []
    private var done = false

    // Every access goes through the lock.
    var chunks: [String] { lock.withLock { written } }
    var finished: Bool { lock.withLock { done } }

    func write(_ buffer: ByteBuffer) async throws {
        lock.withLock { written.append(String(buffer: buffer)) }
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {
        lock.withLock { done = true }
    }
}
