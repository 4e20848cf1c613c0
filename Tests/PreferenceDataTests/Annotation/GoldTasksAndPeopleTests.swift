import Foundation
import GRDB
import Testing

@testable import PreferenceData

/// Gold tasks mixed into the queues, assignment of tasks to people, deactivation, the quality report, and the
/// post-filter's exclusion of people below a gold-accuracy threshold.
@Suite struct GoldTasksAndPeopleTests {
    private let now = Date(timeIntervalSince1970: 1_700_000_000)

    /// A store with `prompts` prompts of two responses, one task each (wanting `labels` labels), and `people` people.
    private func makeStore(_ directory: TemporaryDirectory, prompts: Int, people: Int, labels: Int = 1) throws -> (
        PreferenceStore, [AnnotationTaskID], [AnnotatorID]
    ) {
        let (store, ids) = try makeTaskStore(
            directory, prompts: prompts, people: people, labelsPerTask: labels, now: now)
        return (store, try store.tasks().map(\.id), ids)
    }

    /// Labels every task the person is given (with `choice`) until none is left; returns the task ids in order.
    private func labelAll(
        _ store: PreferenceStore, _ person: AnnotatorID, goldRate: Double, choice: Choice = .a
    ) async throws -> [AnnotationTaskID] {
        var seen: [AnnotationTaskID] = []
        while let task = try await store.nextTask(for: person, leaseDuration: 60, now: now, goldRate: goldRate) {
            seen.append(task.taskID)
            _ = try await store.submitLabel(
                LabelDraft(overall: choice), task: task.taskID, annotator: person, now: now, shownSwapped: false)
        }
        return seen
    }

    @Test func goldTasksAreMixedInAtTheRateAndEveryoneAnswersEachOnce() async throws {
        let directory = try TemporaryDirectory()
        let (store, tasks, people) = try makeStore(directory, prompts: 200, people: 2)
        let gold = Set(tasks.prefix(40))
        for task in gold { try await store.markGold(task: task, answer: .a, now: now) }
        let first = try await labelAll(store, people[0], goldRate: 0.2)
        let ordinary = first.filter { !gold.contains($0) }
        let goldSeen = first.filter { gold.contains($0) }
        #expect(ordinary.count == 160)
        #expect(Set(goldSeen).count == goldSeen.count)
        // About 20% of the tasks handed out: 160 ordinary ones leave room for about 40.
        #expect((25...40).contains(goldSeen.count), "\(goldSeen.count) gold tasks")
        // The ordinary tasks are all labelled: the second person gets nothing, not the gold tasks left alone.
        #expect(try await store.nextTask(for: people[1], leaseDuration: 60, now: now, goldRate: 1) == nil)
        let progress = try await store.annotationProgress(now: now)
        #expect(progress.tasks == 160 && progress.goldTasks == 40 && progress.goldLabels == goldSeen.count)
        #expect(progress.labelsDone == 160 && progress.labelsWanted == 160)
        #expect(try await store.labelCounts(of: people[0]) == (first.count, 0))
    }

