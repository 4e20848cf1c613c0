/// Character classes the pre-tokenizer patterns test, as bit flags.
struct CharacterClass: OptionSet, Sendable {
    let rawValue: UInt8
    /// `\p{L}` in HF's regex engine.
    static let letter = CharacterClass(rawValue: 1)
    /// `\p{N}` in HF's regex engine.
    static let number = CharacterClass(rawValue: 2)
    /// `\s` (Unicode White_Space).
    static let whitespace = CharacterClass(rawValue: 4)
    /// What the `Digits` pre-tokenizer isolates (Rust's `char::is_numeric`).
    static let digit = CharacterClass(rawValue: 8)
}

/// Classifies code points with a two-stage table built once from `UnicodeClassTables`: 4,352 blocks of 256 code
/// points, identical blocks shared. Two loads per lookup, no Unicode work on the hot path. A struct of two pointers
/// to tables that live for the whole process, so threads use it without touching a shared reference count.
struct UnicodeClassifier: @unchecked Sendable {
    static let shared = UnicodeClassifier()

    private let blockIndex: UnsafeMutablePointer<UInt16>
    private let blocks: UnsafeMutablePointer<UInt8>

    private init() {
        let blockCount = 0x110000 >> 8
        var flat = [UInt8](repeating: 0, count: 0x110000)
        func mark(_ ranges: [UInt32], _ flag: CharacterClass) {
            for pair in stride(from: 0, to: ranges.count, by: 2) {
                for c in Int(ranges[pair])...Int(ranges[pair + 1]) { flat[c] |= flag.rawValue }
            }
        }
        mark(UnicodeClassTables.letters, .letter)
        mark(UnicodeClassTables.numbers, .number)
        mark(UnicodeClassTables.whitespace, .whitespace)
        mark(UnicodeClassTables.digits, .digit)
        var unique: [[UInt8]: UInt16] = [:]
        var storage: [UInt8] = []
        blockIndex = .allocate(capacity: blockCount)
        for block in 0..<blockCount {
            let slice = Array(flat[(block << 8)..<((block + 1) << 8)])
            if let existing = unique[slice] {
                blockIndex[block] = existing
            } else {
                let index = UInt16(unique.count)
                unique[slice] = index
                storage.append(contentsOf: slice)
                blockIndex[block] = index
            }
        }
        blocks = .allocate(capacity: storage.count)
        blocks.initialize(from: storage, count: storage.count)
    }

    /// The classes of code point `scalar` (which must be below 0x110000).
    @inline(__always)
    func classes(of scalar: UInt32) -> CharacterClass {
        CharacterClass(rawValue: blocks[Int(blockIndex[Int(scalar >> 8)]) << 8 | Int(scalar & 0xFF)])
    }
}
