import Foundation
import JSONSupport

/// Reads a Hugging Face `tokenizer.json` whose model is byte-level BPE.
enum TokenizerJSONLoader {
    static func load(path: String) throws -> Tokenizer {
        let root = try FileText.json(path)
        func fail(_ problem: String) -> TokenizerError { TokenizerError(path: path, problem: problem) }
        guard case .object = root else {
            throw fail("expected a JSON object at the top level, found \(root.typeDescription)")
        }
        guard let model = root["model"], case .object = model else {
            throw fail(
                "no \"model\" object: not a tokenizer.json (for GPT-2's vocab.json + merges.txt pass their directory)")
        }
        if let type = model["type"] {
            guard type.string == "BPE" else {
                let name = type.string.map { "\"\($0)\"" } ?? type.typeDescription
                throw fail("unsupported model type \(name) (only byte-level BPE is supported)")
            }
        } else if model["merges"] == nil {
            throw fail("model has no \"type\" and no \"merges\": only byte-level BPE is supported")
        }
        do {
            let tokens = try HFComponents.vocabulary(model["vocab"], field: "model.vocab")
            let merges = try HFComponents.merges(model["merges"], field: "model.merges")
            let options = try HFComponents.bpeOptions(model)
            let bpe: BPEModel
            do {
                bpe = try BPEModel(
                    tokens: tokens, merges: merges, ignoreMerges: options.ignoreMerges,
                    unknownToken: options.unknownToken, fuseUnknown: options.fuseUnknown,
                    byteFallback: options.byteFallback)
            } catch let error as BPEModel.BuildError {
                throw HFComponents.Failure("model.merges: \(error.message)")
            }
            let listed = try HFComponents.addedTokens(root["added_tokens"])
            let normalizer = try HFComponents.normalizer(root["normalizer"])
            let preTokenizer = try HFComponents.preTokenizer(root["pre_tokenizer"])
            try HFComponents.checkDecoder(root["decoder"])
            let config = try HFTokenizerConfig.load(besides: path)
            let added = config?.resolvedAddedTokens(base: listed, model: bpe) ?? listed
            let idOf: (String) -> Int? = { token in added.first { $0.content == token }?.id ?? bpe.ids[token] }
            let postProcessor = try HFComponents.postProcessor(root["post_processor"], idOf: idOf)
            var special = config?.specialTokens(idOf: idOf) ?? SpecialTokens()
            HFComponents.fillConventionalSpecialTokens(&special, postProcessor: postProcessor, idOf: idOf)
            if special.unk == nil, let unk = options.unknownToken { special.unk = idOf(unk) }
            let core = TokenizerCore(
                model: bpe, addedTokens: added, normalizer: normalizer, preTokenizer: preTokenizer,
                postProcessor: postProcessor, specialTokens: special, chatTemplate: config?.chatTemplate)
            return Tokenizer(core: core, source: path)
        } catch let failure as HFComponents.Failure {
            throw fail(failure.problem)
        }
    }
}
