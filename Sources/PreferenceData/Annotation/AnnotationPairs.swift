import GRDB

extension PreferenceStore {
    /// The annotation tasks' comparisons, their human labels post-filtered (`PostFilter` with `options`: by default
    /// majority, ties, both-bad and cycles dropped), as split entries in comparison order: what the annotation has
    /// produced for training so far, without saving a split.
    public func annotationTaskEntries(options: PostFilterOptions = PostFilterOptions()) async throws -> [SplitEntry] {
        let comparisons = try await readAsync { db in
            let tasks = Set(try ComparisonID.fetchAll(db, sql: "SELECT comparison_id FROM annotation_task"))
            return try Self.judgedComparisons(db, includingFlaggedPrompts: true).compactMap {
                comparison -> JudgedComparison? in
                guard tasks.contains(comparison.comparisonID) else { return nil }
                var human = comparison
                human.votes.removeAll { $0.annotatorKind != .human }
                return human
            }
        }
        return PostFilter(options: options).apply(to: comparisons).entries
    }
}
