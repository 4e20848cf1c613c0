import GRDB

/// A count by name (category, source), largest first.
public struct NamedCount: Sendable, Hashable {
    /// The name (`(none)` for missing).
    public var name: String
    /// How many.
    public var count: Int
}

/// Whether annotators preferred the longer response: the length bias that length balancing removes.
public struct LengthPreference: Sendable, Hashable {
    /// Judgements with a preference (a or b).
    public var decided = 0
    /// Of those, the preferred response is longer (in characters).
    public var preferredLonger = 0
    /// Of those, the preferred response is shorter.
    public var preferredShorter = 0
    /// Mean length of preferred responses, in characters.
    public var meanPreferredCharacters: Double?
    /// Mean length of dispreferred responses, in characters.
    public var meanDispreferredCharacters: Double?
}

/// A summary of what a store holds.
public struct StoreStatistics: Sendable, Hashable {
    /// Prompts.
    public var prompts = 0
    /// Prompts with earlier turns.
    public var multiTurnPrompts = 0
    /// Prompts flagged by the quality step, by flag name.
    public var flaggedPrompts: [String: Int] = [:]
    /// Prompts by category.
    public var categories: [NamedCount] = []
    /// Prompts by source.
    public var sources: [NamedCount] = []
    /// Responses.
    public var responses = 0
    /// Comparisons.
    public var comparisons = 0
    /// Comparisons without judgements (tasks still to annotate).
    public var unjudgedComparisons = 0
    /// Judgements.
    public var judgements = 0
    /// Judgements by overall choice.
    public var judgementsByChoice: [Choice: Int] = [:]
    /// Number of comparisons with n judgements, by n.
    public var judgementsPerComparison: [Int: Int] = [:]
    /// Annotators by kind.
    public var annotators: [AnnotatorKind: Int] = [:]
    /// The length preference of decided judgements.
    public var lengthPreference = LengthPreference()
    /// Agreement on the overall choice, over comparisons with several judgements.
    public var agreement = AgreementStatistics()
    /// Agreement per dimension, over comparisons with several judgements of that dimension.
    public var dimensionAgreement: [QualityDimension: AgreementStatistics] = [:]
    /// The named splits.
    public var splits: [SplitSummary] = []
    /// Imports logged.
    public var imports = 0
}

