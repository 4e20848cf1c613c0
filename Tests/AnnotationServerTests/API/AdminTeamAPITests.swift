import Foundation
import Hummingbird
import JSONSupport
import Testing

@testable import AnnotationServer
@testable import PreferenceData

/// The admin API for running a team: people, quality, gold tasks, assignments, guidelines, export formats.
@Suite struct AdminTeamAPITests {
    static let admin = TestServer.adminToken

    @Test func teamEndpointsNeedTheAdminToken() async throws {
        let server = try TestServer()
        let alice = try await server.addAnnotator("alice")
        try await server.test { client in
            let routes: [(HTTPRequest.Method, String)] = [
                (.get, "/api/v1/admin/annotators"), (.post, "/api/v1/admin/annotators/1/deactivate"),
                (.post, "/api/v1/admin/annotators/1/reactivate"), (.get, "/api/v1/admin/quality"),
                (.get, "/api/v1/admin/gold"), (.post, "/api/v1/admin/gold"), (.post, "/api/v1/admin/assignments"),
                (.get, "/api/v1/admin/guidelines"), (.put, "/api/v1/admin/guidelines"),
            ]
            for (method, path) in routes {
                let anonymous = try await client.send(method, path)
                #expect(anonymous.status == .unauthorized, "\(path)")
                let annotator = try await client.send(method, path, token: alice.token)
                #expect(annotator.status == .forbidden, "\(path)")
            }
        }
    }

    @Test func deactivatingAPersonThroughTheAPI() async throws {
        let server = try TestServer()
        try server.seed(count: 2)
        let alice = try await server.addAnnotator("<b>alice</b>")
        try await server.test { client in
            let list = try await client.send(.get, "/api/v1/admin/annotators", token: Self.admin)
            let people = try #require(try list.json()["annotators"]?.array)
            #expect(people.count == 1)
            #expect(people[0]["name"]?.string == "<b>alice</b>")
            #expect(people[0]["active"]?.bool == true)
            let id = alice.annotator.id
            let off = try await client.send(.post, "/api/v1/admin/annotators/\(id)/deactivate", token: Self.admin)
            #expect(off.status == .ok)
            #expect(try off.json()["active"]?.bool == false)
            #expect(try off.json()["deactivated_at"]?.string != nil)
            #expect(try await client.send(.get, "/api/v1/tasks/next", token: alice.token).status == .unauthorized)
            let on = try await client.send(.post, "/api/v1/admin/annotators/\(id)/reactivate", token: Self.admin)
            #expect(try on.json()["active"]?.bool == true)
            #expect(try await client.send(.get, "/api/v1/tasks/next", token: alice.token).status == .ok)
            #expect(
                try await client.send(.post, "/api/v1/admin/annotators/999/deactivate", token: Self.admin).status
                    == .notFound)
        }
    }

    @Test func goldAssignmentsAndGuidelinesThroughTheAPI() async throws {
        let server = try TestServer()
        let tasks = try server.seed(count: 3)
        let alice = try await server.addAnnotator("alice")
        try await server.test { client in
            let gold = try await client.send(
                .post, "/api/v1/admin/gold", token: Self.admin,
                json: #"{"task_id": \#(tasks[0]), "answer": "both_bad"}"#)
            #expect(gold.status == .created)
            #expect(try gold.json()["answer"]?.string == "both_bad")
            let bad = try await client.send(
                .post, "/api/v1/admin/gold", token: Self.admin, json: #"{"task_id": \#(tasks[0]), "answer": "c"}"#)
            #expect(bad.status == .badRequest)
            #expect(
                try await client.send(
                    .post, "/api/v1/admin/gold", token: Self.admin, json: #"{"task_id": 999, "answer": "a"}"#
                ).status == .notFound)
            let list = try await client.send(.get, "/api/v1/admin/gold", token: Self.admin)
            #expect(try list.json()["gold_tasks"]?.array?.count == 1)

            let assign = try await client.send(
                .post, "/api/v1/admin/assignments", token: Self.admin,
                json: #"{"task_ids": [\#(tasks[1])], "annotators": ["nobody"]}"#)
            #expect(assign.status == .notFound)
            let assigned = try await client.send(
                .post, "/api/v1/admin/assignments", token: Self.admin,
                json: #"{"task_ids": [\#(tasks[1])], "annotators": ["alice"]}"#)
            #expect(assigned.status == .ok)
            #expect(try await server.store.assignees(of: tasks[1]) == [alice.annotator.id])
            #expect(
                try await client.send(.post, "/api/v1/admin/assignments", token: Self.admin, json: #"{"task_ids": []}"#)
                    .status == .badRequest)

            #expect(
                try await client.send(.get, "/api/v1/admin/guidelines", token: Self.admin).json()["markdown"]?.isNull
                    == true)
            let put = try await client.send(
                .put, "/api/v1/admin/guidelines", token: Self.admin, json: ##"{"markdown": "# Rules\nBe fair."}"##)
            #expect(try put.json()["markdown"]?.string == "# Rules\nBe fair.")
            #expect(try await server.store.setting(.guidelines) == "# Rules\nBe fair.")
        }
    }

    @Test func exportInPairsAndHHFormats() async throws {
        let server = try TestServer()
        try server.seed(count: 2)
        let alice = try await server.addAnnotator("alice")
        try await server.test { client in
            for _ in 0..<2 {
                let next = try await client.send(.get, "/api/v1/tasks/next", token: alice.token)
                let task = try #require(try next.json()["task_id"]?.int)
                _ = try await client.send(
                    .post, "/api/v1/labels", token: alice.token, json: #"{"task_id": \#(task), "choice": "b"}"#)
            }
            let pairs = try await client.send(.get, "/api/v1/admin/export?format=pairs", token: Self.admin)
            #expect(pairs.status == .ok)
            let lines = pairs.text.split(separator: "\n").map { try? JSONParser.parse(String($0)) }
            #expect(lines.count == 2)
            #expect(lines.first??["chosen"]?.string == "answer 0 B")
            #expect(lines.first??["rejected"]?.string == "answer 0 A")
            let hh = try await client.send(.get, "/api/v1/admin/export?format=hh", token: Self.admin)
            #expect(hh.text.contains("Assistant: answer 1 B"))
            // From a saved split too.
            try server.store.saveSplit(
                named: "mine", entries: [SplitEntry(comparisonID: ComparisonID(1), outcome: .a)], recipe: "{}")
            let split = try await client.send(.get, "/api/v1/admin/export?format=pairs&split=mine", token: Self.admin)
            #expect(split.text.split(separator: "\n").count == 1)
            #expect(split.text.contains(#""chosen":"answer 0 A""#))
        }
    }
}
