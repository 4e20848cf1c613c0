import ArgumentParser
import JSONSupport
import PreferenceData

/// `rlhf data filter`: the paper's prompt-quality step and post-filtering; saves the surviving pairs as a split.
struct DataFilterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "filter",
        abstract: "Flag low-quality prompts, tag categories, post-filter judgements into a split of clean pairs.",
        discussion: """
            1. Prompt quality (every prompt, in the order imported; flags are stored and replaced on each run):
               too short (fewer than --min-words words; a CJK character is a word; a follow-up counts its \
            conversation's user turns), no discernible request (only greetings/thanks, or no letters or digits), \
            duplicate (same words after normalising case, spacing, punctuation), near-duplicate (Jaccard of character \
            shingles ≥ --near-duplicate-threshold). The first prompt of a group is kept. Untagged prompts get a \
            category from keyword rules (--category-rules FILE: {"rules": [{"category", "keywords": […]}], \
            "fallback": "other"}).
            2. Post-filtering of comparisons of unflagged prompts: disagreeing judgements resolved by majority (or \
            dropped), both-bad and tied comparisons dropped, and every comparison on a preference cycle within its \
            prompt (A>B, B>C, C>A, any length) dropped. Inter-annotator agreement over those judged more than once \
            is reported (observed, Fleiss' kappa, Cohen's kappa per pair of named annotators).
            With --min-gold-accuracy, every judgement of a person who answered at least --min-gold-labels gold \
            tasks (`rlhf annotate add-gold`) and got less than that share right is left out first; they are named.
            The kept pairs are saved as split --into (default "filtered").
            """
    )

    @OptionGroup var location: StoreLocation

    @Option(help: "Name of the split to save the kept pairs as.")
    var into = "filtered"

    @Flag(help: "Replace a split of that name if it exists.")
    var replace = false

    @Flag(help: "Keep tied comparisons (as ties) instead of dropping them.")
    var keepTies = false

    @Option(help: "How disagreeing judgements of one comparison are resolved: majority or drop.")
    var contradictions: ContradictionPolicy = .majority

    @Flag(help: "Keep comparisons that lie on preference cycles.")
    var keepCycles = false

    @Flag(help: "Skip the prompt-quality step (use the flags and categories already stored).")
    var skipPromptQuality = false

    @Flag(help: "Post-filter prompts the quality step flagged too.")
    var includeFlagged = false

    @Option(help: "Fewest words a prompt needs.")
    var minWords = 3

    @Option(help: "Jaccard similarity at or above which a prompt is a near-duplicate (above 1 disables the rule).")
    var nearDuplicateThreshold = 0.8

    @Option(help: "Characters per shingle for near-duplicate detection.")
    var shingleLength = 5

    @Option(help: "JSON file of keyword rules for the category tagger (default: built-in English and Chinese rules).")
    var categoryRules: String?

    @Flag(help: "Do not tag categories.")
    var noTagging = false

    @Flag(help: "Re-tag prompts that already have a category.")
    var retag = false

    @Option(help: "Leave out the judgements of people whose accuracy on gold tasks (0…1) is below this.")
    var minGoldAccuracy: Double?

    @Option(help: "With --min-gold-accuracy: gold tasks a person must have answered to be judged by it.")
    var minGoldLabels = 5

    @Flag(help: "Print the reports as one JSON object.")
    var json = false

    func validate() throws {
        if minWords < 0 { throw ValidationError("--min-words must be 0 or more, got \(minWords)") }
        if !(nearDuplicateThreshold > 0) {
            throw ValidationError("--near-duplicate-threshold must be above 0, got \(nearDuplicateThreshold)")
        }
        if shingleLength < 1 { throw ValidationError("--shingle-length must be at least 1, got \(shingleLength)") }
        if let minGoldAccuracy, !(0...1).contains(minGoldAccuracy) {
            throw ValidationError("--min-gold-accuracy must be between 0 and 1, got \(minGoldAccuracy)")
        }
        if minGoldLabels < 1 { throw ValidationError("--min-gold-labels must be at least 1, got \(minGoldLabels)") }
    }

    func run() throws {
        let store = try location.open()
        var quality: PromptQualityReport?
        if !skipPromptQuality {
            let filter = PromptQualityFilter(
                options: PromptQualityOptions(
                    minimumWords: minWords, nearDuplicateThreshold: nearDuplicateThreshold, shingleLength: shingleLength
                ))
            let categorizer: (any PromptCategorizer)? =
                noTagging
                ? nil
                : try categoryRules.map { try KeywordCategorizer(contentsOfFile: $0) } ?? KeywordCategorizer()
            quality = try store.runPromptQuality(filter, categorizer: categorizer, retag: retag)
        }
        let excluded =
            try minGoldAccuracy.map {
                try store.annotators(belowGoldAccuracy: $0, minimumGoldLabels: minGoldLabels)
            } ?? []
        let options = PostFilterOptions(
            dropTies: !keepTies, contradictions: contradictions, dropCycles: !keepCycles,
            excludedAnnotators: Set(excluded.map { $0.annotator.id }))
        let (entries, report) = try store.postFilter(options: options, includingFlaggedPrompts: includeFlagged)
        let recipe = JSONValue([
            "step": .string("filter"), "drop_ties": .bool(options.dropTies),
            "contradictions": .string(contradictions.rawValue),
            "drop_cycles": .bool(options.dropCycles), "include_flagged": .bool(includeFlagged),
            "min_gold_accuracy": minGoldAccuracy.map { .number($0) } ?? .null,
            "excluded_annotators": .array(excluded.map { .string($0.annotator.name) }),
            "prompt_quality": skipPromptQuality
                ? .null
                : JSONValue([
                    "min_words": .int(minWords), "near_duplicate_threshold": .number(nearDuplicateThreshold),
                    "shingle_length": .int(shingleLength),
                ]),
        ])
        try store.saveSplit(named: into, entries: entries, recipe: JSONWriter.string(recipe), replacing: replace)
        if json {
            printJSON(
                JSONValue([
                    "split": .string(into), "prompt_quality": quality?.json ?? .null, "post_filter": report.json,
                    "excluded_annotators": .array(
                        excluded.map { item in
                            JSONValue([
                                "name": .string(item.annotator.name), "gold_answered": .int(item.score.answered),
                                "gold_correct": .int(item.score.correct),
                            ])
                        }),
                ]))
            return
        }
        if let quality {
            print(
                "prompts      \(quality.checked) checked, \(quality.removed) flagged: too short \(quality.tooShort), "
                    + "no request \(quality.noRequest), duplicate \(quality.duplicate), near-duplicate \(quality.nearDuplicate)"
            )
            if !quality.tagged.isEmpty {
                print(
                    "tagged       "
                        + quality.tagged.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(
                            separator: ", "))
            }
        }
        for item in excluded {
            print(
                "excluded     \(item.annotator.name): \(item.score.correct) of \(item.score.answered) gold tasks right; "
                    + "their judgements are left out")
        }
        if !excluded.isEmpty { print("left out     \(report.droppedExcludedJudgements) judgements") }
        print(
            "comparisons  \(report.comparisons) judged: kept \(report.kept)"
                + (keepTies ? " (\(report.keptTies) ties)" : "")
                + "; dropped: contradictory \(report.droppedContradictory) (\(report.contradictoryResolved) resolved by majority), "
                + "both bad \(report.droppedBothBad), ties \(report.droppedTies), cyclic \(report.droppedCyclic) "
                + "(\(report.promptsWithCycles) prompts with cycles)")
        let agreement = report.agreement
        if agreement.items > 0 {
            print(
                "agreement    \(agreement.items) comparisons judged more than once: observed \(formatted(agreement.observedAgreement)), "
                    + "Fleiss κ \(formatted(agreement.fleissKappa)), mean Cohen κ \(formatted(agreement.meanCohenKappa)) "
                    + "over \(agreement.pairwise.count) annotator pairs")
        }
        print("saved split \"\(into)\" with \(report.kept) pairs")
    }
}

extension ContradictionPolicy: ExpressibleByArgument {}
