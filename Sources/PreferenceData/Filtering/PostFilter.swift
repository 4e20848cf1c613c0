/// What to do with a comparison whose judgements disagree.
public enum ContradictionPolicy: String, Sendable, Hashable, CaseIterable {
    /// Keep the choice most judgements made; drop the comparison if two choices tie for most.
    case majority
    /// Drop every comparison whose judgements are not unanimous.
    case drop
}

/// Options of post-filtering (the paper's removal of ties and cyclic preferences, plus resolution of contradictory
/// judgements of one pair).
public struct PostFilterOptions: Sendable, Hashable {
    /// Drop comparisons whose resolved outcome is a tie. Default: true (the paper removes ties; a ranking loss cannot
    /// use them).
    public var dropTies: Bool
    /// How disagreeing judgements of one comparison are resolved. Default: `.majority`.
    public var contradictions: ContradictionPolicy
    /// Drop every comparison on a preference cycle within its prompt (A > B, B > C, C > A, any length). Default: true.
    public var dropCycles: Bool
    /// Annotators whose judgements are left out before anything else (e.g. people below a gold-accuracy threshold:
    /// `PreferenceStore.annotators(belowGoldAccuracy:minimumGoldLabels:)`). Default: none.
    public var excludedAnnotators: Set<AnnotatorID>

    /// Creates options; every argument has the default documented on its property.
    public init(
        dropTies: Bool = true, contradictions: ContradictionPolicy = .majority, dropCycles: Bool = true,
        excludedAnnotators: Set<AnnotatorID> = []
    ) {
        self.dropTies = dropTies
        self.contradictions = contradictions
        self.dropCycles = dropCycles
        self.excludedAnnotators = excludedAnnotators
    }
}

/// What post-filtering kept and why it dropped the rest. Every comparison considered is counted once among `kept`
/// and the `dropped…` counts.
public struct PostFilterReport: Sendable, Hashable {
    /// Judgements left out because their annotator is excluded (`PostFilterOptions.excludedAnnotators`).
    public var droppedExcludedJudgements = 0
    /// Judged comparisons considered (those with a judgement left after the exclusions).
    public var comparisons = 0
    /// Comparisons whose judgements disagreed but had a majority (counted again by their final fate).
    public var contradictoryResolved = 0
    /// Dropped: judgements disagreed with no majority, or the policy drops all disagreement.
    public var droppedContradictory = 0
    /// Dropped: judged both bad (no preference to learn).
    public var droppedBothBad = 0
    /// Dropped: resolved to a tie.
    public var droppedTies = 0
    /// Dropped: on a preference cycle.
    public var droppedCyclic = 0
    /// Prompts with at least one preference cycle.
    public var promptsWithCycles = 0
    /// Comparisons kept.
    public var kept = 0
    /// Of those kept, ties (only when ties are not dropped).
    public var keptTies = 0
    /// Agreement on the overall choice among the comparisons considered that were judged more than once.
    public var agreement = AgreementStatistics()

    /// Creates an empty report.
    public init() {}
}

/// A comparison's resolved outcome, as a split stores it.
public struct SplitEntry: Sendable, Hashable {
    /// The comparison.
    public var comparisonID: ComparisonID
    /// Which response is preferred, or a tie.
    public var outcome: PairOutcome

    /// Creates an entry.
    public init(comparisonID: ComparisonID, outcome: PairOutcome) {
        self.comparisonID = comparisonID
        self.outcome = outcome
    }
}

/// Turns judged comparisons into clean pairs: resolves disagreeing judgements, drops both-bad and tied comparisons
/// and every comparison on a preference cycle within its prompt.
public struct PostFilter: Sendable {
    /// The options.
    public var options: PostFilterOptions

    /// Creates a post-filter.
    public init(options: PostFilterOptions = PostFilterOptions()) {
        self.options = options
    }

