import Foundation
import GRDB
import Testing

@testable import PreferenceData

@Suite struct PreferenceStoreTests {
    @Test func newStoreIsWALWithTheCurrentSchema() throws {
        let directory = try TemporaryDirectory()
        let store = try directory.store()
        let (mode, version, application) = try store.read { db in
            (
                try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA user_version"),
                try Int32.fetchOne(db, sql: "PRAGMA application_id")
            )
        }
        #expect(mode == "wal")
        #expect(version == PreferenceStore.schemaVersion)
        #expect(application == 0x524C_4844)
        // Reopening finds it up to date.
        _ = try PreferenceStore(path: store.path)
    }

    @Test func refusesFilesThatAreNotPreferenceStores() throws {
        let directory = try TemporaryDirectory()
        let text = try directory.write("notes.txt", String(repeating: "not a database\n", count: 100))
        let error = #expect(throws: PreferenceDataError.self) { try PreferenceStore(path: text) }
        #expect(error?.description == "\(text): is not an SQLite database")

        let other = directory.file("other.sqlite")
        try DatabaseQueue(path: other).write { try $0.execute(sql: "CREATE TABLE t (x)") }
        let otherError = #expect(throws: PreferenceDataError.self) { try PreferenceStore(path: other) }
        #expect(otherError?.description.contains("another application") == true)

        #expect(throws: PreferenceDataError.self) { try PreferenceStore(path: directory.path) }
    }

