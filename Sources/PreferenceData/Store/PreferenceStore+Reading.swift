import GRDB

extension PreferenceStore {
    /// Every prompt, by id.
    public func prompts() throws -> [Prompt] {
        try read { try Prompt.fetchAll($0, sql: "SELECT * FROM prompt ORDER BY id") }
    }

    /// The prompt with `id`, if any.
    public func prompt(_ id: PromptID) throws -> Prompt? {
        try read { try Prompt.fetchOne($0, sql: "SELECT * FROM prompt WHERE id = ?", arguments: [id]) }
    }

    /// The responses to a prompt, by id.
    public func responses(to prompt: PromptID) throws -> [Response] {
        try read {
            try Response.fetchAll(
                $0, sql: "SELECT * FROM response WHERE prompt_id = ? ORDER BY id", arguments: [prompt])
        }
    }

    /// The comparisons of a prompt's responses, by id.
    public func comparisons(of prompt: PromptID) throws -> [Comparison] {
        try read {
            try Comparison.fetchAll(
                $0, sql: "SELECT * FROM comparison WHERE prompt_id = ? ORDER BY id", arguments: [prompt])
        }
    }

    /// The judgements of a comparison, by id.
    public func judgements(of comparison: ComparisonID) throws -> [Judgement] {
        try read {
            try Judgement.fetchAll(
                $0, sql: "SELECT * FROM judgement WHERE comparison_id = ? ORDER BY id", arguments: [comparison])
        }
    }

    /// Every annotator, by id.
    public func annotators() throws -> [Annotator] {
        try read { try Annotator.fetchAll($0, sql: "SELECT * FROM annotator ORDER BY id") }
    }

    /// The annotator called `name`, if any.
    public func annotator(named name: String) throws -> Annotator? {
        try read { try Annotator.fetchOne($0, sql: "SELECT * FROM annotator WHERE name = ?", arguments: [name]) }
    }

    /// Every comparison that has judgements, with them, by comparison id.
    /// - Parameter includingFlaggedPrompts: include comparisons of prompts the quality step flagged. Default: false.
    public func judgedComparisons(includingFlaggedPrompts: Bool = false) throws -> [JudgedComparison] {
        try read { try Self.judgedComparisons($0, includingFlaggedPrompts: includingFlaggedPrompts) }
    }

    /// `judgedComparisons(includingFlaggedPrompts:)` in the caller's transaction.
    static func judgedComparisons(_ db: Database, includingFlaggedPrompts: Bool) throws -> [JudgedComparison] {
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT c.id AS comparison_id, c.prompt_id, c.response_a_id, c.response_b_id,
                       j.annotator_id, a.kind, j.overall, j.helpfulness, j.safety, j.fluency
                FROM judgement j
                JOIN comparison c ON c.id = j.comparison_id
                JOIN annotator a ON a.id = j.annotator_id
                \(includingFlaggedPrompts ? "" : "JOIN prompt p ON p.id = c.prompt_id WHERE p.quality_flags = 0")
                ORDER BY j.comparison_id, j.id
                """)
        var result: [JudgedComparison] = []
        while let row = try rows.next() {
            let comparison: ComparisonID = row["comparison_id"]
            let vote = Vote(
                annotatorID: row["annotator_id"], annotatorKind: AnnotatorKind(rawValue: row["kind"]) ?? .human,
                overall: Choice(rawValue: row["overall"]) ?? .tie,
                helpfulness: (row["helpfulness"] as String?).flatMap(Choice.init(rawValue:)),
                safety: (row["safety"] as String?).flatMap(Choice.init(rawValue:)),
                fluency: (row["fluency"] as String?).flatMap(Choice.init(rawValue:)))
            if result.last?.comparisonID == comparison {
                result[result.count - 1].votes.append(vote)
            } else {
                result.append(
                    JudgedComparison(
                        comparisonID: comparison, promptID: row["prompt_id"],
                        responseA: row["response_a_id"], responseB: row["response_b_id"],
                        votes: [vote]))
            }
        }
        return result
    }

    /// The training pairs of `entries` (texts included), in the order given. Unknown comparison ids are skipped.
    public func pairs(for entries: [SplitEntry]) throws -> [PreferencePair] {
        try read { try Self.pairs($0, for: entries) }
    }

    /// `pairs(for:)` for async callers.
    public func pairs(for entries: [SplitEntry]) async throws -> [PreferencePair] {
        try await readAsync { try Self.pairs($0, for: entries) }
    }

    /// `pairs(for:)` in the caller's transaction.
    static func pairs(_ db: Database, for entries: [SplitEntry]) throws -> [PreferencePair] {
        var byComparison: [ComparisonID: PreferencePair] = [:]
        byComparison.reserveCapacity(entries.count)
        // Bounded IN lists: SQLite limits the number of bound parameters per statement.
        let chunkSize = 500
        for chunkStart in stride(from: 0, to: entries.count, by: chunkSize) {
            let chunk = entries[chunkStart..<min(entries.count, chunkStart + chunkSize)]
            let placeholders = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            let rows = try Row.fetchCursor(
                db,
                sql:
                    "SELECT \(Self.pairColumns) FROM comparison c \(Self.pairJoins) WHERE c.id IN (\(placeholders))",
                arguments: StatementArguments(chunk.map(\.comparisonID.rawValue)))
            let outcomes = Dictionary(
                chunk.map { ($0.comparisonID, $0.outcome) }, uniquingKeysWith: { first, _ in first })
            while let row = try rows.next() {
                let id: ComparisonID = row["comparison_id"]
                byComparison[id] = Self.pair(row, outcome: outcomes[id] ?? .a)
            }
        }
        return entries.compactMap { byComparison[$0.comparisonID] }
    }

    /// The columns a `PreferencePair` needs, from `comparison c` joined with `pairJoins`.
    static let pairColumns = """
        c.id AS comparison_id, c.prompt_id, p.text AS prompt, p.context, p.category,
        c.response_a_id, ra.text AS a_text, c.response_b_id, rb.text AS b_text
        """

    /// The joins `pairColumns` reads from.
    static let pairJoins = """
        JOIN prompt p ON p.id = c.prompt_id
        JOIN response ra ON ra.id = c.response_a_id
        JOIN response rb ON rb.id = c.response_b_id
        """

    /// The pair of a row of `pairColumns`.
    static func pair(_ row: Row, outcome: PairOutcome) -> PreferencePair {
        let aID: ResponseID = row["response_a_id"]
        let bID: ResponseID = row["response_b_id"]
        let aText: String = row["a_text"]
        let bText: String = row["b_text"]
        let bPreferred = outcome == .b
        return PreferencePair(
            comparisonID: row["comparison_id"], promptID: row["prompt_id"], prompt: row["prompt"],
            context: Turn.decodeStored(row["context"]), category: row["category"],
            chosen: bPreferred ? bText : aText, rejected: bPreferred ? aText : bText,
            chosenID: bPreferred ? bID : aID, rejectedID: bPreferred ? aID : bID, isTie: outcome == .tie)
    }
}
