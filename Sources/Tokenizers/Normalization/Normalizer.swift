import Foundation

/// The text normalizers byte-level tokenizers use: none, or Unicode NFC (Qwen2).
enum Normalizer: Sendable, Equatable {
    case none
    case nfc

    /// The normalized bytes of `p[range]`, or nil when normalization leaves them unchanged.
    func normalize(_ p: UnsafePointer<UInt8>, _ range: Range<Int>) -> [UInt8]? {
        switch self {
        case .none:
            return nil
        case .nfc:
            if Self.isQuickNFC(p, range) { return nil }
            let text = String(
                decoding: UnsafeBufferPointer(start: p + range.lowerBound, count: range.count), as: UTF8.self)
            let normalized = text.precomposedStringWithCanonicalMapping
            return normalized.utf8.elementsEqual(text.utf8) ? nil : Array(normalized.utf8)
        }
    }

    /// True when every scalar is in a range that NFC never changes and that never combines with a neighbour:
    /// below U+0300 (before the combining diacritics), CJK ideographs, CJK punctuation, fullwidth forms, emoji.
    private static func isQuickNFC(_ p: UnsafePointer<UInt8>, _ range: Range<Int>) -> Bool {
        var i = range.lowerBound
        while i < range.upperBound {
            if p[i] < 0x80 {
                i += 1
                continue
            }
            let (scalar, length) = UTF8Scalar.decode(p, i)
            switch scalar {
            case 0..<0x300, 0x2010...0x2027, 0x3000...0x3029, 0x4E00...0x9FFF, 0xFF01...0xFF5E, 0x1F300...0x1FAFF:
                i += length
            default:
                return false
            }
        }
        return true
    }
}
