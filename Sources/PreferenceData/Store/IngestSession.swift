import GRDB

/// Adds records within one write transaction, caching the ids it has looked up or created so repeated prompts,
/// responses and annotators cost a dictionary lookup rather than a query.
final class IngestSession {
    let db: Database
    /// The transaction's timestamp, used for every row it creates.
    let now: String
    var report = IngestReport()

    private struct PromptKey: Hashable { var text: String; var context: String }
    private struct ResponseKey: Hashable { var prompt: PromptID; var text: String }
    private struct PairKey: Hashable { var a: ResponseID; var b: ResponseID }
    private struct SlotKey: Hashable { var comparison: ComparisonID; var annotator: AnnotatorID }

    private var prompts: [PromptKey: PromptID] = [:]
    /// Known responses, and whether their model and token count are known (a later record may fill them in).
    private var responses: [ResponseKey: (id: ResponseID, hasModel: Bool, hasTokens: Bool)] = [:]
    private var comparisons: [PairKey: ComparisonID] = [:]
    private var annotators: [String: (id: AnnotatorID, kind: AnnotatorKind)] = [:]
    /// Next occurrence number per (comparison, dataset annotator) in this session: a dataset's repeated votes on one
    /// pair are numbered in input order, so importing the same data again maps each vote onto itself.
    private var occurrences: [SlotKey: Int] = [:]
    /// Occurrence numbers handed out by the record in the current savepoint, to restore if it is rolled back.
    private var occurrenceUndo: [(SlotKey, Int?)] = []
    private var inSavepoint = false
    // Rows this session created. Their dependants can exist only if this session created them too, so lookups in
    // the database for them are skipped (most of an import into a fresh or unrelated store).
    private var createdPrompts = Set<PromptID>()
    private var createdResponses = Set<ResponseID>()
    private var createdComparisons = Set<ComparisonID>()
    private struct JudgementSlot: Hashable {
        var comparison: ComparisonID; var annotator: AnnotatorID; var occurrence: Int
    }
    private var judgedSlots = Set<JudgementSlot>()

    init(_ db: Database, now: String) {
        self.db = db
        self.now = now
    }

    /// Adds `record` inside a savepoint; if it is rejected, the database and the caches are as before it.
    func addInSavepoint(_ record: PreferenceRecord) throws {
        let reportBefore = report
        occurrenceUndo.removeAll(keepingCapacity: true)
        inSavepoint = true
        defer { inSavepoint = false }
        try db.execute(sql: "SAVEPOINT record")
        do {
            try add(record)
            try db.execute(sql: "RELEASE SAVEPOINT record")
        } catch {
            try db.execute(sql: "ROLLBACK TO SAVEPOINT record")
            try db.execute(sql: "RELEASE SAVEPOINT record")
            report = reportBefore
            // Ids created inside the savepoint are gone: forget them all (rare; later lookups query again).
            prompts.removeAll()
            responses.removeAll()
            comparisons.removeAll()
            annotators.removeAll()
            createdPrompts.removeAll()
            createdResponses.removeAll()
            createdComparisons.removeAll()
            judgedSlots.removeAll()
            for (key, previous) in occurrenceUndo.reversed() { occurrences[key] = previous }
            throw error
        }
    }

    /// Adds `record`; throws `RecordProblem` if it is invalid or conflicts with stored judgements.
    func add(_ record: PreferenceRecord) throws {
        if let problem = record.problem() { throw RecordProblem(problem) }
        let promptID = try promptID(for: record.prompt)
        var responseIDs: [ResponseID] = []
        responseIDs.reserveCapacity(record.responses.count)
        for response in record.responses {
            responseIDs.append(try responseID(for: response, prompt: promptID))
        }
        for (position, comparison) in record.comparisons.enumerated() {
            let first = responseIDs[comparison.responseA]
            let second = responseIDs[comparison.responseB]
            // Different texts to one prompt are different responses, so the ids differ.
            let swap = first > second
            let comparisonID = try self.comparisonID(
                prompt: promptID, a: swap ? second : first, b: swap ? first : second)
            for judgement in comparison.judgements {
                try add(
                    swap ? judgement.swapped : judgement, to: comparisonID,
                    comparisonName: record.comparisons.count == 1 ? "this comparison" : "comparison \(position + 1)")
            }
        }
        report.records += 1
    }

