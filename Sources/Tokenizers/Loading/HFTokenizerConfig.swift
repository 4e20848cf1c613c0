import Foundation
import JSONSupport

/// The parts of transformers' `tokenizer_config.json` (and `special_tokens_map.json`) the tokenizer uses: the
/// special-token roles, extra added tokens and the chat template.
struct HFTokenizerConfig {
    var bos: String?
    var eos: String?
    var pad: String?
    var unk: String?
    var chatTemplate: String?
    /// `added_tokens_decoder` entries.
    var addedTokens: [AddedToken] = []
    var addPrefixSpace: Bool?

    /// Reads `tokenizer_config.json` and `special_tokens_map.json` from the directory of `path` (or `path` itself if
    /// it is a directory); nil when neither exists.
    static func load(besides path: String) throws -> HFTokenizerConfig? {
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        let directory = isDirectory.boolValue ? URL(fileURLWithPath: path) : URL(fileURLWithPath: path).deletingLastPathComponent()
        let configPath = directory.appendingPathComponent("tokenizer_config.json").path
        let mapPath = directory.appendingPathComponent("special_tokens_map.json").path
        let hasConfig = FileManager.default.fileExists(atPath: configPath)
        let hasMap = FileManager.default.fileExists(atPath: mapPath)
        guard hasConfig || hasMap else { return nil }
        var config = HFTokenizerConfig()
        if hasMap { try config.read(FileText.json(mapPath), path: mapPath) }
        if hasConfig { try config.read(FileText.json(configPath), path: configPath) }
        return config
    }

    private mutating func read(_ json: JSONValue, path: String) throws {
        guard case .object = json else { throw TokenizerError(path: path, problem: "expected a JSON object") }
        func tokenString(_ key: String) -> String? {
            guard let value = json[key] else { return nil }
            return value.string ?? value["content"]?.string
        }
        bos = tokenString("bos_token") ?? bos
        eos = tokenString("eos_token") ?? eos
        pad = tokenString("pad_token") ?? pad
        unk = tokenString("unk_token") ?? unk
        addPrefixSpace = json["add_prefix_space"]?.bool ?? addPrefixSpace
        if let template = json["chat_template"] {
            // Either a string or a list of {"name", "template"}; the "default" one is used.
            chatTemplate = template.string ?? template.array?.first { $0["name"]?.string == "default" }?["template"]?.string
        }
        if let decoder = json["added_tokens_decoder"]?.object {
            for (key, entry) in decoder {
                guard let id = Int(key), let content = entry["content"]?.string else {
                    throw TokenizerError(path: path, problem: "added_tokens_decoder[\(JSONWriter.quoted(key))] needs an integer key and a content")
                }
                addedTokens.append(AddedToken(
                    content: content, id: id, special: entry["special"]?.bool ?? false,
                    singleWord: entry["single_word"]?.bool ?? false, leftStrip: entry["lstrip"]?.bool ?? false,
                    rightStrip: entry["rstrip"]?.bool ?? false, normalized: entry["normalized"]?.bool ?? false))
            }
        }
    }

    func specialTokens(idOf: (String) -> Int?) -> SpecialTokens {
        SpecialTokens(bos: bos.flatMap(idOf), eos: eos.flatMap(idOf), pad: pad.flatMap(idOf), unk: unk.flatMap(idOf))
    }
}
