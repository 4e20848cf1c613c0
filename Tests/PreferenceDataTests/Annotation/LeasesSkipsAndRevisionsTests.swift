import Foundation
import GRDB
import JSONSupport
import Testing

@testable import PreferenceData

/// The rules of issue 14 at the store: a label needs the annotator's unexpired lease, a heartbeat renews only a held
/// lease, a skip is kept, a correction keeps the earlier version, and the export pages through the tasks.
@Suite struct LeasesSkipsAndRevisionsTests {
    private let now = Date(timeIntervalSince1970: 1_700_000_000)

    /// A store with `prompts` prompts of two responses, a task each wanting `labelsPerTask` labels, and people p0, p1, ….
    private func makeStore(
        _ directory: TemporaryDirectory, prompts: Int, people: Int,
        labelsPerTask: Int = 1
    ) throws -> (PreferenceStore, [AnnotatorID]) {
        try makeTaskStore(directory, prompts: prompts, people: people, labelsPerTask: labelsPerTask, now: now)
    }

    /// The refusal of a label or heartbeat for a task the annotator does not hold.
    private func notHeld(_ task: AnnotationTaskID) -> PreferenceDataError {
        .conflict(TaskLeasing.notHeldMessage(task))
    }

    @Test func aLabelNeedsTheAnnotatorsUnexpiredLease() async throws {
        let directory = try TemporaryDirectory()
        let (store, people) = try makeStore(directory, prompts: 3, people: 1)
        let tasks = try store.tasks()
        // Never handed out: refused, and nothing is stored.
        for task in tasks {
            await #expect(throws: notHeld(task.id)) {
                try await store.submitLabel(LabelDraft(overall: .a), task: task.id, annotator: people[0], now: now)
            }
        }
        #expect(try store.tasks().allSatisfy { $0.labelsDone == 0 })
        #expect(try await store.labels(of: people[0]).isEmpty)

