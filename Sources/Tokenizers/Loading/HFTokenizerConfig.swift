import Foundation
import JSONSupport

/// What transformers' side files say about a tokenizer: `tokenizer_config.json`, `special_tokens_map.json` and
/// `added_tokens.json`, read with transformers' precedence. When `tokenizer_config.json` lists `added_tokens_decoder`
/// (the newer layout) the other two are ignored; otherwise `special_tokens_map.json` overrides the config's roles
/// and `added_tokens.json` gives the added tokens' ids.
struct HFTokenizerConfig {
    /// A token the files name by its text, before it has an id.
    struct NamedToken: Equatable {
        var content: String
        var singleWord = false
        var leftStrip = false
        var rightStrip = false

        func added(id: Int) -> AddedToken {
            AddedToken(
                content: content, id: id, special: true, singleWord: singleWord, leftStrip: leftStrip,
                rightStrip: rightStrip, normalized: false)
        }
    }

    /// transformers' special-token roles, in the order it adds their tokens.
    static let roleNames = ["bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token"]

    /// The token of each role the files name.
    var roles: [String: NamedToken] = [:]
    /// `additional_special_tokens` (`extra_special_tokens` in transformers 5).
    var extraSpecialTokens: [NamedToken] = []
    /// The added tokens with their ids, by id.
    var addedTokens: [AddedToken] = []
    var chatTemplate: String?
    var addPrefixSpace: Bool?

    /// Whether the files name any token (otherwise a loader may fall back on its format's convention).
    var namesAnyToken: Bool { !roles.isEmpty || !extraSpecialTokens.isEmpty || !addedTokens.isEmpty }

    /// The texts of every role and extra special token: transformers' special tokens.
    var specialContents: Set<String> { Set(roles.values.map(\.content) + extraSpecialTokens.map(\.content)) }

    /// Reads the side files in the directory of `path` (or `path` itself if it is a directory); nil when there are
    /// none.
    static func load(besides path: String) throws -> HFTokenizerConfig? {
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        let directory =
            isDirectory.boolValue ? URL(fileURLWithPath: path) : URL(fileURLWithPath: path).deletingLastPathComponent()
        func existing(_ name: String) -> String? {
            let file = directory.appendingPathComponent(name).path
            return FileManager.default.fileExists(atPath: file) ? file : nil
        }
        let configPath = existing("tokenizer_config.json")
        let mapPath = existing("special_tokens_map.json")
        let addedPath = existing("added_tokens.json")
        guard configPath != nil || mapPath != nil || addedPath != nil else { return nil }
        var config = HFTokenizerConfig()
        var decoder: JSONValue?
        if let configPath {
            let json = try object(configPath)
            try config.readRoles(json, path: configPath)
            config.addPrefixSpace = json["add_prefix_space"]?.bool
            if let template = json["chat_template"] {
                // Either a string or a list of {"name", "template"}; the "default" one is used.
                config.chatTemplate =
                    template.string
                    ?? template.array?.first { $0["name"]?.string == "default" }?["template"]?.string
            }
            decoder = json["added_tokens_decoder"]
        }
        if let decoder, !decoder.isNull {
            config.addedTokens = try addedTokensDecoder(decoder, path: configPath!)
        } else {
            if let mapPath { try config.readRoles(object(mapPath), path: mapPath) }
            if let addedPath { config.addedTokens = try config.addedTokensFile(addedPath) }
        }
        return config
    }

    private static func object(_ path: String) throws -> JSONValue {
        let json = try FileText.json(path)
        guard case .object = json else {
            throw TokenizerError(path: path, problem: "expected a JSON object, found \(json.typeDescription)")
        }
        return json
    }

    /// The roles and extra special tokens `json` names; each replaces what an earlier file said.
    private mutating func readRoles(_ json: JSONValue, path: String) throws {
        func token(_ value: JSONValue, field: String) throws -> NamedToken? {
            if value.isNull { return nil }
            if let content = value.string { return NamedToken(content: content) }
            guard let content = value["content"]?.string else {
                throw TokenizerError(
                    path: path, problem: "\(field) must be a string or an object with a string \"content\"")
            }
            return NamedToken(
                content: content, singleWord: value["single_word"]?.bool ?? false,
                leftStrip: value["lstrip"]?.bool ?? false, rightStrip: value["rstrip"]?.bool ?? false)
        }
        for role in Self.roleNames {
            guard let value = json[role] else { continue }
            roles[role] = try token(value, field: role)
        }
        for field in ["additional_special_tokens", "extra_special_tokens"] {
            guard let value = json[field], !value.isNull else { continue }
            // A list, or (transformers 5) an object of model-specific names → token.
            let items: [(String, JSONValue)]
            if let list = value.array {
                items = list.enumerated().map { ("\(field)[\($0.offset)]", $0.element) }
            } else if let members = value.object {
                items = members.map { ("\(field).\($0.key)", $0.value) }
            } else {
                throw TokenizerError(path: path, problem: "\(field) must be a list of tokens")
            }
            extraSpecialTokens = try items.compactMap { try token($0.1, field: $0.0) }
        }
    }

    /// `added_tokens_decoder`: `{"id": {"content", "special", "lstrip", …}, …}`, as added tokens by id.
    private static func addedTokensDecoder(_ value: JSONValue, path: String) throws -> [AddedToken] {
        guard let members = value.object else {
            throw TokenizerError(path: path, problem: "added_tokens_decoder must be an object of id → token")
        }
        return try members.map { key, entry in
            guard let id = Int(key), id >= 0, id < HFComponents.maximumID, let content = entry["content"]?.string else {
                throw TokenizerError(
                    path: path,
                    problem: "added_tokens_decoder[\(JSONWriter.quoted(key))] needs an integer key and a content")
            }
            let special = entry["special"]?.bool ?? false
            return AddedToken(
                content: content, id: id, special: special, singleWord: entry["single_word"]?.bool ?? false,
                leftStrip: entry["lstrip"]?.bool ?? false, rightStrip: entry["rstrip"]?.bool ?? false,
                normalized: entry["normalized"]?.bool ?? !special)
        }.sorted { $0.id < $1.id }
    }

    /// `added_tokens.json`: `{"token": id, …}`. As in transformers, a token is special when a role or the extra
    /// special tokens name it; the others are ordinary added tokens, matched after normalization.
    private func addedTokensFile(_ path: String) throws -> [AddedToken] {
        guard let members = try Self.object(path).object else { return [] }
        let special = specialContents
        return try members.map { token, id in
            guard let id = id.int, id >= 0, id < HFComponents.maximumID else {
                throw TokenizerError(
                    path: path,
                    problem: "token \(JSONWriter.quoted(token)) has no integer id in 0..<\(HFComponents.maximumID)")
            }
            let isSpecial = special.contains(token)
            return AddedToken(content: token, id: id, special: isSpecial, normalized: !isSpecial)
        }.sorted { $0.id < $1.id }
    }

    func specialTokens(idOf: (String) -> Int?) -> SpecialTokens {
        func id(_ role: String) -> Int? { roles[role].flatMap { idOf($0.content) } }
        return SpecialTokens(bos: id("bos_token"), eos: id("eos_token"), pad: id("pad_token"), unk: id("unk_token"))
    }
}
