import GRDB

extension PreferenceStore {
    /// Runs the prompt-quality step over every prompt (in id order, so the first of a duplicate group is kept) and
    /// stores the result: each prompt's flags are replaced by the rules' verdict, and prompts without a category get
    /// one from `categorizer` (all prompts if `retag`). Flagged prompts are left out of post-filtering.
    ///
    /// - Parameters:
    ///   - categorizer: the category tagger; nil tags nothing. Default: `KeywordCategorizer()`.
    ///   - retag: replace existing categories too. Default: false.
    @discardableResult
    public func runPromptQuality(
        _ filter: PromptQualityFilter = PromptQualityFilter(),
        categorizer: (any PromptCategorizer)? = KeywordCategorizer(),
        retag: Bool = false
    ) throws -> PromptQualityReport {
        let prompts = try self.prompts()
        let flags = filter.flags(for: prompts)
        var report = PromptQualityFilter.report(of: flags)
        var categories: [String?] = prompts.map(\.category)
        if let categorizer {
            for (index, prompt) in prompts.enumerated() where retag || prompt.category == nil {
                let category = categorizer.category(of: prompt)
                if let category, category != prompt.category { report.tagged[category, default: 0] += 1 }
                categories[index] = category ?? (retag ? nil : prompt.category)
            }
        }
        try write { db in
            let update = try db.cachedStatement(sql: "UPDATE prompt SET quality_flags = ?, category = ? WHERE id = ?")
            for (index, prompt) in prompts.enumerated()
            where prompt.qualityFlags != flags[index] || prompt.category != categories[index] {
                try update.execute(arguments: [flags[index].rawValue, categories[index], prompt.id])
            }
        }
        return report
    }

    /// Post-filters every judged comparison (see `PostFilter`).
    /// - Parameter includingFlaggedPrompts: also consider prompts the quality step flagged. Default: false.
    public func postFilter(
        options: PostFilterOptions = PostFilterOptions(),
        includingFlaggedPrompts: Bool = false
    ) throws -> (entries: [SplitEntry], report: PostFilterReport) {
        PostFilter(options: options).apply(to: try judgedComparisons(includingFlaggedPrompts: includingFlaggedPrompts))
    }
}
