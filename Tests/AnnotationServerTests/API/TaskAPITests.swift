import Foundation
import Hummingbird
import Testing

@testable import AnnotationServer
@testable import PreferenceData

@Suite struct TaskAPITests {
    @Test func nextHandsOutATaskThenNoContentWhenNothingIsLeft() async throws {
        let server = try TestServer()
        let tasks = try server.seed(
            [("Write a haiku about rain.", ["Soft rain on the roof", "Rain is water."])],
            context: [
                Turn(role: .system, content: "Be brief."), Turn(role: .user, content: "Hi"),
                Turn(role: .assistant, content: "Hello!"),
            ])
        let alice = try await server.addAnnotator("alice")
        try await server.test { client in
            let response = try await client.send(.get, "/api/v1/tasks/next", token: alice.token)
            #expect(response.status == .ok)
            let task = try response.json()
            #expect(task["task_id"]?.int == Int(tasks[0].rawValue))
            #expect(task["prompt"]?.string == "Write a haiku about rain.")
            #expect(task["response_a"]?.string == "Soft rain on the roof")
            #expect(task["response_b"]?.string == "Rain is water.")
            #expect(task["context"]?.array?.count == 3)
            #expect(task["context"]?.array?[2]["role"]?.string == "assistant")
            #expect(task["lease_expires_at"]?.string != nil)

            // Asking again returns the task held for them.
            #expect(
                try await client.send(.get, "/api/v1/tasks/next", token: alice.token).json()["task_id"]
                    == task["task_id"])
            let label = try await client.send(
                .post, "/api/v1/labels", token: alice.token, json: #"{"task_id": \#(tasks[0]), "choice": "a"}"#)
            #expect(label.status == .created)
            let empty = try await client.send(.get, "/api/v1/tasks/next", token: alice.token)
            #expect(empty.status == .noContent)
            #expect(empty.body.readableBytes == 0)
        }
    }