    private func promptID(for draft: PromptDraft) throws -> PromptID {
        let context = Turn.encodeStored(draft.context)
        let key = PromptKey(text: draft.text, context: context ?? "")
        if let id = prompts[key] { return id }
        let hash = Int64(bitPattern: StableHash.combine(StableHash.of(draft.text), StableHash.of(key.context)))
        let candidates = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT id, text, context, category, source FROM prompt WHERE content_hash = ?"),
            arguments: [hash])
        for row in candidates where row["text"] == draft.text && ((row["context"] as String?) ?? "") == key.context {
            let id: PromptID = row["id"]
            // Fill in what the first record did not know; never overwrite.
            if (row["category"] as String?) == nil, let category = draft.category {
                try db.cachedStatement(sql: "UPDATE prompt SET category = ? WHERE id = ?").execute(arguments: [
                    category, id,
                ])
            }
            if (row["source"] as String?) == nil, let source = draft.source {
                try db.cachedStatement(sql: "UPDATE prompt SET source = ? WHERE id = ?").execute(arguments: [
                    source, id,
                ])
            }
            prompts[key] = id
            return id
        }
        try db.cachedStatement(
            sql: """
                INSERT INTO prompt (content_hash, text, context, category, source, quality_flags, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            hash, draft.text, context, draft.category, draft.source,
            draft.qualityFlags.rawValue, now,
        ])
        let id = PromptID(db.lastInsertedRowID)
        createdPrompts.insert(id)
        report.promptsAdded += 1
        prompts[key] = id
        return id
    }

    private func responseID(for draft: ResponseDraft, prompt: PromptID) throws -> ResponseID {
        let key = ResponseKey(prompt: prompt, text: draft.text)
        if let known = responses[key] {
            try fillIn(known, from: draft, key: key)
            return known.id
        }
        let hash = Int64(bitPattern: StableHash.of(draft.text))
        let candidates =
            createdPrompts.contains(prompt)
            ? []
            : try Row.fetchAll(
                db.cachedStatement(
                    sql: "SELECT id, text, model, token_count FROM response WHERE prompt_id = ? AND content_hash = ?"),
                arguments: [prompt, hash])
        for row in candidates where row["text"] == draft.text {
            let known = (
                id: row["id"] as ResponseID, hasModel: (row["model"] as String?) != nil,
                hasTokens: (row["token_count"] as Int?) != nil
            )
            try fillIn(known, from: draft, key: key)
            return known.id
        }
        try db.cachedStatement(
            sql: """
                INSERT INTO response (prompt_id, content_hash, text, model, token_count, char_count, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            prompt, hash, draft.text, draft.model, draft.tokenCount,
            draft.text.unicodeScalars.count, now,
        ])
        let id = ResponseID(db.lastInsertedRowID)
        createdResponses.insert(id)
        report.responsesAdded += 1
        responses[key] = (id, draft.model != nil, draft.tokenCount != nil)
        return id
    }

    /// Records what the first mention of a response did not say (model, token count); never overwrites.
    private func fillIn(
        _ known: (id: ResponseID, hasModel: Bool, hasTokens: Bool), from draft: ResponseDraft,
        key: ResponseKey
    ) throws {
        var updated = known
        if !known.hasModel, let model = draft.model {
            try db.cachedStatement(sql: "UPDATE response SET model = ? WHERE id = ?").execute(arguments: [
                model, known.id,
            ])
            updated.hasModel = true
        }
        if !known.hasTokens, let tokens = draft.tokenCount {
            try db.cachedStatement(sql: "UPDATE response SET token_count = ? WHERE id = ?").execute(arguments: [
                tokens, known.id,
            ])
            updated.hasTokens = true
        }
        responses[key] = updated
    }

    private func comparisonID(prompt: PromptID, a: ResponseID, b: ResponseID) throws -> ComparisonID {
        let key = PairKey(a: a, b: b)
        if let id = comparisons[key] { return id }
        let mayExist = !createdResponses.contains(a) && !createdResponses.contains(b)
        if mayExist,
            let existing = try ComparisonID.fetchOne(
                db.cachedStatement(sql: "SELECT id FROM comparison WHERE response_a_id = ? AND response_b_id = ?"),
                arguments: [a, b])
        {
            comparisons[key] = existing
            return existing
        }
        try db.cachedStatement(
            sql: """
                INSERT INTO comparison (prompt_id, response_a_id, response_b_id, created_at) VALUES (?, ?, ?, ?)
                """
        ).execute(arguments: [prompt, a, b, now])
        let id = ComparisonID(db.lastInsertedRowID)
        createdComparisons.insert(id)
        report.comparisonsAdded += 1
        comparisons[key] = id
        return id
    }

    private func annotator(for reference: AnnotatorReference) throws -> (id: AnnotatorID, kind: AnnotatorKind) {
        if let known = annotators[reference.name] {
            guard known.kind == reference.kind else { throw kindMismatch(reference, stored: known.kind) }
            return known
        }
        if let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT id, kind FROM annotator WHERE name = ?"), arguments: [reference.name])
        {
            let stored = AnnotatorKind(rawValue: row["kind"]) ?? .human
            guard stored == reference.kind else { throw kindMismatch(reference, stored: stored) }
            let known = (id: row["id"] as AnnotatorID, kind: stored)
            annotators[reference.name] = known
            return known
        }
        try db.cachedStatement(sql: "INSERT INTO annotator (name, kind, created_at) VALUES (?, ?, ?)")
            .execute(arguments: [reference.name, reference.kind.rawValue, now])
        let known = (id: AnnotatorID(db.lastInsertedRowID), kind: reference.kind)
        report.annotatorsAdded += 1
        annotators[reference.name] = known
        return known
    }

    private func kindMismatch(_ reference: AnnotatorReference, stored: AnnotatorKind) -> RecordProblem {
        RecordProblem(
            "annotator \"\(reference.name)\" is stored as a \(stored.rawValue) annotator, not a \(reference.kind.rawValue) one"
        )
    }

    /// Adds a judgement of a stored comparison (choices relative to its stored A and B); returns whether it was new.
    func addJudgement(_ draft: JudgementDraft, to comparison: ComparisonID) throws -> Bool {
        let before = report.judgementsAdded
        try add(draft, to: comparison, comparisonName: "comparison \(comparison)")
        return report.judgementsAdded > before
    }

    private func add(_ draft: JudgementDraft, to comparison: ComparisonID, comparisonName: String) throws {
        let annotator = try annotator(for: draft.annotator)
        var occurrence = 0
        if annotator.kind == .dataset {
            let slot = SlotKey(comparison: comparison, annotator: annotator.id)
            let previous = occurrences[slot]
            occurrence = previous ?? 0
            occurrences[slot] = occurrence + 1
            if inSavepoint { occurrenceUndo.append((slot, previous)) }
        }
        let judgedAt = draft.judgedAt.map(Timestamp.string(from:))
        let dimensions = QualityDimension.allCases.map { draft.dimensions[$0]?.rawValue }
        let slot = JudgementSlot(comparison: comparison, annotator: annotator.id, occurrence: occurrence)
        let mayExist = !createdComparisons.contains(comparison) || judgedSlots.contains(slot)
        if mayExist,
            let stored = try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT overall, helpfulness, safety, fluency, score_a, score_b, comment FROM judgement
                        WHERE comparison_id = ? AND annotator_id = ? AND occurrence = ?
                        """),
                arguments: [comparison, annotator.id, occurrence])
        {
            let same =
                stored["overall"] == draft.overall.rawValue
                && zip(["helpfulness", "safety", "fluency"], dimensions).allSatisfy { stored[$0.0] == $0.1 }
                && stored["score_a"] == draft.scoreA && stored["score_b"] == draft.scoreB
                && stored["comment"] == draft.comment
            guard same else {
                let storedOverall: String = stored["overall"]
                throw RecordProblem(
                    "\(comparisonName) is already judged differently by \"\(draft.annotator.name)\" "
                        + "(overall \(storedOverall) stored, \(draft.overall.rawValue) here)")
            }
            report.judgementsAlreadyPresent += 1
            return
        }
        try db.cachedStatement(
            sql: """
                INSERT INTO judgement (comparison_id, annotator_id, occurrence, overall, helpfulness, safety, fluency,
                                       score_a, score_b, comment, judged_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            comparison, annotator.id, occurrence, draft.overall.rawValue,
            dimensions[0], dimensions[1], dimensions[2], draft.scoreA, draft.scoreB,
            draft.comment, judgedAt,
        ])
        if createdComparisons.contains(comparison) { judgedSlots.insert(slot) }
        report.judgementsAdded += 1
    }
}
