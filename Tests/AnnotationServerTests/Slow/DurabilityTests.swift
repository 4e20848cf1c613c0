import Foundation
import GRDB
import Hummingbird
import JSONSupport
import Testing

@testable import AnnotationServer
@testable import PreferenceData

/// `kill -9` the server while labels stream in, restart it: every label that got a 201 is in the store.
extension AnnotationSlowTests {
    static let durabilityClients = 8

    /// What the clients saw: the labels acknowledged with 201, by (annotator index, task).
    final class Acknowledged: @unchecked Sendable {
        private let lock = NSLock()
        private var entries: [(annotator: Int, task: Int, labelID: Int)] = []
        // Every access goes through the lock.
        func add(annotator: Int, task: Int, labelID: Int) {
            lock.withLock { entries.append((annotator, task, labelID)) }
        }
        var all: [(annotator: Int, task: Int, labelID: Int)] { lock.withLock { entries } }
        var count: Int { lock.withLock { entries.count } }
    }

    /// Streams labels from `clients` annotators until `stop()` says so or a request fails (the server died).
    func stream(port: Int, tokens: [String], acknowledged: Acknowledged, stop: @escaping @Sendable () -> Bool) async {
        await withTaskGroup(of: Void.self) { group in
            for (index, token) in tokens.enumerated() {
                group.addTask {
                    let client = HTTPLoadClient(port: port, token: token)
                    defer { Task { await client.close() } }
                    while !stop() {
                        guard let next = try? await client.send(.get, "/api/v1/tasks/next"), next.status == .ok,
                            let task = (try? JSONParser.parse(next.body))?["task_id"]?.int
                        else { return }
                        guard let label = try? await client.send(.post, "/api/v1/labels", json: labelBody(task: task))
                        else { return }
                        if label.status == .created, let id = (try? JSONParser.parse(label.body))?["label_id"]?.int {
                            acknowledged.add(annotator: index, task: task, labelID: id)
                        }
                    }
                }
            }
        }
    }

    /// Every acknowledged label is stored, as it was sent; returns the number of labels in the store.
    func checkStored(_ acknowledged: Acknowledged, path: String, annotatorIDs: [AnnotatorID]) throws -> Int {
        let store = try PreferenceStore(path: path)
        let rows = try store.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT j.id, j.annotator_id, j.overall, j.comment, t.id AS task_id
                    FROM judgement j JOIN annotation_task t ON t.comparison_id = j.comparison_id
                    """)
        }
        var stored: [Int: (annotator: AnnotatorID, task: Int, comment: String?)] = [:]
        for row in rows { stored[row["id"]] = (row["annotator_id"], row["task_id"], row["comment"]) }
        for entry in acknowledged.all {
            let found = stored[entry.labelID]
            #expect(
                found?.annotator == annotatorIDs[entry.annotator] && found?.task == entry.task
                    && found?.comment == "label of \(entry.task)", "label \(entry.labelID) acknowledged but not stored")
        }
        #expect(try store.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
        return rows.count
    }

    @Test func everyAcknowledgedLabelSurvivesKillNine() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("durable.sqlite")
        let tokens = try makeServerStore(at: path, prompts: 3000, labelsPerTask: 1, annotators: Self.durabilityClients)
        let annotatorIDs = try (0..<Self.durabilityClients).map {
            try #require(try PreferenceStore(path: path).annotator(named: "annotator-\($0)")).id
        }
        let adminToken = AccessToken.generate(prefix: AccessToken.adminPrefix)

        // Round 1: kill -9 once 300 labels are acknowledged, while the clients keep posting.
        let acknowledged = Acknowledged()
        let first = try ServerProcess(
            database: path, adminToken: adminToken, extraArguments: ["--log-level", "warning"])
        let port = try await first.waitUntilServing()
        let killer = Task {
            let deadline = Date().addingTimeInterval(120)
            while acknowledged.count < 300 && Date() < deadline { try await Task.sleep(for: .milliseconds(2)) }
            return try await first.stop(signal: SIGKILL)
        }
        await stream(port: port, tokens: tokens, acknowledged: acknowledged, stop: { Date() > Date.distantFuture })
        let status = try await killer.value
        #expect(first.process.terminationReason == .uncaughtSignal && status == SIGKILL)
        let acknowledgedBeforeKill = acknowledged.count
        #expect(acknowledgedBeforeKill >= 300)
        let storedAfterKill = try checkStored(acknowledged, path: path, annotatorIDs: annotatorIDs)

        // Round 2: restart on the same file; it serves, and the clients carry on where they were.
        let second = try ServerProcess(
            database: path, adminToken: adminToken, extraArguments: ["--log-level", "warning"])
        let secondPort = try await second.waitUntilServing()
        let target = acknowledgedBeforeKill + 200
        await stream(
            port: secondPort, tokens: tokens, acknowledged: acknowledged, stop: { acknowledged.count >= target })
        #expect(try await second.stop(signal: SIGTERM) == 0)
        let storedAtEnd = try checkStored(acknowledged, path: path, annotatorIDs: annotatorIDs)
        print(
            "annotation durability test: kill -9 after \(acknowledgedBeforeKill) labels acknowledged (201); "
                + "\(storedAfterKill) in the store after the kill (every acknowledged one among them); after restart "
                + "\(acknowledged.count) acknowledged, \(storedAtEnd) stored, none lost")
        #expect(storedAfterKill >= acknowledgedBeforeKill)
        #expect(storedAtEnd >= acknowledged.count)
    }
}