    @Test func aTaskIsHeldForItsAnnotatorAndReturnsToThePoolWhenTheLeaseExpires() async throws {
        let server = try TestServer(leaseDuration: 60)
        let tasks = try server.seed(count: 2)
        let alice = try await server.addAnnotator("alice")
        let bob = try await server.addAnnotator("bob")
        try await server.test { client in
            let aliceTask = try await client.send(.get, "/api/v1/tasks/next", token: alice.token).json()["task_id"]?.int
            let bobTask = try await client.send(.get, "/api/v1/tasks/next", token: bob.token).json()["task_id"]?.int
            #expect(aliceTask == Int(tasks[0].rawValue))
            #expect(bobTask == Int(tasks[1].rawValue))  // the first is leased to alice
            // Bob may not take alice's place while she holds it.
            let early = try await client.send(
                .post, "/api/v1/labels", token: bob.token, json: #"{"task_id": \#(tasks[0]), "choice": "b"}"#)
            #expect(early.status == .conflict)
            #expect(
                try await client.send(
                    .post, "/api/v1/labels", token: bob.token, json: #"{"task_id": \#(tasks[1]), "choice": "b"}"#
                ).status == .created)
            #expect(try await client.send(.get, "/api/v1/tasks/next", token: bob.token).status == .noContent)

            server.clock.advance(by: 61)  // alice walked away
            #expect(
                try await client.send(.get, "/api/v1/tasks/next", token: bob.token).json()["task_id"]?.int
                    == Int(tasks[0].rawValue))
            // Now bob holds it: alice's late answer finds no place left.
            let late = try await client.send(
                .post, "/api/v1/labels", token: alice.token, json: #"{"task_id": \#(tasks[0]), "choice": "a"}"#)
            #expect(late.status == .conflict)
            #expect(
                try await client.send(
                    .post, "/api/v1/labels", token: bob.token, json: #"{"task_id": \#(tasks[0]), "choice": "tie"}"#
                ).status == .created)
        }
        #expect(try storedJudgements(server.store).count == 2)
    }

    @Test func aHeartbeatKeepsTheTaskHeldWhileTheAnnotatorWorks() async throws {
        let server = try TestServer(leaseDuration: 60)
        let tasks = try server.seed(count: 2)
        let alice = try await server.addAnnotator("alice")
        let bob = try await server.addAnnotator("bob")
        try await server.test { client in
            #expect(
                try await client.send(.get, "/api/v1/tasks/next", token: alice.token).json()["task_id"]?.int
                    == Int(tasks[0].rawValue))
            // Alice takes four minutes over a one-minute lease, her tool beating every 50 s.
            for _ in 0..<4 {
                server.clock.advance(by: 50)
                let beat = try await client.send(.post, "/api/v1/tasks/\(tasks[0])/heartbeat", token: alice.token)
                #expect(beat.status == .ok)
                #expect(
                    try beat.json()["lease_expires_at"]?.string
                        == APIEncoding.timestamp(server.clock.now.addingTimeInterval(60)))
            }
            // Meanwhile bob is given the other task, not hers, and cannot renew what he does not hold.
            #expect(
                try await client.send(.get, "/api/v1/tasks/next", token: bob.token).json()["task_id"]?.int
                    == Int(tasks[1].rawValue))
            let foreign = try await client.send(.post, "/api/v1/tasks/\(tasks[0])/heartbeat", token: bob.token)
            #expect(foreign.status == .conflict)
            #expect(foreign.errorMessage?.contains("you do not hold task") == true)
            #expect(
                try await client.send(
                    .post, "/api/v1/labels", token: alice.token, json: #"{"task_id": \#(tasks[0]), "choice": "a"}"#
                ).status == .created)

            #expect(try await client.send(.post, "/api/v1/tasks/999/heartbeat", token: bob.token).status == .notFound)
            server.clock.advance(by: 61)  // bob's lease ran out: a heartbeat does not bring it back
            #expect(
                try await client.send(.post, "/api/v1/tasks/\(tasks[1])/heartbeat", token: bob.token).status
                    == .conflict)
        }
    }

    @Test func aSkippedTaskIsReleasedAndNeverHandedBackToThatPerson() async throws {
        let server = try TestServer(leaseDuration: 60)
        let tasks = try server.seed(count: 2)
        let alice = try await server.addAnnotator("alice")
        let bob = try await server.addAnnotator("bob")
        try await server.test { client in
            #expect(
                try await client.send(.get, "/api/v1/tasks/next", token: alice.token).json()["task_id"]?.int
                    == Int(tasks[0].rawValue))
            let skip = try await client.send(.post, "/api/v1/tasks/\(tasks[0])/skip", token: alice.token)
            #expect(skip.status == .noContent)
            // Released at once: bob gets it now, alice gets the other one, and never the skipped one back.
            #expect(
                try await client.send(.get, "/api/v1/tasks/next", token: bob.token).json()["task_id"]?.int
                    == Int(tasks[0].rawValue))
            #expect(
                try await client.send(.get, "/api/v1/tasks/next", token: alice.token).json()["task_id"]?.int
                    == Int(tasks[1].rawValue))
            #expect(
                try await client.send(
                    .post, "/api/v1/labels", token: alice.token, json: #"{"task_id": \#(tasks[0]), "choice": "a"}"#
                ).status == .conflict)
            server.clock.advance(by: 600)
            _ = try await client.send(.post, "/api/v1/tasks/\(tasks[1])/skip", token: alice.token)
            #expect(try await client.send(.get, "/api/v1/tasks/next", token: alice.token).status == .noContent)
            #expect(try await client.send(.post, "/api/v1/tasks/999/skip", token: alice.token).status == .notFound)
        }
        #expect(try storedJudgements(server.store).isEmpty)
        let counts = try await server.store.labelCounts(of: alice.annotator.id)
        #expect(counts.labelled == 0 && counts.open == 0)
    }

    @Test func eachTaskGetsNLabelsNeverTwoFromOnePerson() async throws {
        let server = try TestServer()
        let tasks = try server.seed(count: 3, labelsPerTask: 2)
        var tokens: [String] = []
        for name in ["ann", "ben", "cat", "dan"] { tokens.append(try await server.addAnnotator(name).token) }
        let finalTokens = tokens
        try await server.test { client in
            var labelled: [String: [Int]] = [:]
            // Round-robin until everyone gets 204: 3 tasks × 2 labels = 6 labels among 4 people.
            var active = Set(finalTokens)
            while !active.isEmpty {
                for token in finalTokens where active.contains(token) {
                    let next = try await client.send(.get, "/api/v1/tasks/next", token: token)
                    if next.status == .noContent { active.remove(token); continue }
                    let task = try #require(try next.json()["task_id"]?.int)
                    #expect(!(labelled[token] ?? []).contains(task), "handed the same task twice")
                    let posted = try await client.send(
                        .post, "/api/v1/labels", token: token, json: #"{"task_id": \#(task), "choice": "b"}"#)
                    #expect(posted.status == .created)
                    labelled[token, default: []].append(task)
                }
            }
            #expect(labelled.values.map(\.count).reduce(0, +) == 6)
        }
        let judgements = try storedJudgements(server.store)
        #expect(judgements.count == 6)
        #expect(Dictionary(grouping: judgements, by: \.comparisonID).values.allSatisfy { $0.count == 2 })
        #expect(Set(judgements.map { "\($0.comparisonID)-\($0.annotatorID)" }).count == 6)
        #expect(try server.store.tasks().allSatisfy(\.isComplete))
        #expect(tasks.count == 3)
    }
}
