import Foundation
import Hummingbird
import HummingbirdTesting
import JSONSupport
import Testing

@testable import AnnotationServer
@testable import PreferenceData

@Suite struct LabelAPITests {
    @Test func aLabelIsStoredAsTheAnnotatorsJudgement() async throws {
        let server = try TestServer()
        let tasks = try server.seed(count: 1)
        let alice = try await server.addAnnotator("alice")
        try await server.test { client in
            _ = try await client.send(.get, "/api/v1/tasks/next", token: alice.token)
            let response = try await client.send(
                .post, "/api/v1/labels", token: alice.token,
                json: """
                    {"task_id": \(tasks[0]), "choice": "b", "dimensions": {"helpfulness": "b", "safety": "tie", "fluency": "a"},
                     "comment": "  B answers the question.  "}
                    """)
            #expect(response.status == .created)
            let label = try response.json()
            #expect(label["task_id"]?.int == Int(tasks[0].rawValue))
            #expect(label["choice"]?.string == "b")
            #expect(label["dimensions"]?["safety"]?.string == "tie")
            #expect(label["comment"]?.string == "B answers the question.")
            let id = try #require(label["label_id"]?.int)
            #expect(response.headers[.location] == "/api/v1/labels/\(id)")
        }
        let judgement = try #require(try storedJudgements(server.store).first)
        #expect(judgement.annotatorID == alice.annotator.id)
        #expect(judgement.overall == .b)
        #expect(judgement.dimensions == [.helpfulness: .b, .safety: .tie, .fluency: .a])
        #expect(judgement.comment == "B answers the question.")
        #expect(judgement.judgedAt == server.clock.now.roundedToMilliseconds)
        #expect(try server.store.task(tasks[0])?.labelsDone == 1)
    }

    @Test func aSecondLabelOfTheSameTaskIsAConflict() async throws {
        let server = try TestServer()
        let tasks = try server.seed(count: 1, labelsPerTask: 2)
        let alice = try await server.addAnnotator("alice")
        try await server.test { client in
            let body = #"{"task_id": \#(tasks[0]), "choice": "a"}"#
            _ = try await client.send(.get, "/api/v1/tasks/next", token: alice.token)
            #expect(try await client.send(.post, "/api/v1/labels", token: alice.token, json: body).status == .created)
            for choice in ["a", "b"] {
                let again = try await client.send(
                    .post, "/api/v1/labels", token: alice.token,
                    json: #"{"task_id": \#(tasks[0]), "choice": "\#(choice)"}"#)
                #expect(again.status == .conflict)
                #expect(again.errorMessage?.contains("already labelled") == true)
            }
        }
        #expect(try storedJudgements(server.store).count == 1)
    }

    @Test func aLabelIsAcceptedOnlyForTheTaskLeasedToTheCaller() async throws {
        let server = try TestServer(leaseDuration: 60)
        let tasks = try server.seed(count: 3)
        let alice = try await server.addAnnotator("alice")
        try await server.test { client in
            // A script that counts task ids up from 1 labels nothing.
            for task in tasks {
                let blind = try await client.send(
                    .post, "/api/v1/labels", token: alice.token, json: #"{"task_id": \#(task), "choice": "a"}"#)
                #expect(blind.status == .conflict)
                #expect(
                    blind.errorMessage?.contains("you do not hold task \(task)") == true, "\(blind.errorMessage ?? "")")
                #expect(blind.errorMessage?.contains("GET /api/v1/tasks/next") == true)
            }
            // Holding the first task opens only that one, and only while the lease lasts.
            #expect(
                try await client.send(.get, "/api/v1/tasks/next", token: alice.token).json()["task_id"]?.int
                    == Int(tasks[0].rawValue))
            #expect(
                try await client.send(
                    .post, "/api/v1/labels", token: alice.token, json: #"{"task_id": \#(tasks[1]), "choice": "a"}"#
                ).status == .conflict)
            server.clock.advance(by: 61)
            #expect(
                try await client.send(
                    .post, "/api/v1/labels", token: alice.token, json: #"{"task_id": \#(tasks[0]), "choice": "a"}"#
                ).status == .conflict)
            #expect(try storedJudgements(server.store).isEmpty)
            #expect(try server.store.tasks().allSatisfy { $0.labelsDone == 0 })