    /// The kept comparisons (in input order) with their outcomes, and the report.
    public func apply(to comparisons: [JudgedComparison]) -> (entries: [SplitEntry], report: PostFilterReport) {
        var report = PostFilterReport()
        var comparisons = comparisons
        if !options.excludedAnnotators.isEmpty {
            for index in comparisons.indices {
                let before = comparisons[index].votes.count
                comparisons[index].votes.removeAll { options.excludedAnnotators.contains($0.annotatorID) }
                report.droppedExcludedJudgements += before - comparisons[index].votes.count
            }
        }
        var resolved: [(index: Int, outcome: PairOutcome)] = []
        for (index, comparison) in comparisons.enumerated() where !comparison.votes.isEmpty {
            report.comparisons += 1
            guard let choice = resolve(comparison.votes, report: &report) else {
                report.droppedContradictory += 1
                continue
            }
            switch choice {
            case .bothBad:
                report.droppedBothBad += 1
            case .tie where options.dropTies:
                report.droppedTies += 1
            case .tie:
                resolved.append((index, .tie))
            case .a:
                resolved.append((index, .a))
            case .b:
                resolved.append((index, .b))
            }
        }
        var onCycle = Set<Int>()
        if options.dropCycles {
            onCycle = cyclicComparisons(resolved, in: comparisons, report: &report)
        }
        var entries: [SplitEntry] = []
        entries.reserveCapacity(resolved.count)
        for (index, outcome) in resolved {
            if onCycle.contains(index) {
                report.droppedCyclic += 1
                continue
            }
            entries.append(SplitEntry(comparisonID: comparisons[index].comparisonID, outcome: outcome))
            if outcome == .tie { report.keptTies += 1 }
        }
        report.kept = entries.count
        report.agreement = AgreementStatistics(
            items: comparisons.map { comparison in
                comparison.votes.map {
                    Rating(rater: $0.annotatorKind == .dataset ? nil : $0.annotatorID, choice: $0.overall)
                }
            })
        return (entries, report)
    }

    /// The single choice the votes stand for, or nil if they cannot be reconciled under the policy.
    private func resolve(_ votes: [Vote], report: inout PostFilterReport) -> Choice? {
        let first = votes[0].overall
        if votes.allSatisfy({ $0.overall == first }) { return first }
        guard options.contradictions == .majority else { return nil }
        var counts: [Choice: Int] = [:]
        for vote in votes { counts[vote.overall, default: 0] += 1 }
        let most = counts.values.max()!
        let leaders = counts.filter { $0.value == most }
        guard leaders.count == 1 else { return nil }
        report.contradictoryResolved += 1
        return leaders.first!.key
    }

    /// Indexes of comparisons whose preference lies on a cycle among the responses of their prompt.
    private func cyclicComparisons(
        _ resolved: [(index: Int, outcome: PairOutcome)], in comparisons: [JudgedComparison],
        report: inout PostFilterReport
    ) -> Set<Int> {
        var byPrompt: [PromptID: [(index: Int, outcome: PairOutcome)]] = [:]
        for item in resolved where item.outcome != .tie {
            byPrompt[comparisons[item.index].promptID, default: []].append(item)
        }
        var cyclic = Set<Int>()
        for (_, items) in byPrompt where items.count >= 3 {  // a cycle needs three responses, so three comparisons
            var node: [ResponseID: Int] = [:]
            func nodeIndex(_ response: ResponseID) -> Int {
                if let known = node[response] { return known }
                node[response] = node.count
                return node.count - 1
            }
            let edges = items.map { item -> (from: Int, to: Int) in
                let comparison = comparisons[item.index]
                let (winner, loser) =
                    item.outcome == .a
                    ? (comparison.responseA, comparison.responseB) : (comparison.responseB, comparison.responseA)
                return (nodeIndex(winner), nodeIndex(loser))
            }
            let flags = CycleDetector.edgesOnCycles(nodeCount: node.count, edges: edges)
            if flags.contains(true) { report.promptsWithCycles += 1 }
            for (item, isCyclic) in zip(items, flags) where isCyclic { cyclic.insert(item.index) }
        }
        return cyclic
    }
}
