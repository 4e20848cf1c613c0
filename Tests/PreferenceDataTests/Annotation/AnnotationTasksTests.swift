import Foundation
import GRDB
import Testing

@testable import PreferenceData

@Suite struct AnnotationTasksTests {
    private let now = Date(timeIntervalSince1970: 1_700_000_000)

    /// A store with `prompts` prompts of `responses` responses each, and people named p0, p1, ….
    private func makeStore(_ directory: TemporaryDirectory, prompts: Int, responses: Int, people: Int) throws -> (
        PreferenceStore, [AnnotatorID]
    ) {
        let store = try directory.store()
        try store.add(
            (0..<prompts).map { prompt in
                PreferenceRecord(
                    prompt: PromptDraft(text: "prompt \(prompt)"),
                    responses: (0..<responses).map { ResponseDraft(text: "r\(prompt).\($0)") })
            })
        let ids = try (0..<people).map {
            try store.addAnnotator(name: "p\($0)", kind: .human, tokenHash: "sha256:\($0)").id
        }
        return (store, ids)
    }

    /// Takes the person's next task and labels it (a label needs the lease).
    private func labelNextTask(
        _ store: PreferenceStore, _ person: AnnotatorID,
        _ label: LabelDraft = LabelDraft(overall: .a)
    ) async throws -> AnnotationLabel {
        let task = try #require(try await store.nextTask(for: person, leaseDuration: 60, now: now))
        return try await store.submitLabel(label, task: task.taskID, annotator: person, now: now)
    }

    @Test func everyPairOfResponsesBecomesATaskOnce() throws {
        let directory = try TemporaryDirectory()
        let (store, _) = try makeStore(directory, prompts: 2, responses: 4, people: 0)
        let report = try store.createTasks(TaskCreationOptions(labelsPerTask: 2), now: now)
        #expect(report.comparisonsCreated == 12)  // 2 prompts × C(4, 2)
        #expect(report.tasksCreated == 12)
        #expect(report.tasksTotal == 12)
        let tasks = try store.tasks()
        #expect(tasks.allSatisfy { $0.labelsWanted == 2 && $0.labelsDone == 0 })
        // Comparisons keep the lower response id as A.
        let comparisons = try store.read { try Comparison.fetchAll($0, sql: "SELECT * FROM comparison") }
        #expect(comparisons.allSatisfy { $0.responseA < $0.responseB })
        #expect(try store.createTasks(now: now).tasksCreated == 0)
    }