            #expect(
                try await client.send(.get, "/api/v1/tasks/next", token: alice.token).json()["task_id"]?.int
                    == Int(tasks[0].rawValue))
            #expect(
                try await client.send(
                    .post, "/api/v1/labels", token: alice.token, json: #"{"task_id": \#(tasks[0]), "choice": "a"}"#
                ).status == .created)
        }
        #expect(try storedJudgements(server.store).count == 1)
    }

    @Test func unknownTasksAreNotFound() async throws {
        let server = try TestServer()
        let alice = try await server.addAnnotator("alice")
        try await server.test { client in
            let response = try await client.send(
                .post, "/api/v1/labels", token: alice.token, json: #"{"task_id": 999, "choice": "a"}"#)
            #expect(response.status == .notFound)
            #expect(response.errorMessage == "task 999 does not exist")
        }
    }

    @Test(arguments: [
        ("{\"task_id\": 1, \"choice\": \"a\"", "malformed JSON"),
        ("", "empty"),
        ("[1, 2]", "must be a JSON object, got an array"),
        (#"{"choice": "a"}"#, "missing field \"task_id\""),
        (#"{"task_id": "1", "choice": "a"}"#, "\"task_id\" must be a whole number"),
        (#"{"task_id": 1.5, "choice": "a"}"#, "\"task_id\" must be a whole number"),
        (#"{"task_id": 1}"#, "missing field \"choice\""),
        (#"{"task_id": 1, "choice": "A"}"#, "\"choice\" must be one of a, b, tie, both_bad"),
        (#"{"task_id": 1, "choice": 1}"#, "\"choice\" must be a string"),
        (#"{"task_id": 1, "choice": "a", "dimensions": {"honesty": "a"}}"#, "unknown dimension \"honesty\""),
        (#"{"task_id": 1, "choice": "a", "dimensions": {"safety": "better"}}"#, "\"dimensions.safety\" must be one of"),
        (#"{"task_id": 1, "choice": "a", "dimensions": ["a"]}"#, "\"dimensions\" must be an object"),
        (#"{"task_id": 1, "choice": "a", "comment": 5}"#, "\"comment\" must be a string"),
        (#"{"task_id": 1, "choice": "a", "commment": "typo"}"#, "unknown field \"commment\""),
    ])
    func malformedInputIsABadRequestWithAMessage(body: String, message: String) async throws {
        let server = try TestServer()
        try server.seed(count: 1)
        let alice = try await server.addAnnotator("alice")
        try await server.test { client in
            let response = try await client.send(.post, "/api/v1/labels", token: alice.token, json: body)
            #expect(response.status == .badRequest)
            #expect(response.errorMessage?.contains(message) == true, "\(response.errorMessage ?? "no message")")
        }
        #expect(try storedJudgements(server.store).isEmpty)
    }

    @Test func aTooLongCommentIsRefused() async throws {
        let server = try TestServer { $0.maximumCommentLength = 20 }
        try server.seed(count: 1)
        let alice = try await server.addAnnotator("alice")
        try await server.test { client in
            let response = try await client.send(
                .post, "/api/v1/labels", token: alice.token,
                json: #"{"task_id": 1, "choice": "a", "comment": "\#(String(repeating: "x", count: 21))"}"#)
            #expect(response.status == .badRequest)
            #expect(response.errorMessage?.contains("limit is 20") == true)
        }
    }

    @Test func oversizedBodiesAreRefusedWith413() async throws {
        let server = try TestServer()
        try server.seed(count: 1)
        let alice = try await server.addAnnotator("alice")
        try await server.test { client in
            let comment = String(repeating: "x", count: 70 * 1024)
            let response = try await client.send(
                .post, "/api/v1/labels", token: alice.token,
                json: #"{"task_id": 1, "choice": "a", "comment": "\#(comment)"}"#)
            #expect(response.status == .contentTooLarge)
            #expect(response.errorMessage?.contains("65536 bytes") == true)
            // The admin's limit is larger, but not unlimited.
            let names = String(repeating: "y", count: 2 << 20)
            let admin = try await client.send(
                .post, "/api/v1/admin/annotators", token: TestServer.adminToken, json: #"{"name": "\#(names)"}"#)
            #expect(admin.status == .contentTooLarge)
        }
        #expect(try storedJudgements(server.store).isEmpty)
    }

    @Test func labelsMineListsOnlyTheCallersLabelsPageByPage() async throws {
        let server = try TestServer()
        let tasks = try server.seed(count: 5, labelsPerTask: 2)
        let alice = try await server.addAnnotator("alice")
        let bob = try await server.addAnnotator("bob")
        try await server.test { client in
            for _ in tasks {
                #expect(try await labelNextTask(client, token: alice.token, fields: #""choice": "a""#) != nil)
            }
            for _ in tasks.prefix(2) {
                #expect(
                    try await labelNextTask(client, token: bob.token, fields: #""choice": "b", "comment": "bob's""#)
                        != nil)
            }
            let mine = try await client.send(.get, "/api/v1/labels/mine", token: bob.token).json()
            let labels = try #require(mine["labels"]?.array)
            #expect(labels.count == 2)
            #expect(labels.allSatisfy { $0["choice"]?.string == "b" && $0["comment"]?.string == "bob's" })
            #expect(mine["next_after"] == .null)

            let first = try await client.send(.get, "/api/v1/labels/mine?limit=3", token: alice.token).json()
            #expect(first["labels"]?.array?.count == 3)
            let after = try #require(first["next_after"]?.int)
            let second = try await client.send(.get, "/api/v1/labels/mine?limit=3&after=\(after)", token: alice.token)
                .json()
            #expect(second["labels"]?.array?.count == 2)
            #expect(second["labels"]?.array?.allSatisfy { $0["choice"]?.string == "a" } == true)
            #expect(
                try await client.send(.get, "/api/v1/labels/mine?limit=0", token: alice.token).status == .badRequest)
            #expect(
                try await client.send(.get, "/api/v1/labels/mine?after=x", token: alice.token).status == .badRequest)
        }
    }

    @Test func nobodyReadsOrChangesAnothersLabel() async throws {
        let server = try TestServer()
        let tasks = try server.seed(count: 1, labelsPerTask: 2)
        let alice = try await server.addAnnotator("alice")
        let bob = try await server.addAnnotator("bob")
        try await server.test { client in
            let created = try #require(
                try await labelNextTask(client, token: alice.token, fields: #""choice": "a", "comment": "mine""#))
            #expect(created["task_id"]?.int == Int(tasks[0].rawValue))
            let id = try #require(created["label_id"]?.int)

            let peek = try await client.send(.get, "/api/v1/labels/\(id)", token: bob.token)
            #expect(peek.status == .notFound)
            #expect(!peek.text.contains("mine"))
            let change = try await client.send(
                .put, "/api/v1/labels/\(id)", token: bob.token, json: #"{"choice": "b"}"#)
            #expect(change.status == .notFound)
            #expect(try await client.send(.get, "/api/v1/labels/abc", token: bob.token).status == .notFound)

            // The owner can read and correct it.
            #expect(
                try await client.send(.get, "/api/v1/labels/\(id)", token: alice.token).json()["comment"]?.string
                    == "mine")
            let corrected = try await client.send(
                .put, "/api/v1/labels/\(id)", token: alice.token,
                json: #"{"choice": "tie", "dimensions": {"fluency": "b"}}"#)
            #expect(corrected.status == .ok)
            #expect(try corrected.json()["choice"]?.string == "tie")
        }
        let judgement = try #require(try storedJudgements(server.store).first)
        #expect(judgement.annotatorID == alice.annotator.id)
        #expect(judgement.overall == .tie)
        #expect(judgement.dimensions == [.fluency: .b])
        #expect(judgement.comment == nil)
    }

    @Test func shuffledResponsesAreMappedBackToTheStoredOrder() async throws {
        let server = try TestServer(shuffle: true)
        let tasks = try server.seed(count: 40)
        let alice = try await server.addAnnotator("alice")
        // A task alice sees swapped, and one she sees in stored order (she labels the tasks in order up to both).
        let swapped = try #require(
            tasks.first { ResponseOrder(task: $0, annotator: alice.annotator.id, shuffle: true).isSwapped })
        let straight = try #require(
            tasks.first { !ResponseOrder(task: $0, annotator: alice.annotator.id, shuffle: true).isSwapped })
        try await server.test { client in
            for _ in tasks.prefix(while: { $0 <= max(swapped, straight) }) {
                let posted = try #require(
                    try await labelNextTask(
                        client, token: alice.token, fields: #""choice": "a", "dimensions": {"safety": "b"}"#))
                #expect(posted["choice"]?.string == "a")  // answered in her order
            }
            let next = try await client.send(.get, "/api/v1/tasks/next", token: alice.token).json()
            let task = try #require(next["task_id"]?.int)
            let index = task - Int(tasks[0].rawValue)
            let isSwapped = ResponseOrder(
                task: AnnotationTaskID(Int64(task)), annotator: alice.annotator.id, shuffle: true
            ).isSwapped
            #expect(next["response_a"]?.string == "answer \(index) \(isSwapped ? "B" : "A")")
        }
        let byComparison = Dictionary(
            uniqueKeysWithValues: try storedJudgements(server.store).map { ($0.comparisonID, $0) })
        let swappedTask = try #require(try server.store.task(swapped))
        let straightTask = try #require(try server.store.task(straight))
        let swappedJudgement = try #require(byComparison[swappedTask.comparisonID])
        #expect(swappedJudgement.overall == .b)
        #expect(swappedJudgement.dimensions[.safety] == .a)
        let straightJudgement = try #require(byComparison[straightTask.comparisonID])
        #expect(straightJudgement.overall == .a)
    }
}

/// Fetches the caller's next task and labels it with the JSON `fields` (besides `task_id`); the created label, or
/// nil if there was no task or the label was not created.
func labelNextTask(_ client: any TestClientProtocol, token: String, fields: String) async throws -> JSONValue? {
    let next = try await client.send(.get, "/api/v1/tasks/next", token: token)
    guard next.status == .ok, let task = try next.json()["task_id"]?.int else { return nil }
    let posted = try await client.send(
        .post, "/api/v1/labels", token: token, json: #"{"task_id": \#(task), \#(fields)}"#)
    return posted.status == .created ? try posted.json() : nil
}

extension Date {
    /// The date as the store keeps it (whole milliseconds).
    var roundedToMilliseconds: Date { Date(timeIntervalSince1970: (timeIntervalSince1970 * 1000).rounded() / 1000) }
}
