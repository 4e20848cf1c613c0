/// The immutable parts of a loaded tokenizer, shared by every encoding thread.
final class TokenizerCore: Sendable {
    let model: BPEModel
    let addedTokens: [AddedToken]
    /// Added tokens matched in the raw text (`normalized: false`), HF's first pass.
    let rawMatcher: AddedTokenMatcher
    /// Added tokens matched after normalization (`normalized: true`), HF's second pass.
    let normalizedMatcher: AddedTokenMatcher
    let normalizer: Normalizer
    let preTokenizer: PreTokenizer
    let decoder: TokenDecoder
    let postProcessor: PostProcessor
    let specialTokens: SpecialTokens
    /// The chat template text the files carry (Jinja), if any.
    let chatTemplate: String?
    /// Added tokens by content and by id (the first listed wins, as in HF).
    let addedByContent: [String: AddedToken]
    let addedByID: [Int: AddedToken]

    init(
        model: BPEModel, addedTokens: [AddedToken], normalizer: Normalizer, preTokenizer: PreTokenizer,
        postProcessor: PostProcessor, specialTokens: SpecialTokens, chatTemplate: String?
    ) {
        self.model = model
        self.addedTokens = addedTokens
        rawMatcher = AddedTokenMatcher(addedTokens.filter { !$0.normalized })
        normalizedMatcher = AddedTokenMatcher(addedTokens.filter(\.normalized))
        self.normalizer = normalizer
        self.preTokenizer = preTokenizer
        self.postProcessor = postProcessor
        self.specialTokens = specialTokens
        self.chatTemplate = chatTemplate
        addedByContent = Dictionary(addedTokens.map { ($0.content, $0) }, uniquingKeysWith: { first, _ in first })
        addedByID = Dictionary(addedTokens.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        // Added tokens may lie beyond the model's ids (they extend the vocabulary) or replace model ids.
        let idCount = max(model.idCount, (addedTokens.map(\.id).max() ?? -1) + 1)
        var strings: [String?] = model.tokens + [String?](repeating: nil, count: idCount - model.idCount)
        var special = [Bool](repeating: false, count: idCount)
        for token in addedTokens {
            strings[token.id] = token.content
            special[token.id] = token.special
        }
        decoder = TokenDecoder(strings: strings, special: special)
    }

    /// Highest id + 1 over the model and the added tokens.
    var vocabularySize: Int { decoder.count }
}