    @Test func creationFiltersPromptsPairsFlagsAndJudgedComparisons() throws {
        let directory = try TemporaryDirectory()
        let store = try directory.store()
        try store.add([
            PreferenceRecord(
                prompt: PromptDraft(text: "flagged", qualityFlags: .tooShort),
                responses: [ResponseDraft(text: "a"), ResponseDraft(text: "b")]),
            PreferenceRecord(
                prompt: PromptDraft(text: "judged"),
                responses: [ResponseDraft(text: "c"), ResponseDraft(text: "d"), ResponseDraft(text: "e")],
                comparisons: [
                    ComparisonDraft(
                        responseA: 0, responseB: 1,
                        judgements: [
                            JudgementDraft(annotator: AnnotatorReference(name: "alice", kind: .human), overall: .a)
                        ])
                ]),
        ])
        let judged = try #require(try store.prompts().first { $0.text == "judged" })
        let existingOnly = try store.createTasks(TaskCreationOptions(pairs: .existing), now: now)
        #expect(existingOnly.comparisonsCreated == 0 && existingOnly.tasksCreated == 0)  // the one comparison is judged
        let withJudged = try store.createTasks(
            TaskCreationOptions(labelsPerTask: 2, pairs: .existing, includeJudged: true), now: now)
        #expect(withJudged.tasksCreated == 1)
        // The task counts alice's judgement already: she will not be asked again, one more person will.
        #expect(try store.tasks().first?.labelsDone == 1)

        let onePrompt = try store.createTasks(TaskCreationOptions(promptIDs: [judged.id]), now: now)
        #expect(onePrompt.comparisonsCreated == 2 && onePrompt.tasksCreated == 2)
        #expect(try store.createTasks(now: now).tasksCreated == 0)  // the flagged prompt stays out
        #expect(try store.createTasks(TaskCreationOptions(includeFlaggedPrompts: true), now: now).tasksCreated == 1)

        #expect(throws: PreferenceDataError.notFound("prompt 99 is not in the store")) {
            try store.createTasks(TaskCreationOptions(promptIDs: [PromptID(99)]), now: now)
        }
        #expect(throws: PreferenceDataError.self) {
            try store.createTasks(TaskCreationOptions(labelsPerTask: 0), now: now)
        }
    }

    @Test func leasesHandOutEachPlaceOnceAndExpire() async throws {
        let directory = try TemporaryDirectory()
        let (store, people) = try makeStore(directory, prompts: 2, responses: 2, people: 4)
        try await store.createTasks(now: now)
        let first = try #require(try await store.nextTask(for: people[0], leaseDuration: 60, now: now))
        #expect(first.prompt == "prompt 0")
        #expect(first.responseA == "r0.0" && first.responseB == "r0.1")
        #expect(first.leaseExpiresAt == now.addingTimeInterval(60))
        // The same task again while held, lease renewed; others get the other task, then nothing.
        #expect(
            try await store.nextTask(for: people[0], leaseDuration: 60, now: now.addingTimeInterval(30))?.taskID
                == first.taskID)
        let second = try #require(try await store.nextTask(for: people[1], leaseDuration: 60, now: now))
        #expect(second.taskID != first.taskID)
        #expect(try await store.nextTask(for: people[2], leaseDuration: 60, now: now) == nil)
        // p1 walked away: their task is free at +61. p0's lease was renewed at +30, so theirs is free at +91 only.
        #expect(
            try await store.nextTask(for: people[2], leaseDuration: 60, now: now.addingTimeInterval(61))?.taskID
                == second.taskID)
        #expect(try await store.nextTask(for: people[3], leaseDuration: 60, now: now.addingTimeInterval(61)) == nil)
        #expect(
            try await store.nextTask(for: people[3], leaseDuration: 60, now: now.addingTimeInterval(91))?.taskID
                == first.taskID)
        #expect(try await store.annotationProgress(now: now.addingTimeInterval(91)).activeLeases == 2)
    }

    @Test func submittingRecordsAJudgementOncePerPerson() async throws {
        let directory = try TemporaryDirectory()
        let (store, people) = try makeStore(directory, prompts: 1, responses: 2, people: 3)
        try await store.createTasks(TaskCreationOptions(labelsPerTask: 2), now: now)
        let task = try #require(try store.tasks().first)
        let label = LabelDraft(overall: .b, dimensions: [.fluency: .a], comment: "fine")
        #expect(try await store.nextTask(for: people[0], leaseDuration: 60, now: now)?.taskID == task.id)
        let stored = try await store.submitLabel(label, task: task.id, annotator: people[0], now: now)
        #expect(stored.label == label)
        #expect(stored.taskID == task.id)
        await #expect(throws: PreferenceDataError.conflict("you already labelled task \(task.id)")) {
            try await store.submitLabel(label, task: task.id, annotator: people[0], now: now)
        }
        await #expect(throws: PreferenceDataError.notFound("task 42 does not exist")) {
            try await store.submitLabel(label, task: AnnotationTaskID(42), annotator: people[0], now: now)
        }
        // p2 holds the last place; p1 cannot take it.
        #expect(try await store.nextTask(for: people[2], leaseDuration: 60, now: now)?.taskID == task.id)
        await #expect(throws: PreferenceDataError.self) {
            try await store.submitLabel(label, task: task.id, annotator: people[1], now: now)
        }
        _ = try await store.submitLabel(label, task: task.id, annotator: people[2], now: now)
        #expect(try store.task(task.id)?.labelsDone == 2)
        #expect(try store.task(task.id)?.isComplete == true)
        let judgements = try store.judgements(of: task.comparisonID)
        #expect(judgements.map(\.annotatorID) == [people[0], people[2]])
        #expect(judgements.allSatisfy { $0.overall == .b && $0.dimensions == [.fluency: .a] && $0.comment == "fine" })

        // A model or dataset annotator does not label tasks.
        let model = try store.addAnnotator(name: "rm", kind: .model)
        try await store.createTasks(TaskCreationOptions(pairs: .all, includeJudged: true), now: now)
        await #expect(throws: PreferenceDataError.self) {
            try await store.submitLabel(label, task: task.id, annotator: model.id, now: now)
        }
    }

    @Test func labelsAreReadAndChangedOnlyByTheirAuthor() async throws {
        let directory = try TemporaryDirectory()
        let (store, people) = try makeStore(directory, prompts: 3, responses: 2, people: 2)
        try await store.createTasks(TaskCreationOptions(labelsPerTask: 2), now: now)
        var mine: [AnnotationLabel] = []
        for _ in try store.tasks() {
            mine.append(try await labelNextTask(store, people[0]))
        }
        #expect(try await store.labels(of: people[0]).map(\.id) == mine.map(\.id))
        #expect(try await store.labels(of: people[0], after: mine[0].id, limit: 1).map(\.id) == [mine[1].id])
        #expect(try await store.labels(of: people[1]).isEmpty)
        #expect(try await store.label(mine[0].id, of: people[1]) == nil)
        await #expect(throws: PreferenceDataError.self) {
            try await store.updateLabel(mine[0].id, of: people[1], to: LabelDraft(overall: .b), now: now)
        }
        let changed = try await store.updateLabel(
            mine[0].id, of: people[0], to: LabelDraft(overall: .tie, comment: "on reflection"), now: now)
        #expect(changed.label == LabelDraft(overall: .tie, comment: "on reflection"))
        let counts = try await store.labelCounts(of: people[1])
        #expect(counts.labelled == 0 && counts.open == 3)
        #expect(try await store.labelCounts(of: people[0]).open == 0)
    }

    @Test func labelCountsFollowJudgementsHoweverTheyAreAdded() throws {
        let directory = try TemporaryDirectory()
        let (store, _) = try makeStore(directory, prompts: 1, responses: 2, people: 0)
        try store.createTasks(TaskCreationOptions(labelsPerTask: 3), now: now)
        let task = try #require(try store.tasks().first)
        // An import adds a person's and a dataset's judgement: only the person's counts.
        try store.addJudgement(
            JudgementDraft(annotator: AnnotatorReference(name: "bob", kind: .human), overall: .a), to: task.comparisonID
        )
        try store.addJudgement(
            JudgementDraft(annotator: AnnotatorReference(name: "hh", kind: .dataset), overall: .a),
            to: task.comparisonID)
        #expect(try store.task(task.id)?.labelsDone == 1)
        try store.write {
            try $0.execute(
                sql: "DELETE FROM judgement WHERE annotator_id = (SELECT id FROM annotator WHERE name = 'bob')")
        }
        #expect(try store.task(task.id)?.labelsDone == 0)
    }

    @Test func progressSumsTasksLabelsAndPeople() async throws {
        let directory = try TemporaryDirectory()
        let (store, people) = try makeStore(directory, prompts: 2, responses: 2, people: 2)
        try await store.createTasks(TaskCreationOptions(labelsPerTask: 2), now: now)
        let tasks = try store.tasks()
        #expect(try await labelNextTask(store, people[0]).taskID == tasks[0].id)
        #expect(try await labelNextTask(store, people[1]).taskID == tasks[0].id)
        #expect(try await labelNextTask(store, people[1]).taskID == tasks[1].id)
        let progress = try await store.annotationProgress(now: now)
        #expect(progress.tasks == 2 && progress.tasksComplete == 1)
        #expect(progress.labelsWanted == 4 && progress.labelsDone == 3)
        #expect(progress.annotators.map(\.labels) == [1, 2])
        #expect(progress.annotators.last?.lastLabelAt == now)
    }

    @Test func exportOfTasksHoldsOnlyTaskComparisons() async throws {
        let directory = try TemporaryDirectory()
        let (store, people) = try makeStore(directory, prompts: 2, responses: 2, people: 1)
        try await store.createTasks(
            TaskCreationOptions(promptIDs: [try #require(try store.prompts().first).id]), now: now)
        let task = try #require(try store.tasks().first)
        #expect(try await labelNextTask(store, people[0], LabelDraft(overall: .b, comment: "x")).taskID == task.id)
        let (bytes, lines) = try await JSONLinesExporter.nativeLines(from: store, scope: .annotationTasks)
        #expect(lines == 1)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(
            text.contains("\"prompt\":\"prompt 0\"") && text.contains("\"annotator\":\"p0\"")
                && text.contains("\"comment\":\"x\""))
        let path = directory.file("tasks.jsonl")
        #expect(try JSONLinesExporter.exportNative(from: store, scope: .annotationTasks, to: path) == 1)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
        // The whole store holds the other prompt too.
        #expect(try JSONLinesExporter.exportNative(from: store, to: directory.file("all.jsonl")) == 2)
    }

    @Test func durableCommitsSyncEveryTransaction() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("durable.sqlite")
        let durable = try PreferenceStore(path: path, options: StoreOptions(durableCommits: true))
        #expect(try durable.write { try Int.fetchOne($0, sql: "PRAGMA synchronous") } == 2)  // FULL
        let normal = try PreferenceStore(path: path)
        #expect(try normal.write { try Int.fetchOne($0, sql: "PRAGMA synchronous") } == 1)  // NORMAL
    }

    @Test func aVersionOneStoreIsMigrated() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("v1.sqlite")
        // A store as the first release wrote it.
        try DatabaseQueue(path: path).writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA application_id = \(StoreSchema.applicationID)")
            try StoreSchema.createVersion1(db)
            try db.execute(sql: "PRAGMA user_version = 1")
            try db.execute(
                sql:
                    "INSERT INTO annotator (name, kind, created_at) VALUES ('old', 'human', '2024-01-01T00:00:00.000Z')"
            )
        }
        let store = try PreferenceStore(path: path)
        #expect(try store.read { try Int.fetchOne($0, sql: "PRAGMA user_version") } == PreferenceStore.schemaVersion)
        #expect(try store.annotator(named: "old") != nil)
        #expect(try store.tasks().isEmpty)
    }
}