    @Test func withoutAGoldRateGoldTasksAreNeverHandedOut() async throws {
        let directory = try TemporaryDirectory()
        let (store, tasks, people) = try makeStore(directory, prompts: 5, people: 1)
        try await store.markGold(task: tasks[0], answer: .b, now: now)
        let seen = try await labelAll(store, people[0], goldRate: 0)
        #expect(seen == Array(tasks.dropFirst()))
        #expect(try await store.goldTasks().first?.labels == 0)
        await #expect(throws: PreferenceDataError.self) {
            try await store.markGold(task: AnnotationTaskID(99), answer: .a)
        }
    }

    @Test func assignedTasksGoOnlyToTheirPeople() async throws {
        let directory = try TemporaryDirectory()
        let (store, tasks, people) = try makeStore(directory, prompts: 4, people: 2)
        try await store.assign(tasks: [tasks[0], tasks[1]], to: [people[1]])
        #expect(try await store.labelCounts(of: people[0]).open == 2)
        #expect(try await labelAll(store, people[0], goldRate: 0) == [tasks[2], tasks[3]])
        #expect(try await labelAll(store, people[1], goldRate: 0) == [tasks[0], tasks[1]])
        await #expect(throws: PreferenceDataError.self) {
            try await store.assign(tasks: [AnnotationTaskID(99)], to: [])
        }
    }

    @Test func deactivationReleasesLeasesAndKeepsLabels() async throws {
        let directory = try TemporaryDirectory()
        let (store, _, people) = try makeStore(directory, prompts: 3, people: 1)
        let task = try #require(try await store.nextTask(for: people[0], leaseDuration: 60, now: now))
        _ = try await store.submitLabel(LabelDraft(overall: .b), task: task.taskID, annotator: people[0], now: now)
        _ = try await store.nextTask(for: people[0], leaseDuration: 60, now: now)
        let off = try await store.setActive(false, annotator: people[0], now: now)
        #expect(!off.isActive && off.deactivatedAt == now)
        #expect(try store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM task_lease") } == 0)
        #expect(try store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM judgement") } == 1)
        #expect(try await store.setActive(true, annotator: people[0]).isActive)
        await #expect(throws: PreferenceDataError.self) {
            try await store.setActive(false, annotator: AnnotatorID(42))
        }
    }

    @Test func theQualityReportMeasuresTimeBiasAndGold() async throws {
        let directory = try TemporaryDirectory()
        let (store, tasks, people) = try makeStore(directory, prompts: 6, people: 3, labels: 3)
        for task in tasks.prefix(2) { try await store.markGold(task: task, answer: .a, now: now) }
        // p0 answers a (right on gold), p1 b (wrong), p2 a; p1 was shown every pair swapped, so its "b" was "A".
        for (person, choice, swapped) in [(people[0], Choice.a, false), (people[1], .b, true), (people[2], .a, false)] {
            var time = now
            while let task = try await store.nextTask(for: person, leaseDuration: 600, now: time, goldRate: 1) {
                time.addTimeInterval(12)
                _ = try await store.submitLabel(
                    LabelDraft(overall: choice), task: task.taskID, annotator: person, now: time, shownSwapped: swapped)
            }
        }
        let report = try await store.annotationQuality()
        #expect(report.annotators.map(\.name) == ["p0", "p2", "p1"])
        let p1 = try #require(report.annotators.last)
        #expect(p1.gold.accuracy == 0 && p1.shownChoices == [.a: p1.labels])
        #expect(p1.majorityAgreement == 0)
        #expect(report.annotators[0].medianSecondsPerTask == 12)
        // p0's others split a/b on every task: no majority to agree with.
        #expect(report.annotators[0].majorityAgreement == nil)
        #expect(report.pairwise.count == 3)
        #expect(report.labelsPerHour.map(\.labels).reduce(0, +) == report.annotators.map(\.labels).reduce(0, +))

        // The post-filter leaves p1 out when told.
        let below = try store.annotators(belowGoldAccuracy: 0.5, minimumGoldLabels: 1)
        #expect(below.map { $0.annotator.name } == ["p1"])
        let (_, report2) = try store.postFilter(
            options: PostFilterOptions(excludedAnnotators: Set(below.map { $0.annotator.id })))
        #expect(report2.droppedExcludedJudgements == p1.labels)
        #expect(report2.agreement.observedAgreement == 1)
    }

    @Test func aVersionThreeStoreIsMigratedWithItsLabelsKept() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("v3.sqlite")
        try DatabaseQueue(path: path).writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA application_id = \(StoreSchema.applicationID)")
            try StoreSchema.createVersion1(db)
            try StoreSchema.createVersion2(db)
            try StoreSchema.createVersion3(db)
            try db.execute(sql: "PRAGMA user_version = 3")
            try db.execute(
                sql: """
                    INSERT INTO annotator (name, kind, token_hash, created_at) VALUES ('alice', 'human', 'sha256:x', '2024-01-01T00:00:00.000Z');
                    INSERT INTO prompt (content_hash, text, created_at) VALUES (1, 'p', '2024-01-01T00:00:00.000Z');
                    INSERT INTO response (prompt_id, content_hash, text, char_count, created_at) VALUES (1, 1, 'a', 1, '2024-01-01T00:00:00.000Z'), (1, 2, 'b', 1, '2024-01-01T00:00:00.000Z');
                    INSERT INTO comparison (prompt_id, response_a_id, response_b_id, created_at) VALUES (1, 1, 2, '2024-01-01T00:00:00.000Z');
                    INSERT INTO annotation_task (comparison_id, labels_wanted, created_at) VALUES (1, 1, '2024-01-01T00:00:00.000Z');
                    INSERT INTO judgement (comparison_id, annotator_id, overall, judged_at) VALUES (1, 1, 'b', '2024-01-01T00:01:00.000Z');
                    """)
        }
        let store = try PreferenceStore(path: path)
        #expect(try store.read { try Int.fetchOne($0, sql: "PRAGMA user_version") } == PreferenceStore.schemaVersion)
        #expect(try store.annotators().first?.isActive == true)
        #expect(try store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM judgement") } == 1)
        let progress = try store.annotationProgress()
        #expect(progress.labelsDone == 1 && progress.goldTasks == 0)
    }
}
