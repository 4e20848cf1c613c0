import Foundation
import Hummingbird
import JSONSupport
import RLHFTestSupport
import Testing

@testable import AnnotationServer
@testable import PreferenceData

/// Three simulated people label through the API with gold tasks mixed in: one honest, one who always clicks the
/// left answer ("A" as shown), one who clicks at random. The dashboard must rank them by gold accuracy and gold κ
/// with the honest one first, and `rlhf data filter --min-gold-accuracy` must leave out the other two's labels.
@Suite struct SimulatedAnnotatorsTests {
    static let prompts = 45
    static let goldTasks = 15

    /// How a simulated person picks, given the two responses as shown.
    enum Behaviour: String, CaseIterable {
        case honest, alwaysA = "always-a", random

        func choice(shownA: String, shownB: String, generator: inout SystemRandomNumberGenerator) -> String {
            switch self {
            case .honest: return shownA.hasPrefix("Good") ? "a" : "b"
            case .alwaysA: return "a"
            case .random: return ["a", "b", "tie", "both_bad"].randomElement(using: &generator)!
            }
        }

        /// Seconds they take per task.
        var seconds: TimeInterval {
            switch self {
            case .honest: return 30
            case .alwaysA: return 2
            case .random: return 4
            }
        }
    }

    @Test func theDashboardRanksPeopleByGoldAndTheFilterDropsTheBadOnes() async throws {
        let server = try TestServer(shuffle: true) { $0.goldRate = 0.4 }
        // The good response is stored as A for even prompts and as B for odd ones.
        let tasks = try server.seed(
            (0..<Self.prompts).map { index in
                let good = "Good answer to question \(index), correct and complete."
                let poor = "Poor answer to question \(index)."
                return (
                    "Question \(index): please explain topic \(index) in detail.",
                    index % 2 == 0 ? [good, poor] : [poor, good]
                )
            }, labelsPerTask: 3)
        for task in tasks.prefix(Self.goldTasks) {
            let answer: Choice = (task.rawValue - 1) % 2 == 0 ? .a : .b
            try await server.store.markGold(task: task, answer: answer)
        }
        var tokens: [(behaviour: Behaviour, token: String)] = []
        for behaviour in Behaviour.allCases {
            tokens.append((behaviour, try await server.addAnnotator(behaviour.rawValue).token))
        }
        let people = tokens
        let clock = server.clock
        try await server.test { client in
            var generator = SystemRandomNumberGenerator()
            var done = Set<String>()
            var goldSeen = 0
            while done.count < people.count {
                for person in people where !done.contains(person.token) {
                    let next = try await client.send(.get, "/api/v1/tasks/next", token: person.token)
                    if next.status == .noContent {
                        done.insert(person.token)
                        continue
                    }
                    let json = try next.json()
                    let task = try #require(json["task_id"]?.int)
                    // Gold tasks look like any other task.
                    #expect(
                        Set(json.object?.keys ?? []) == [
                            "task_id", "prompt", "context", "response_a", "response_b", "lease_expires_at",
                        ])
                    if task <= Self.goldTasks { goldSeen += 1 }
                    clock.advance(by: person.behaviour.seconds)
                    let choice = person.behaviour.choice(
                        shownA: json["response_a"]?.string ?? "", shownB: json["response_b"]?.string ?? "",
                        generator: &generator)
                    let label = try await client.send(
                        .post, "/api/v1/labels", token: person.token,
                        json: #"{"task_id": \#(task), "choice": "\#(choice)"}"#)
                    #expect(label.status == .created)
                }
            }
            #expect(goldSeen >= 3 * 8, "gold tasks were mixed in")

            let quality = try await client.send(.get, "/api/v1/admin/quality", token: TestServer.adminToken).json()
            let rows = try #require(quality["annotators"]?.array)
            #expect(rows.map { $0["name"]?.string } == ["honest", "always-a", "random"])
            let byName = Dictionary(uniqueKeysWithValues: rows.map { ($0["name"]?.string ?? "", $0) })
            #expect(byName["honest"]?["gold_accuracy"]?.number == 1)
            #expect((byName["honest"]?["gold_kappa"]?.number ?? 0) > 0.9)
            for name in ["always-a", "random"] {
                #expect((byName[name]?["gold_accuracy"]?.number ?? 1) < 0.7, "\(name)")
                #expect((byName[name]?["gold_kappa"]?.number ?? 1) < 0.4, "\(name)")
            }
            // Position bias shows in the choices as shown; the honest one takes about 30 s a task.
            #expect(byName["always-a"]?["shown_choices"]?["a"]?.int == byName["always-a"]?["labels"]?.int)
            #expect(byName["honest"]?["median_seconds_per_task"]?.number == 30)

            // The dashboard shows the same order, the bad ones highlighted.
            let cookie = try #require(try await adminSignIn(client))
            let html = try await client.send(.get, "/admin", cookie: cookie).text
            let positions = ["honest", "always-a", "random"].map {
                html.range(of: "<span class=\"name\">\($0)</span>")?.lowerBound
            }
            #expect(positions.allSatisfy { $0 != nil })
            #expect(positions[0]! < positions[1]! && positions[1]! < positions[2]!)
            #expect(html.contains("<tr class=\"flagged\"><td>2</td><td><span class=\"name\">always-a</span>"))
            #expect(html.contains("<tr class=\"\"><td>1</td><td><span class=\"name\">honest</span>"))
        }

        // `rlhf data filter` leaves out the labels of the people below 80% on gold tasks: every kept pair prefers
        // the good answer. Without the threshold, the bad labels make some pairs wrong or drop them.
        let rlhf = try #require(RLHFProcess.executable, "the rlhf executable is not built")
        let path = server.directory.file("store.sqlite")
        let plain = try RLHFProcess.run(
            ["data", "filter", "--store", path, "--skip-prompt-quality", "--into", "all-labels"], executable: rlhf)
        #expect(plain.status == 0, "\(plain.standardError)")
        let filtered = try RLHFProcess.run(
            [
                "data", "filter", "--store", path, "--skip-prompt-quality", "--min-gold-accuracy", "0.8", "--json",
            ], executable: rlhf)
        #expect(filtered.status == 0, "\(filtered.standardError)")
        let report = try JSONParser.parse(filtered.standardOutput)
        #expect(report["excluded_annotators"]?.array?.compactMap { $0["name"]?.string } == ["always-a", "random"])
        #expect(report["post_filter"]?["dropped_excluded_judgements"]?.int ?? 0 > 0)
        let kept = try server.store.pairs(inSplit: "filtered")
        #expect(kept.count == Self.prompts)
        #expect(kept.allSatisfy { $0.chosen.hasPrefix("Good") })
        let unfiltered = try server.store.pairs(inSplit: "all-labels")
        #expect(unfiltered.count < Self.prompts || unfiltered.contains { !$0.chosen.hasPrefix("Good") })
    }
}
