import Foundation
import Tokenizers

/// Token ids of a JSON Lines record: `{"ids": […]}` as given, or `{"text": …}` encoded with the tokenizer (loaded
/// only when a text record appears, so id-only use needs no tokenizer).
struct PromptInput {
    let source: String
    let vocabularySize: Int
    let loadTokenizer: () throws -> Tokenizer
    private var cached: Tokenizer?

    init(source: String, vocabularySize: Int, loadTokenizer: @escaping () throws -> Tokenizer) {
        self.source = source
        self.vocabularySize = vocabularySize
        self.loadTokenizer = loadTokenizer
    }

    mutating func tokenizer() throws -> Tokenizer {
        if let cached { return cached }
        let t = try loadTokenizer()
        cached = t
        return t
    }

    mutating func ids(_ object: [String: Any], line: Int) throws -> [Int] {
        let ids: [Int]
        if let raw = object["ids"] {
            guard let list = raw as? [Int] else {
                throw CommandFailure("\(source):\(line): \"ids\" must be an array of integers")
            }
            ids = list
        } else if let text = object["text"] as? String {
            ids = try tokenizer().encode(text)
        } else {
            throw CommandFailure("\(source):\(line): expected \"ids\" (array) or \"text\" (string)")
        }
        if ids.isEmpty { throw CommandFailure("\(source):\(line): no tokens") }
        if let bad = ids.first(where: { $0 < 0 || $0 >= vocabularySize }) {
            throw CommandFailure("\(source):\(line): id \(bad) is outside the model's vocabulary of \(vocabularySize)")
        }
        return ids
    }
}
