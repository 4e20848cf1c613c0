/// Options of the prompt-quality rules. The paper drops uninformative prompts (e.g. very short ones) but gives no
/// thresholds; these defaults are ours.
public struct PromptQualityOptions: Sendable, Hashable {
    /// Fewest words a prompt needs (see `TextNormalization`: a CJK character counts as a word). For a multi-turn
    /// prompt the user's earlier messages count too, so a short follow-up such as "why?" is kept. Default: 3.
    public var minimumWords: Int
    /// Jaccard similarity of character shingles at or above which a prompt nearly duplicates an earlier one;
    /// above 1 disables the rule. Default: 0.8.
    public var nearDuplicateThreshold: Double
    /// Characters per shingle for near-duplicate detection. Default: 5.
    public var shingleLength: Int
    /// Greetings, thanks and acknowledgements: a final message made only of these has no discernible request.
    /// Default: `PromptQualityOptions.defaultFillerPhrases`.
    public var fillerPhrases: [String]

    /// English and Chinese greetings, thanks and acknowledgements.
    public static let defaultFillerPhrases = [
        "hi", "hello", "hey", "hiya", "yo", "hi there", "hello there", "good morning", "good afternoon", "good evening",
        "good night", "thanks", "thank you", "thank you very much", "thanks a lot", "thx", "ty", "ok", "okay", "k",
        "yes", "no", "yeah", "yep", "nope", "sure", "cool", "nice", "great", "good", "lol", "haha", "hmm", "test",
        "testing", "bye", "goodbye", "please", "你好", "您好", "谢谢", "多谢", "好的", "好", "嗯", "哈哈", "在吗", "在不在",
        "再见", "早上好", "晚安", "测试", "是", "不", "对",
    ]

    /// Creates options; every argument has the default documented on its property.
    public init(
        minimumWords: Int = 3, nearDuplicateThreshold: Double = 0.8, shingleLength: Int = 5,
        fillerPhrases: [String] = PromptQualityOptions.defaultFillerPhrases
    ) {
        self.minimumWords = minimumWords
        self.nearDuplicateThreshold = nearDuplicateThreshold
        self.shingleLength = shingleLength
        self.fillerPhrases = fillerPhrases
    }
}

/// What the prompt-quality step did. Each removed prompt is counted under the first rule that removed it, in the
/// order too short → no request → duplicate → near-duplicate, so the counts add up to `removed`.
public struct PromptQualityReport: Sendable, Hashable {
    /// Prompts checked.
    public var checked = 0
    /// Removed as too short.
    public var tooShort = 0
    /// Removed for having no discernible request.
    public var noRequest = 0
    /// Removed as duplicates (same words as an earlier prompt).
    public var duplicate = 0
    /// Removed as near-duplicates of an earlier prompt.
    public var nearDuplicate = 0
    /// Prompts given a category by the tagger in this run, by category.
    public var tagged: [String: Int] = [:]

    /// Prompts removed by any rule.
    public var removed: Int { tooShort + noRequest + duplicate + nearDuplicate }
    /// Prompts that passed.
    public var kept: Int { checked - removed }

    /// Creates an empty report.
    public init() {}
}

/// The paper's prompt-quality step as rules: flags prompts that are too short, carry no discernible request, or
/// (nearly) duplicate an earlier prompt. Earlier means earlier in the input; the first of a group is kept.
public struct PromptQualityFilter: Sendable {
    /// The options.
    public var options: PromptQualityOptions
    private let fillers: [[String]]

    /// Creates a filter.
    public init(options: PromptQualityOptions = PromptQualityOptions()) {
        self.options = options
        fillers = options.fillerPhrases.map(TextNormalization.words).filter { !$0.isEmpty }
    }

    /// The flag of each prompt (at most one: the first rule that removes it), in input order.
    public func flags(for prompts: [Prompt]) -> [PromptQualityFlags] {
        var flags = [PromptQualityFlags](repeating: [], count: prompts.count)
        var survivors: [Int] = []
        var firstByNormalizedText: [String: Int] = [:]
        var normalizedSurvivors: [String] = []
        for (index, prompt) in prompts.enumerated() {
            let finalWords = TextNormalization.words(prompt.text)
            let userWords =
                prompt.context.filter { $0.role == .user }.reduce(0) {
                    $0 + TextNormalization.words($1.content).count
                } + finalWords.count
            if userWords < options.minimumWords {
                flags[index] = .tooShort
            } else if finalWords.isEmpty || isFiller(finalWords) {
                flags[index] = .noRequest
            } else {
                // The whole conversation identifies a prompt: the same follow-up in different conversations differs.
                let conversation = prompt.context.map { $0.role.rawValue + " " + $0.content } + [prompt.text]
                let normalized = TextNormalization.normalized(conversation.joined(separator: "\n"))
                if firstByNormalizedText[normalized] != nil {
                    flags[index] = .duplicate
                } else {
                    firstByNormalizedText[normalized] = index
                    survivors.append(index)
                    normalizedSurvivors.append(normalized)
                }
            }
        }
        if options.nearDuplicateThreshold <= 1 {
            let detector = NearDuplicateDetector(
                threshold: options.nearDuplicateThreshold, shingleLength: options.shingleLength)
            for (position, earlier) in detector.earlierNearDuplicates(of: normalizedSurvivors).enumerated()
            where earlier != nil {
                flags[survivors[position]] = .nearDuplicate
            }
        }
        return flags
    }

    /// True if `words` can be cut entirely into filler phrases.
    private func isFiller(_ words: [String]) -> Bool {
        var reachable = [Bool](repeating: false, count: words.count + 1)
        reachable[0] = true
        for start in 0..<words.count where reachable[start] {
            for phrase in fillers where start + phrase.count <= words.count {
                if words[start..<(start + phrase.count)].elementsEqual(phrase) {
                    reachable[start + phrase.count] = true
                }
            }
        }
        return reachable[words.count]
    }

    /// Counts `flags` into a report.
    public static func report(of flags: [PromptQualityFlags]) -> PromptQualityReport {
        var report = PromptQualityReport()
        report.checked = flags.count
        for flag in flags {
            if flag.contains(.tooShort) {
                report.tooShort += 1
            } else if flag.contains(.noRequest) {
                report.noRequest += 1
            } else if flag.contains(.duplicate) {
                report.duplicate += 1
            } else if flag.contains(.nearDuplicate) {
                report.nearDuplicate += 1
            }
        }
        return report
    }
}