extension PreferenceStore {
    /// Counts what the store holds, including agreement statistics and the length preference (a few SQL aggregates
    /// over one consistent snapshot).
    public func statistics() throws -> StoreStatistics {
        var statistics = try read { db -> StoreStatistics in
            var s = StoreStatistics()
            let prompts = try Row.fetchOne(
                db,
                sql: """
                    SELECT count(*) AS prompts, coalesce(sum(context IS NOT NULL), 0) AS multi_turn,
                           coalesce(sum(quality_flags & 1 != 0), 0) AS f1, coalesce(sum(quality_flags & 2 != 0), 0) AS f2,
                           coalesce(sum(quality_flags & 4 != 0), 0) AS f4, coalesce(sum(quality_flags & 8 != 0), 0) AS f8
                    FROM prompt
                    """)!
            s.prompts = prompts["prompts"]
            s.multiTurnPrompts = prompts["multi_turn"]
            for (flag, name) in PromptQualityFlags.named {
                let count: Int = prompts["f\(flag.rawValue)"]
                if count > 0 { s.flaggedPrompts[name] = count }
            }
            s.categories = try Self.namedCounts(db, column: "category")
            s.sources = try Self.namedCounts(db, column: "source")
            s.responses = try Int.fetchOne(db, sql: "SELECT count(*) FROM response") ?? 0
            s.comparisons = try Int.fetchOne(db, sql: "SELECT count(*) FROM comparison") ?? 0
            for row in try Row.fetchAll(db, sql: "SELECT overall, count(*) AS n FROM judgement GROUP BY overall") {
                if let choice = Choice(rawValue: row["overall"]) { s.judgementsByChoice[choice] = row["n"] }
            }
            s.judgements = s.judgementsByChoice.values.reduce(0, +)
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT n, count(*) AS comparisons FROM (SELECT count(*) AS n FROM judgement GROUP BY comparison_id) GROUP BY n
                    """)
            {
                s.judgementsPerComparison[row["n"]] = row["comparisons"]
            }
            s.unjudgedComparisons = s.comparisons - s.judgementsPerComparison.values.reduce(0, +)
            for row in try Row.fetchAll(db, sql: "SELECT kind, count(*) AS n FROM annotator GROUP BY kind") {
                if let kind = AnnotatorKind(rawValue: row["kind"]) { s.annotators[kind] = row["n"] }
            }
            let lengths = try Row.fetchOne(
                db,
                sql: """
                    SELECT count(*) AS decided,
                           coalesce(sum(CASE WHEN j.overall = 'a' THEN ra.char_count > rb.char_count ELSE rb.char_count > ra.char_count END), 0) AS longer,
                           coalesce(sum(CASE WHEN j.overall = 'a' THEN ra.char_count < rb.char_count ELSE rb.char_count < ra.char_count END), 0) AS shorter,
                           avg(CASE WHEN j.overall = 'a' THEN ra.char_count ELSE rb.char_count END) AS preferred,
                           avg(CASE WHEN j.overall = 'a' THEN rb.char_count ELSE ra.char_count END) AS dispreferred
                    FROM judgement j
                    JOIN comparison c ON c.id = j.comparison_id
                    JOIN response ra ON ra.id = c.response_a_id
                    JOIN response rb ON rb.id = c.response_b_id
                    WHERE j.overall IN ('a', 'b')
                    """)!
            s.lengthPreference = LengthPreference(
                decided: lengths["decided"], preferredLonger: lengths["longer"],
                preferredShorter: lengths["shorter"],
                meanPreferredCharacters: lengths["preferred"],
                meanDispreferredCharacters: lengths["dispreferred"])
            s.imports = try Int.fetchOne(db, sql: "SELECT count(*) FROM import_log") ?? 0
            let items = try Self.multiplyJudged(db)
            s.agreement = AgreementStatistics(
                items: items.map { $0.map { Rating(rater: $0.rater, choice: $0.overall) } })
            for dimension in QualityDimension.allCases {
                let ratings = items.map { votes in
                    votes.compactMap { vote in vote.choice(on: dimension).map { Rating(rater: vote.rater, choice: $0) }
                    }
                }
                let agreement = AgreementStatistics(items: ratings)
                if agreement.items > 0 { s.dimensionAgreement[dimension] = agreement }
            }
            return s
        }
        statistics.splits = try splits()
        return statistics
    }

    private static func namedCounts(_ db: Database, column: String) throws -> [NamedCount] {
        try Row.fetchAll(
            db, sql: "SELECT \(column) AS name, count(*) AS n FROM prompt GROUP BY \(column) ORDER BY n DESC, name"
        )
        .map { NamedCount(name: $0["name"] ?? "(none)", count: $0["n"]) }
    }

    private struct RatedVote {
        var rater: AnnotatorID?
        var overall: Choice
        var dimensions: [Choice?]
        func choice(on dimension: QualityDimension) -> Choice? {
            dimensions[QualityDimension.allCases.firstIndex(of: dimension)!]
        }
    }

    /// The votes of every comparison judged more than once; a dataset's votes have no known rater.
    private static func multiplyJudged(_ db: Database) throws -> [[RatedVote]] {
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT j.comparison_id, j.annotator_id, a.kind, j.overall, j.helpfulness, j.safety, j.fluency
                FROM judgement j JOIN annotator a ON a.id = j.annotator_id
                WHERE j.comparison_id IN (SELECT comparison_id FROM judgement GROUP BY comparison_id HAVING count(*) > 1)
                ORDER BY j.comparison_id
                """)
        var items: [[RatedVote]] = []
        var current: ComparisonID?
        while let row = try rows.next() {
            let comparison: ComparisonID = row["comparison_id"]
            let isDataset = (row["kind"] as String) == AnnotatorKind.dataset.rawValue
            let vote = RatedVote(
                rater: isDataset ? nil : row["annotator_id"] as AnnotatorID,
                overall: Choice(rawValue: row["overall"]) ?? .tie,
                dimensions: QualityDimension.allCases.map {
                    (row[$0.rawValue] as String?).flatMap(Choice.init(rawValue:))
                })
            if comparison != current {
                items.append([])
                current = comparison
            }
            items[items.count - 1].append(vote)
        }
        return items
    }
}