        // Holding the first task does not open the others.
        #expect(try await store.nextTask(for: people[0], leaseDuration: 60, now: now)?.taskID == tasks[0].id)
        await #expect(throws: notHeld(tasks[1].id)) {
            try await store.submitLabel(LabelDraft(overall: .a), task: tasks[1].id, annotator: people[0], now: now)
        }
        // An expired lease no longer counts.
        await #expect(throws: notHeld(tasks[0].id)) {
            try await store.submitLabel(
                LabelDraft(overall: .a), task: tasks[0].id, annotator: people[0], now: now.addingTimeInterval(61))
        }
        #expect(try await store.labels(of: people[0]).isEmpty)

        #expect(
            try await store.nextTask(for: people[0], leaseDuration: 60, now: now.addingTimeInterval(70))?.taskID
                == tasks[0].id)
        let label = try await store.submitLabel(
            LabelDraft(overall: .b), task: tasks[0].id, annotator: people[0], now: now.addingTimeInterval(80))
        #expect(label.taskID == tasks[0].id)
        #expect(try store.task(tasks[0].id)?.labelsDone == 1)
    }

    @Test func aHeartbeatRenewsOnlyALeaseTheAnnotatorHolds() async throws {
        let directory = try TemporaryDirectory()
        let (store, people) = try makeStore(directory, prompts: 2, people: 2)
        let tasks = try store.tasks()
        #expect(try await store.nextTask(for: people[0], leaseDuration: 60, now: now)?.taskID == tasks[0].id)
        // Beats every 50 s keep the task held long past one lease.
        for beat in 1...4 {
            let at = now.addingTimeInterval(Double(beat) * 50)
            #expect(
                try await store.renewLease(of: tasks[0].id, for: people[0], leaseDuration: 60, now: at)
                    == at.addingTimeInterval(60))
        }
        #expect(
            try await store.nextTask(for: people[1], leaseDuration: 60, now: now.addingTimeInterval(230))?.taskID
                == tasks[1].id)
        _ = try await store.submitLabel(
            LabelDraft(overall: .a), task: tasks[0].id, annotator: people[0], now: now.addingTimeInterval(240))

        // Another's task, a task after its lease ran out, an unknown task.
        await #expect(throws: notHeld(tasks[1].id)) {
            try await store.renewLease(
                of: tasks[1].id, for: people[0], leaseDuration: 60, now: now.addingTimeInterval(240))
        }
        await #expect(throws: notHeld(tasks[1].id)) {
            try await store.renewLease(
                of: tasks[1].id, for: people[1], leaseDuration: 60, now: now.addingTimeInterval(300))
        }
        await #expect(throws: PreferenceDataError.notFound("task 99 does not exist")) {
            try await store.renewLease(of: AnnotationTaskID(99), for: people[0], leaseDuration: 60, now: now)
        }
    }

    @Test func aSkippedTaskIsReleasedAndNeverHandedBack() async throws {
        let directory = try TemporaryDirectory()
        let (store, people) = try makeStore(directory, prompts: 2, people: 2)
        let tasks = try store.tasks()
        #expect(try await store.nextTask(for: people[0], leaseDuration: 60, now: now)?.taskID == tasks[0].id)
        try await store.skipTask(tasks[0].id, for: people[0], now: now)
        try await store.skipTask(tasks[0].id, for: people[0], now: now)  // twice is harmless
        #expect(try await store.annotationProgress(now: now).activeLeases == 0)
        #expect(try await store.labelCounts(of: people[0]).open == 1)
        await #expect(throws: notHeld(tasks[0].id)) {
            try await store.submitLabel(LabelDraft(overall: .a), task: tasks[0].id, annotator: people[0], now: now)
        }

        // The skip is stored: a reopened store still keeps the task from them, while others get it.
        let reopened = try PreferenceStore(path: directory.file("store.sqlite"))
        #expect(try await reopened.nextTask(for: people[0], leaseDuration: 60, now: now)?.taskID == tasks[1].id)
        _ = try await reopened.submitLabel(LabelDraft(overall: .a), task: tasks[1].id, annotator: people[0], now: now)
        #expect(try await reopened.nextTask(for: people[0], leaseDuration: 60, now: now.addingTimeInterval(600)) == nil)
        #expect(try await reopened.nextTask(for: people[1], leaseDuration: 60, now: now)?.taskID == tasks[0].id)

        await #expect(throws: PreferenceDataError.self) {
            try await reopened.skipTask(tasks[1].id, for: people[0], now: now)
        }
        await #expect(throws: PreferenceDataError.notFound("task 99 does not exist")) {
            try await reopened.skipTask(AnnotationTaskID(99), for: people[0], now: now)
        }
    }

    @Test func correctingALabelKeepsEveryEarlierVersion() async throws {
        let directory = try TemporaryDirectory()
        let (store, people) = try makeStore(directory, prompts: 1, people: 1)
        let task = try #require(try await store.nextTask(for: people[0], leaseDuration: 60, now: now))
        let first = LabelDraft(overall: .a, dimensions: [.safety: .tie], comment: "first look")
        let label = try await store.submitLabel(first, task: task.taskID, annotator: people[0], now: now)
        // Corrections need no lease (it was released by the label).
        let second = LabelDraft(overall: .b, comment: "on reflection")
        _ = try await store.updateLabel(label.id, of: people[0], to: second, now: now.addingTimeInterval(10))
        _ = try await store.updateLabel(
            label.id, of: people[0], to: LabelDraft(overall: .tie), now: now.addingTimeInterval(20))

        let revisions = try store.revisions(ofLabel: label.id)
        #expect(revisions.map(\.label) == [first, second])
        #expect(revisions.map(\.judgedAt) == [now, now.addingTimeInterval(10)])
        #expect(revisions.map(\.replacedAt) == [now.addingTimeInterval(10), now.addingTimeInterval(20)])
        #expect(try await store.label(label.id, of: people[0])?.label == LabelDraft(overall: .tie))
    }

    @Test func theExportPagesThroughTasksWithTheLatestLabelsOrEveryRevision() async throws {
        let directory = try TemporaryDirectory()
        let (store, people) = try makeStore(directory, prompts: 5, people: 1)
        var labels: [AnnotationLabel] = []
        for _ in 0..<5 {
            let task = try #require(try await store.nextTask(for: people[0], leaseDuration: 60, now: now))
            labels.append(
                try await store.submitLabel(
                    LabelDraft(overall: .a, comment: "was a"), task: task.taskID, annotator: people[0], now: now))
        }
        _ = try await store.updateLabel(
            labels[0].id, of: people[0], to: LabelDraft(overall: .b), now: now.addingTimeInterval(5))

        // Pages of 2: 2 + 2 + 1 lines, the last page ends the export.
        var pages: [AnnotationExportPage] = []
        var after: ComparisonID?
        repeat {
            let page = try await store.annotationExportPage(after: after, limit: 2)
            pages.append(page)
            after = page.nextAfter
        } while after != nil
        #expect(pages.map(\.lines) == [2, 2, 1])
        let paged = pages.flatMap(\.bytes)
        let path = directory.file("tasks.jsonl")
        #expect(try store.exportAnnotations(to: path) == 5)
        #expect(try Array(Data(contentsOf: URL(fileURLWithPath: path))) == paged)
        // The same lines as the whole-store exporter's annotation scope.
        #expect(try await JSONLinesExporter.nativeLines(from: store, scope: .annotationTasks).bytes == paged)

        let latest = try JSONParser.parse(String(decoding: paged, as: UTF8.self).split(separator: "\n")[0].description)
        let judgement = try #require(latest["judgements"]?.array?.first)
        #expect(judgement["overall"]?.string == "b")
        #expect(judgement["revisions"] == nil)

        let allPath = directory.file("all.jsonl")
        #expect(try store.exportAnnotations(to: allPath, versions: .all) == 5)
        let allLines = try String(contentsOfFile: allPath, encoding: .utf8).split(separator: "\n").map {
            try JSONParser.parse(String($0))
        }
        let revised = try #require(allLines[0]["judgements"]?.array?.first)
        #expect(revised["overall"]?.string == "b")
        let revisions = try #require(revised["revisions"]?.array)
        #expect(revisions.count == 1)
        #expect(revisions[0]["overall"]?.string == "a")
        #expect(revisions[0]["comment"]?.string == "was a")
        #expect(revisions[0]["replaced_at"]?.string == Timestamp.string(from: now.addingTimeInterval(5)))
        #expect(allLines[1]["judgements"]?.array?.first?["revisions"]?.array?.isEmpty == true)
        // No temporary file is left behind.
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory.path).allSatisfy { !$0.contains(".tmp-") })
    }

    @Test func aVersionTwoStoreIsMigratedWithItsLabelsKept() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("v2.sqlite")
        try DatabaseQueue(path: path).writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA application_id = \(StoreSchema.applicationID)")
            try StoreSchema.createVersion1(db)
            try StoreSchema.createVersion2(db)
            try db.execute(sql: "PRAGMA user_version = 2")
        }
        let store = try PreferenceStore(path: path)
        #expect(try store.read { try Int.fetchOne($0, sql: "PRAGMA user_version") } == PreferenceStore.schemaVersion)
        #expect(try store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM label_revision") } == 0)
        #expect(try store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM task_skip") } == 0)
    }
}
