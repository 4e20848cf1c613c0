import Foundation
import JSONSupport

/// Tags a prompt with an intent category (so every category is represented in training data). Conform to plug in
/// another tagger, e.g. a classifier model.
public protocol PromptCategorizer: Sendable {
    /// The category of `prompt`, or nil to leave it untagged.
    func category(of prompt: Prompt) -> String?
}

/// The default tagger: keyword rules. A prompt gets the category whose keywords it contains most (whole words;
/// each keyword counts once; ties go to the earlier rule), else the fallback. It reads every user message of the
/// prompt, so "translate the above" in a follow-up is still translation.
public struct KeywordCategorizer: PromptCategorizer {
    /// Keywords that signal a category. A keyword may be several words ("act as"); matching ignores case and
    /// punctuation.
    public struct Rule: Sendable, Hashable {
        /// The category name.
        public var category: String
        /// Its keywords.
        public var keywords: [String]

        /// Creates a rule.
        public init(category: String, keywords: [String]) {
            self.category = category
            self.keywords = keywords
        }
    }

    /// The rules, in priority order for ties.
    public let rules: [Rule]
    /// The category of prompts no rule matches; nil leaves them untagged. Default: `other`.
    public let fallback: String?
    /// Each keyword's words, indexed by its first word: matching is a dictionary lookup per word of the prompt.
    private let keywordsByFirstWord: [String: [(words: [String], rule: Int, keyword: Int)]]

    /// Creates a tagger from rules (default: `KeywordCategorizer.defaultRules`).
    public init(rules: [Rule] = KeywordCategorizer.defaultRules, fallback: String? = "other") {
        self.rules = rules
        self.fallback = fallback
        var index: [String: [(words: [String], rule: Int, keyword: Int)]] = [:]
        for (ruleIndex, rule) in rules.enumerated() {
            for (keywordIndex, keyword) in rule.keywords.enumerated() {
                let words = TextNormalization.words(keyword)
                guard let first = words.first else { continue }
                index[first, default: []].append((words, ruleIndex, keywordIndex))
            }
        }
        keywordsByFirstWord = index
    }

    /// Loads rules from a JSON file: `{"rules": [{"category": "math", "keywords": ["solve", …]}, …],
    /// "fallback": "other"}` (`fallback` optional, default `other`; null for none).
    public init(contentsOfFile path: String) throws {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw PreferenceDataError.io(path: path, problem: "cannot read category rules")
        }
        let problem = { (message: String) in PreferenceDataError.invalidArgument("\(path): \(message)") }
        let value: JSONValue
        do { value = try JSONParser.parse(text, options: .preferenceData) } catch {
            throw problem("invalid JSON: \(error.message)")
        }
        guard case .object(let object) = value, case .array(let ruleValues)? = object["rules"] else {
            throw problem("expected {\"rules\": [{\"category\": …, \"keywords\": […]}, …]}")
        }
        var rules: [Rule] = []
        for (position, ruleValue) in ruleValues.enumerated() {
            guard case .object(let fields) = ruleValue, case .string(let category)? = fields["category"],
                case .array(let keywordValues)? = fields["keywords"]
            else {
                throw problem(
                    "rule \(position + 1) needs \"category\" (a string) and \"keywords\" (an array of strings)")
            }
            var keywords: [String] = []
            for keyword in keywordValues {
                guard case .string(let text) = keyword else {
                    throw problem("rule \(position + 1): keywords must be strings")
                }
                keywords.append(text)
            }
            rules.append(Rule(category: category, keywords: keywords))
        }
        var fallback: String? = "other"
        switch object["fallback"] {
        case nil: break
        case .null?: fallback = nil
        case .string(let text)?: fallback = text
        default: throw problem("\"fallback\" must be a string or null")
        }
        self.init(rules: rules, fallback: fallback)
    }

    public func category(of prompt: Prompt) -> String? {
        let userText = (prompt.context.filter { $0.role == .user }.map(\.content) + [prompt.text]).joined(
            separator: "\n")
        let words = TextNormalization.words(userText)
        var matched = Set<[Int]>()  // (rule, keyword): each keyword counts once
        for start in words.indices {
            guard let candidates = keywordsByFirstWord[words[start]] else { continue }
            for candidate in candidates
            where start + candidate.words.count <= words.count
                && words[start..<(start + candidate.words.count)].elementsEqual(candidate.words)
            {
                matched.insert([candidate.rule, candidate.keyword])
            }
        }
        var hits = [Int](repeating: 0, count: rules.count)
        for match in matched { hits[match[0]] += 1 }
        guard let most = hits.max(), most > 0 else { return fallback }
        return rules[hits.firstIndex(of: most)!].category
    }

    /// Rules for common intents (English and Chinese keywords), after AlignBench's categories.
    public static let defaultRules: [Rule] = [
        Rule(
            category: "coding",
            keywords: [
                "code", "python", "javascript", "typescript", "java", "cpp", "rust", "golang", "sql", "function", "bug",
                "compile", "compiler", "regex", "script", "api", "algorithm", "debug", "stack trace", "html", "css",
                "代码", "编程", "函数", "程序", "算法",
            ]),
        Rule(
            category: "math",
            keywords: [
                "calculate", "solve", "equation", "integral", "derivative", "probability", "sum", "prime",
                "geometry", "algebra", "math", "how many", "percent", "percentage", "计算", "数学", "方程", "求解", "概率", "几何",
            ]),
        Rule(
            category: "translation",
            keywords: [
                "translate", "translation", "into english", "into chinese", "into french", "into german",
                "into spanish",
                "in english", "in chinese", "翻译", "译成",
            ]),
        Rule(
            category: "summarization",
            keywords: [
                "summarize", "summarise", "summary", "tl dr", "tldr", "key points", "main points", "总结", "概括", "摘要",
            ]),
        Rule(
            category: "role-play",
            keywords: [
                "pretend", "act as", "role play", "roleplay", "you are a", "imagine you are", "play the role",
                "in character",
                "扮演", "假设你是", "角色",
            ]),
        Rule(
            category: "writing",
            keywords: [
                "write", "essay", "poem", "story", "letter", "email", "article", "blog", "slogan", "lyrics", "speech",
                "paragraph", "rewrite", "draft", "写", "作文", "诗", "文章", "故事", "文案",
            ]),
        Rule(
            category: "reasoning",
            keywords: [
                "why", "logic", "logical", "puzzle", "riddle", "reason", "deduce", "infer", "if then", "推理", "逻辑",
                "为什么",
            ]),
        Rule(
            category: "advice",
            keywords: [
                "should i", "how can i", "how do i", "recommend", "advice", "tips", "suggest", "help me", "建议", "怎么办",
                "如何", "怎么",
            ]),
        Rule(
            category: "knowledge",
            keywords: [
                "what is", "what are", "who is", "who was", "when did", "where is", "explain", "define", "definition",
                "history of", "什么是", "介绍", "解释", "是什么",
            ]),
    ]
}
