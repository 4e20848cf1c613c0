import Testing

@testable import Tokenizers

/// Random text built from the kinds of characters that break tokenizers: emoji with ZWJ and skin tones, CJK,
/// combining marks, control characters, odd spaces, lone spaces and newlines, contractions, any code point.
struct RandomText {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    private mutating func next(_ n: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(n))
    }

    private static let pools: [[String]] = [
        ["a", "b", "Z", "the", "The", " ", " ", "  ", "\n", "\n\n", "\t", "\r\n", "'s", "'LL", "'", ".", ",", "!?"],
        ["0", "1", "42", "2026", "3.14", "٣", "１", "²", "½", "Ⅻ"],
        ["你", "好", "世", "界", "，", "。", "模型", "日本", "한국", "ภาษา", "Ελλ", "Рус"],
        ["🤖", "👍🏽", "👨‍👩‍👧‍👦", "🏳️‍🌈", "❤️", "\u{200D}", "\u{FE0F}", "🇫🇷"],
        ["e\u{301}", "\u{301}", "\u{308}\u{304}", "\u{93F}", "\u{E31}", "\u{20DD}", "é", "Å"],
        [
            "\u{0}", "\u{1}", "\u{7}", "\u{1B}", "\u{7F}", "\u{80}", "\u{85}", "\u{A0}", "\u{3000}", "\u{2028}",
            "\u{FEFF}", "\u{200B}",
        ],
        ["<|endoftext|>", "<|im_start|>", "<|eot_id|>", "<|endoftext", "<mask>", "@@", "[SEP]"],
    ]

    mutating func string() -> String {
        var s = ""
        for _ in 0..<(1 + next(10)) {
            if next(10) == 0 {
                var value = UInt32(1 + next(0x10FFFF))
                if (0xD800...0xDFFF).contains(value) { value = 0x41 }
                s.unicodeScalars.append(Unicode.Scalar(value)!)
            } else {
                let pool = Self.pools[next(Self.pools.count)]
                s += pool[next(pool.count)]
            }
        }
        return s
    }
}

/// decode(encode(s)) == s for thousands of random strings, for the fixture tokenizers (Qwen2's normalizes to NFC, so
/// there the round trip gives the NFC form; small-smollm is left out because its lstrip/rstrip added tokens swallow
/// whitespace by design, as in HF).
@Test(arguments: ["gpt2/tokenizer.json", "gpt2", "small-llama3", "small-qwen2", "small-glm4"])
func decodeInvertsEncode(name: String) throws {
    let tokenizer = try Fixtures.tokenizer(name)
    var random = RandomText(seed: UInt64(name.utf8.count))
    for _ in 0..<3000 {
        let text = random.string()
        let expected = name == "small-qwen2" ? text.precomposedNFC : text
        let decoded = tokenizer.decode(tokenizer.encode(text))
        #expect(decoded.unicodeScalars.elementsEqual(expected.unicodeScalars), "\(text.debugDescription)")
    }
}

/// With add_prefix_space the decoded text gains the spaces the pre-tokenizer added, exactly as in HF.
@Test func prefixSpaceRoundTripAddsOnlySpaces() throws {
    let tokenizer = try Fixtures.tokenizer("small-prefix-space")
    #expect(tokenizer.decode(tokenizer.encode("Hello")) == " Hello")
    #expect(tokenizer.decode(tokenizer.encode(" Hello")) == " Hello")
}

@Test func batchEqualsOneByOne() throws {
    let tokenizer = try Fixtures.tokenizer("gpt2/tokenizer.json")
    var random = RandomText(seed: 9)
    let texts = (0..<500).map { _ in random.string() } + ["", " ", String(repeating: "long ", count: 2000)]
    let expected = texts.map { tokenizer.encode($0) }
    #expect(tokenizer.encodeBatch(texts) == expected)
    #expect(tokenizer.encodeBatch(texts, threads: 1) == expected)
    #expect(tokenizer.encodeBatch(texts, threads: 7) == expected)
    #expect(tokenizer.encodeBatch([]) == [])
}

/// Words longer than the in-place merge limit go through the heap merge; both must agree with HF's order.
@Test func longWordsMergeLikeShortOnes() throws {
    let tokenizer = try Fixtures.tokenizer("gpt2/tokenizer.json")
    let word = String(repeating: "abcabcab", count: 40)  // one 320-byte word
    let ids = tokenizer.encode(word)
    #expect(tokenizer.decode(ids) == word)
    // The same word cut at a piece boundary every 16 letters is not a reference; instead check against HF's ids
    // recorded for a long letter run in hf-cases (covered there) and that spaces/newline runs round-trip.
    let spaces = String(repeating: " ", count: 1000) + "x"
    #expect(tokenizer.decode(tokenizer.encode(spaces)) == spaces)
    var scratchShort = BPEScratch(), scratchLong = BPEScratch()
    let model = tokenizer.core.model
    let symbols = Array(word.utf8).map { UInt32(model.byteIDs[Int($0)]) }
    scratchShort.symbols = symbols
    scratchLong.symbols = symbols
    BPEMerger.mergeShort(&scratchShort, merges: model.merges.view)
    BPEMerger.mergeLong(&scratchLong, merges: model.merges.view)
    #expect(scratchShort.symbols == scratchLong.symbols)
}

extension String {
    var precomposedNFC: String {
        // Foundation's NFC, the same routine the tokenizer uses.
        Normalizer.nfc.normalize(self) ?? self
    }
}

extension Normalizer {
    func normalize(_ s: String) -> String? {
        var s = s
        return s.withUTF8 { b in
            guard let p = b.baseAddress else { return nil }
            return normalize(p, 0..<b.count).map { String(decoding: $0, as: UTF8.self) }
        }
    }
}
