extension HFTokenizerConfig {
    /// The added tokens transformers ends up with: `base` (those of tokenizer.json, if any), then the files' added
    /// tokens whose text is not there yet, then every role and extra special token not yet added, with its
    /// vocabulary id or else the next free id. Matching them in the input is what makes a special token's text
    /// become its id.
    func resolvedAddedTokens(base: [AddedToken], model: BPEModel) -> [AddedToken] {
        var result = base
        var contents = Set(base.map(\.content))
        let special = specialContents
        for token in addedTokens where !contents.contains(token.content) {
            // transformers counts every token a role names as special, whatever the entry says.
            let isSpecial = token.special || special.contains(token.content)
            result.append(
                AddedToken(
                    content: token.content, id: token.id, special: isSpecial, singleWord: token.singleWord,
                    leftStrip: token.leftStrip, rightStrip: token.rightStrip,
                    normalized: token.normalized))
            contents.insert(token.content)
        }
        let named = Self.roleNames.compactMap { roles[$0] } + extraSpecialTokens
        for token in named where !contents.contains(token.content) {
            let nextID = max(model.idCount, (result.map(\.id).max() ?? -1) + 1)
            result.append(token.added(id: model.ids[token.content] ?? nextID))
            contents.insert(token.content)
        }
        return result
    }
}
