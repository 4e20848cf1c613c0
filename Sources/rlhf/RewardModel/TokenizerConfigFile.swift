/// `tokenizer_config.json` as transformers reads it, holding what `tokenizer.json` lacks: the chat template and
/// which tokens begin, end and pad a sequence. Absent values are left out of the file.
struct TokenizerConfigFile: Codable, Equatable {
    var chatTemplate: String?
    var bosToken: String?
    var eosToken: String?
    var padToken: String?

    private enum CodingKeys: String, CodingKey {
        case chatTemplate = "chat_template", bosToken = "bos_token", eosToken = "eos_token", padToken = "pad_token"
    }
}
