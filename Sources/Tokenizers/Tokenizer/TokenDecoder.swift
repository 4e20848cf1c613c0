/// Turns ids back into text like HF's `ByteLevel` decoder: each token's characters map back to bytes (a token with
/// a character outside the byte alphabet, such as many added tokens, contributes its UTF-8 as is), then the bytes are
/// decoded as UTF-8 with U+FFFD for invalid sequences.
struct TokenDecoder: Sendable {
    private let offsets: [Int]  // id → start in `bytes`; offsets[id + 1] is its end
    private let bytes: [UInt8]
    private let special: [Bool]

    /// `strings[id]` is the token's string (nil for ids nothing uses); `special[id]` marks special added tokens.
    init(strings: [String?], special: [Bool]) {
        var offsets = [0]
        offsets.reserveCapacity(strings.count + 1)
        var bytes: [UInt8] = []
        for string in strings {
            if let string {
                bytes.append(contentsOf: ByteLevelAlphabet.bytes(of: string) ?? Array(string.utf8))
            }
            offsets.append(bytes.count)
        }
        self.offsets = offsets
        self.bytes = bytes
        self.special = special
    }

    /// Number of ids covered.
    var count: Int { offsets.count - 1 }

    /// The bytes token `id` stands for (empty for an unknown id).
    func bytes(of id: Int) -> ArraySlice<UInt8> {
        guard id >= 0, id < count else { return [] }
        return bytes[offsets[id]..<offsets[id + 1]]
    }

    func isSpecial(_ id: Int) -> Bool { id >= 0 && id < special.count && special[id] }

    /// The text of `ids`; ids outside the vocabulary are skipped, as HF does.
    func decode(_ ids: [Int], skipSpecialTokens: Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(ids.count * 4)
        for id in ids where id >= 0 && id < count {
            if skipSpecialTokens, special[id] { continue }
            out.append(contentsOf: bytes[offsets[id]..<offsets[id + 1]])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
