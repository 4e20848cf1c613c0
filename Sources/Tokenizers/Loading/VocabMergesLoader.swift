import Foundation
import JSONSupport

/// Reads GPT-2's original format: `vocab.json` (token → id) and `merges.txt` (one "left right" merge per line,
/// an optional `#version` header). Added and special tokens come from transformers' side files
/// (`tokenizer_config.json`, `special_tokens_map.json`, `added_tokens.json`) when they name any; otherwise
/// vocabulary tokens written `<|…|>` are special, GPT-2's convention.
enum VocabMergesLoader {
    static func load(directory: String) throws -> Tokenizer {
        let base = URL(fileURLWithPath: directory)
        let vocabPath = base.appendingPathComponent("vocab.json").path
        let mergesPath = base.appendingPathComponent("merges.txt").path
        let tokens: [String?]
        do {
            tokens = try HFComponents.vocabulary(FileText.json(vocabPath), field: "vocabulary")
        } catch let failure as HFComponents.Failure {
            throw TokenizerError(path: vocabPath, problem: failure.problem)
        }
        let merges = try readMerges(mergesPath)
        let model: BPEModel
        do {
            model = try BPEModel(tokens: tokens, merges: merges.pairs)
        } catch let error as BPEModel.BuildError {
            if case .unknownMergeToken(let index, _, _) = error {
                throw TokenizerError(path: mergesPath, problem: "line \(merges.lines[index]): \(error.message)")
            }
            throw TokenizerError(path: mergesPath, problem: error.message)
        }
        let config = try HFTokenizerConfig.load(besides: directory)
        var added: [AddedToken] = []
        if let config, config.namesAnyToken {
            added = config.resolvedAddedTokens(base: [], model: model)
        } else {
            // GPT-2's convention (transformers' GPT2Tokenizer defaults its roles to <|endoftext|>).
            for (id, token) in tokens.enumerated() {
                if let token, token.hasPrefix("<|"), token.hasSuffix("|>"), token.count > 4 {
                    added.append(AddedToken(content: token, id: id, special: true))
                }
            }
        }
        let idOf: (String) -> Int? = { token in added.first { $0.content == token }?.id ?? model.ids[token] }
        var special = config?.specialTokens(idOf: idOf) ?? SpecialTokens()
        HFComponents.fillConventionalSpecialTokens(&special, postProcessor: PostProcessor(), idOf: idOf)
        let steps: [PreTokenizerStep] = (config?.addPrefixSpace == true ? [.prefixSpace] : []) + [.pattern(.gpt2)]
        let core = TokenizerCore(
            model: model, addedTokens: added, normalizer: .none, preTokenizer: PreTokenizer(steps: steps),
            postProcessor: PostProcessor(), specialTokens: special, chatTemplate: config?.chatTemplate)
        return Tokenizer(core: core, source: directory)
    }

    /// The merges and the line number of each.
    static func readMerges(_ path: String) throws -> (pairs: [(String, String)], lines: [Int]) {
        let bytes = try FileText.bytes(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw TokenizerError(path: path, problem: "not valid UTF-8 text")
        }
        var pairs: [(String, String)] = []
        var lines: [Int] = []
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.isEmpty || (lineNumber == 1 && line.hasPrefix("#version")) { continue }
            let parts = line.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw TokenizerError(
                    path: path,
                    problem:
                        "line \(lineNumber): expected two tokens separated by one space, found \(JSONWriter.quoted(String(line.prefix(80))))"
                )
            }
            pairs.append((String(parts[0]), String(parts[1])))
            lines.append(lineNumber)
        }
        return (pairs, lines)
    }
}
