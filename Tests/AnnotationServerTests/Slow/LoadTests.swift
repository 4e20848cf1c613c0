import Foundation
import Hummingbird
import JSONSupport
import Testing

@testable import AnnotationServer
@testable import PreferenceData

/// 50 annotators label 5,000 times at once against a real server process on loopback, with gold tasks mixed into
/// their queues (10%, the server's default): every label lands exactly once. Prints latency percentiles and
/// throughput. `RLHF_BINARY=.build/release/rlhf` measures a release server.
extension AnnotationSlowTests {
    static let loadClients = 50
    static let loadLabelsPerTask = 5
    static let loadLabels = 5000
    /// Gold tasks besides the ordinary ones; each person answers each at most once.
    static let loadGoldTasks = 20
    /// The whole run must finish within this many seconds (it stops by itself either way).
    static let loadDeadline: TimeInterval = 600

    /// What one client did.
    struct LoadClientResult: Sendable {
        var created = 0
        var labelSeconds: [Double] = []
        var nextSeconds: [Double] = []
        var unexpected: [String] = []
        var tasks: [Int] = []
    }

    @Test func fiftyClientsSubmitFiveThousandLabels() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("load.sqlite")
        let tokens = try makeServerStore(
            at: path, prompts: Self.loadLabels / Self.loadLabelsPerTask, labelsPerTask: Self.loadLabelsPerTask,
            annotators: Self.loadClients, goldTasks: Self.loadGoldTasks)
        let server = try ServerProcess(
            database: path, adminToken: AccessToken.generate(prefix: AccessToken.adminPrefix),
            extraArguments: ["--log-level", "warning"])
        let port = try await server.waitUntilServing()
        let started = ContinuousClock.now
        let stopAt = Date().addingTimeInterval(Self.loadDeadline)

        let results = try await withThrowingTaskGroup(of: LoadClientResult.self) { group in
            for token in tokens {
                group.addTask {
                    let client = HTTPLoadClient(port: port, token: token)
                    var result = LoadClientResult()
                    // Ask, label, repeat until the server has nothing left for this annotator (or time is up).
                    while Date() < stopAt {
                        let next = try await client.send(.get, "/api/v1/tasks/next")
                        result.nextSeconds.append(next.seconds)
                        if next.status == .noContent { break }
                        guard next.status == .ok, let task = try JSONParser.parse(next.body)["task_id"]?.int else {
                            result.unexpected.append("next: \(next.status) \(next.body)")
                            break
                        }
                        let label = try await client.send(.post, "/api/v1/labels", json: labelBody(task: task))
                        result.labelSeconds.append(label.seconds)
                        if label.status == .created {
                            result.created += 1
                            result.tasks.append(task)
                        } else {
                            result.unexpected.append("label: \(label.status) \(label.body)")
                        }
                    }
                    await client.close()
                    return result
                }
            }
            var all: [LoadClientResult] = []
            for try await result in group { all.append(result) }
            return all
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        #expect(try await server.stop(signal: SIGTERM) == 0)

        let created = results.map(\.created).reduce(0, +)
        let labelSeconds = results.flatMap(\.labelSeconds)
        let nextSeconds = results.flatMap(\.nextSeconds)
        let unexpected = results.flatMap(\.unexpected)
        print(
            String(
                format: "annotation load test: %d clients, %d labels (201) in %.2f s = %.0f labels/s; "
                    + "POST /labels p50 %.1f ms p99 %.1f ms; GET /tasks/next p50 %.1f ms p99 %.1f ms",
                Self.loadClients, created, seconds, Double(created) / seconds,
                percentile(labelSeconds, 50) * 1000, percentile(labelSeconds, 99) * 1000,
                percentile(nextSeconds, 50) * 1000, percentile(nextSeconds, 99) * 1000))
        #expect(unexpected.isEmpty, "\(unexpected.prefix(5))")
        // No client was handed a task twice.
        #expect(results.allSatisfy { Set($0.tasks).count == $0.tasks.count })

        // The store holds exactly the 5,000 ordinary labels, five different people per task, and every gold answer
        // that got a 201: none lost, none twice.
        let store = try PreferenceStore(path: path)
        let gold = Set(try await store.goldTasks().map(\.taskID.rawValue))
        let goldCreated = results.flatMap(\.tasks).filter { gold.contains(Int64($0)) }.count
        #expect(created - goldCreated == Self.loadLabels)
        #expect(goldCreated > 0, "gold tasks were mixed in")
        print("annotation load test: \(goldCreated) of the labels were answers to gold tasks")
        let (total, distinct, perTask, integrity) = try store.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM judgement") ?? -1,
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM (SELECT DISTINCT comparison_id, annotator_id FROM judgement)") ?? -1,
                try Int.fetchAll(
                    db,
                    sql: """
                        SELECT count(*) FROM judgement j JOIN annotation_task t ON t.comparison_id = j.comparison_id
                        WHERE t.id NOT IN (SELECT task_id FROM gold_task) GROUP BY j.comparison_id
                        """),
                try String.fetchOne(db, sql: "PRAGMA integrity_check")
            )
        }
        #expect(total == created)
        #expect(distinct == created)
        #expect(
            perTask.count == Self.loadLabels / Self.loadLabelsPerTask
                && perTask.allSatisfy { $0 == Self.loadLabelsPerTask })
        #expect(integrity == "ok")
        #expect(
            try store.tasks().filter { !gold.contains($0.id.rawValue) }.allSatisfy {
                $0.labelsDone == Self.loadLabelsPerTask
            })
    }
}