    @Test func refusesANewerSchema() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.store().path
        try DatabaseQueue(path: path).writeWithoutTransaction { try $0.execute(sql: "PRAGMA user_version = 99") }
        let error = #expect(throws: PreferenceDataError.self) { try PreferenceStore(path: path) }
        #expect(error?.description.contains("schema version 99, newer than this build understands") == true)
    }

    @Test func missingStoreIsNotCreatedWhenAskedNotTo() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("absent.sqlite")
        #expect(throws: PreferenceDataError.self) {
            try PreferenceStore(path: path, options: StoreOptions(createIfMissing: false))
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func addDeduplicatesPromptsResponsesAndComparisons() throws {
        let directory = try TemporaryDirectory()
        let store = try directory.store()
        let crowd = AnnotatorReference(name: "crowd", kind: .dataset)
        let record = PreferenceRecord(
            prompt: PromptDraft(text: "Q", context: [Turn(role: .user, content: "earlier")]),
            responses: [ResponseDraft(text: "x", model: "m"), ResponseDraft(text: "y")],
            comparisons: [
                ComparisonDraft(responseA: 0, responseB: 1, judgements: [JudgementDraft(annotator: crowd, overall: .a)])
            ])
        // The same pair given the other way round is the same comparison; the choice follows the responses.
        let reversed = PreferenceRecord(
            prompt: record.prompt, responses: [ResponseDraft(text: "y", tokenCount: 3), ResponseDraft(text: "x")],
            comparisons: [
                ComparisonDraft(responseA: 0, responseB: 1, judgements: [JudgementDraft(annotator: crowd, overall: .a)])
            ])
        let sameTextOtherContext = PreferenceRecord(prompt: PromptDraft(text: "Q"))
        let report = try store.add([record, reversed, sameTextOtherContext])
        #expect(report.promptsAdded == 2)
        #expect(report.responsesAdded == 2)
        #expect(report.comparisonsAdded == 1)
        #expect(report.judgementsAdded == 2)
        let prompt = try #require(try store.prompts().first)
        let comparison = try #require(try store.comparisons(of: prompt.id).first)
        let responses = try store.responses(to: prompt.id)
        #expect(responses.map(\.text) == ["x", "y"])
        #expect(responses.map(\.model) == ["m", nil])
        #expect(responses.map(\.tokenCount) == [nil, 3])  // filled in by the later record
        #expect(comparison.responseA == responses[0].id)
        let judgements = try store.judgements(of: comparison.id)
        #expect(judgements.map(\.overall) == [.a, .b])
        #expect(judgements.map(\.occurrence) == [0, 1])
    }

    @Test func swappedRecordsSwapDimensionsAndScoresToo() throws {
        let directory = try TemporaryDirectory()
        let store = try directory.store()
        try store.add([PreferenceRecord(prompt: PromptDraft(text: "Q"), responses: [ResponseDraft(text: "first")])])
        let judge = JudgementDraft(
            annotator: AnnotatorReference(name: "alice", kind: .human), overall: .a,
            dimensions: [.helpfulness: .a, .safety: .tie, .fluency: .b], scoreA: 2, scoreB: -1,
            comment: "clear", judgedAt: Date(timeIntervalSince1970: 1_700_000_000.5))
        // "second" is new, so its id is higher than "first": the stored order is (first, second).
        try store.add([
            PreferenceRecord(
                prompt: PromptDraft(text: "Q"),
                responses: [ResponseDraft(text: "second"), ResponseDraft(text: "first")],
                comparisons: [ComparisonDraft(responseA: 0, responseB: 1, judgements: [judge])])
        ])
        let comparison = try #require(try store.comparisons(of: PromptID(1)).first)
        let judgement = try #require(try store.judgements(of: comparison.id).first)
        #expect(judgement.overall == .b)
        #expect(judgement.dimensions == [.helpfulness: .b, .safety: .tie, .fluency: .a])
        #expect(judgement.scoreA == -1)
        #expect(judgement.scoreB == 2)
        #expect(judgement.comment == "clear")
        #expect(judgement.judgedAt == Date(timeIntervalSince1970: 1_700_000_000.5))
    }

    @Test func aPersonJudgesAComparisonOnce() throws {
        let directory = try TemporaryDirectory()
        let store = try directory.store()
        func record(_ choice: Choice) -> PreferenceRecord {
            PreferenceRecord(
                prompt: PromptDraft(text: "Q"), responses: [ResponseDraft(text: "x"), ResponseDraft(text: "y")],
                comparisons: [
                    ComparisonDraft(
                        responseA: 0, responseB: 1,
                        judgements: [
                            JudgementDraft(annotator: AnnotatorReference(name: "bob", kind: .human), overall: choice)
                        ])
                ])
        }
        try store.add([record(.a)])
        // The same judgement again is already present; a different one is a conflict.
        #expect(try store.add([record(.a)]).judgementsAlreadyPresent == 1)
        let error = #expect(throws: PreferenceDataError.self) { try store.add([record(.tie)]) }
        #expect(
            error
                == .invalidRecord(
                    index: 0,
                    problem: "this comparison is already judged differently by \"bob\" (overall a stored, tie here)"))
        // Skipping invalid records leaves the store as it was for that record.
        let report = try store.add(
            [record(.b), PreferenceRecord(prompt: PromptDraft(text: "other"))], skipInvalid: true)
        #expect(report.rejected.map(\.index) == [0])
        #expect(report.promptsAdded == 1)
        #expect(try store.judgements(of: ComparisonID(1)).map(\.overall) == [.a])
        // The schema itself refuses a second judgement by a person, whatever writes it.
        #expect(throws: DatabaseError.self) {
            try store.database.write { db in
                try db.execute(
                    sql:
                        "INSERT INTO judgement (comparison_id, annotator_id, occurrence, overall) VALUES (1, 1, 1, 'a')"
                )
            }
        }
    }

    /// Rows created earlier in the same call are found again (the store skips database lookups for them), and a
    /// rejected record's rows are rolled back without confusing the records after it.
    @Test func conflictsAndRepeatsWithinOneCall() throws {
        let directory = try TemporaryDirectory()
        let store = try directory.store()
        let bob = AnnotatorReference(name: "bob", kind: .human)
        func record(_ prompt: String, _ texts: [String], _ choices: [Choice]) -> PreferenceRecord {
            PreferenceRecord(
                prompt: PromptDraft(text: prompt), responses: texts.map { ResponseDraft(text: $0) },
                comparisons: choices.map {
                    ComparisonDraft(
                        responseA: 0, responseB: 1, judgements: [JudgementDraft(annotator: bob, overall: $0)])
                })
        }
        #expect(
            throws: PreferenceDataError.invalidRecord(
                index: 1, problem: "this comparison is already judged differently by \"bob\" (overall a stored, b here)"
            )
        ) {
            try store.add([record("Q", ["x", "y"], [.a]), record("Q", ["x", "y"], [.b])])
        }
        #expect(try store.prompts().isEmpty)

        let repeated = try store.add([record("Q", ["x", "y"], [.a]), record("Q", ["y", "x"], [.b])])
        #expect((repeated.judgementsAdded, repeated.judgementsAlreadyPresent) == (1, 1))

        let report = try store.add(
            [
                record("New", ["p", "q"], [.a, .b]),  // bob contradicts himself within the record: rejected
                record("New", ["p", "q"], [.b]),  // the same prompt and responses, created afresh after the rollback
                record("New", ["p", "r"], [.a]),
                record("New", ["q", "p"], [.a]),  // bob again on p–q (q preferred, as before): already present
            ], skipInvalid: true)
        #expect(report.rejected.map(\.index) == [0])
        #expect(report.promptsAdded == 1)
        #expect(report.responsesAdded == 3)
        #expect(report.comparisonsAdded == 2)
        #expect((report.judgementsAdded, report.judgementsAlreadyPresent) == (2, 1))
        let prompt = try #require(try store.prompts().last)
        #expect(try store.responses(to: prompt.id).map(\.text) == ["p", "q", "r"])
        let judgements = try store.comparisons(of: prompt.id).flatMap { try store.judgements(of: $0.id) }
        #expect(judgements.map(\.overall) == [.b, .a])
    }

    /// A dataset vote in a rejected record must not use up its occurrence number: otherwise the next vote would be
    /// stored as occurrence 1, and importing the same data again would add it a second time as occurrence 0.
    @Test func rejectedRecordsGiveBackTheirOccurrenceNumbers() throws {
        let directory = try TemporaryDirectory()
        let store = try directory.store()
        let crowd = JudgementDraft(annotator: AnnotatorReference(name: "crowd", kind: .dataset), overall: .a)
        let bob = AnnotatorReference(name: "bob", kind: .human)
        let responses = [ResponseDraft(text: "x"), ResponseDraft(text: "y")]
        let rejected = PreferenceRecord(
            prompt: PromptDraft(text: "Q"), responses: responses,
            comparisons: [
                ComparisonDraft(
                    responseA: 0, responseB: 1,
                    judgements: [
                        crowd, JudgementDraft(annotator: bob, overall: .a),
                        JudgementDraft(annotator: bob, overall: .b),
                    ])
            ])
        let valid = PreferenceRecord(
            prompt: PromptDraft(text: "Q"), responses: responses,
            comparisons: [ComparisonDraft(responseA: 0, responseB: 1, judgements: [crowd])])
        let report = try store.add([rejected, valid], skipInvalid: true)
        #expect(report.rejected.map(\.index) == [0])
        #expect(try store.judgements(of: ComparisonID(1)).map(\.occurrence) == [0])
        #expect(try store.add([valid]).judgementsAlreadyPresent == 1)
        #expect(try store.judgements(of: ComparisonID(1)).count == 1)
    }

    @Test func judgementsAddedToStoredComparisons() throws {
        let directory = try TemporaryDirectory()
        let store = try directory.store()
        try store.add([
            PreferenceRecord(
                prompt: PromptDraft(text: "Q"), responses: [ResponseDraft(text: "x"), ResponseDraft(text: "y")],
                comparisons: [ComparisonDraft(responseA: 0, responseB: 1)])
        ])
        let task = try #require(try store.comparisons(of: PromptID(1)).first)
        #expect(try store.judgements(of: task.id).isEmpty)
        let carol = JudgementDraft(
            annotator: AnnotatorReference(name: "carol", kind: .human), overall: .b, comment: "y is kinder")
        #expect(try store.addJudgement(carol, to: task.id))
        #expect(try !store.addJudgement(carol, to: task.id))
        var changed = carol
        changed.overall = .a
        #expect(
            throws: PreferenceDataError.conflict(
                "comparison 1 is already judged differently by \"carol\" (overall b stored, a here)")
        ) {
            try store.addJudgement(changed, to: task.id)
        }
        #expect(throws: PreferenceDataError.notFound("comparison 9 is not in the store")) {
            try store.addJudgement(carol, to: ComparisonID(9))
        }
        #expect(try store.judgements(of: task.id).map(\.comment) == ["y is kinder"])
    }

    @Test func annotatorKindsDoNotMix() throws {
        let directory = try TemporaryDirectory()
        let store = try directory.store()
        let alice = try store.addAnnotator(name: "alice", kind: .human, tokenHash: "h1")
        #expect(try store.addAnnotator(name: "alice", kind: .human).id == alice.id)
        #expect(throws: PreferenceDataError.self) { try store.addAnnotator(name: "alice", kind: .model) }
        let record = PreferenceRecord(
            prompt: PromptDraft(text: "Q"), responses: [ResponseDraft(text: "x"), ResponseDraft(text: "y")],
            comparisons: [
                ComparisonDraft(
                    responseA: 0, responseB: 1,
                    judgements: [
                        JudgementDraft(annotator: AnnotatorReference(name: "alice", kind: .dataset), overall: .a)
                    ])
            ])
        let error = #expect(throws: PreferenceDataError.self) { try store.add([record]) }
        #expect(
            error?.description.contains("annotator \"alice\" is stored as a human annotator, not a dataset one") == true
        )
        #expect(try store.annotator(named: "alice")?.tokenHash == "h1")
    }

    @Test func invalidRecordsAreRejectedBeforeWriting() throws {
        let directory = try TemporaryDirectory()
        let store = try directory.store()
        let bad = PreferenceRecord(
            prompt: PromptDraft(text: "Q"), responses: [ResponseDraft(text: "x")],
            comparisons: [ComparisonDraft(responseA: 0, responseB: 3)])
        #expect(
            throws: PreferenceDataError.invalidRecord(
                index: 1, problem: "comparison refers to a response that is not in the record")
        ) {
            try store.add([PreferenceRecord(prompt: PromptDraft(text: "fine")), bad])
        }
        #expect(try store.prompts().isEmpty)
    }
}
