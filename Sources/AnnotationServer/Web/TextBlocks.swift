import Foundation

/// A piece of a message to display: prose (line breaks kept) or a fenced code block.
struct TextBlock: Sendable, Hashable {
    /// The text, exactly as stored (the template escapes it).
    let text: String
    /// Whether it was inside a ``` fence.
    let isCode: Bool
    /// The fence's language tag (```swift), if any.
    let language: String?
}

/// Splits message text into prose and Markdown-style fenced code blocks, so code shows monospaced with its
/// indentation while prose keeps its line breaks. Nothing else of Markdown is interpreted: the text is shown as
/// written, and never as markup.
enum TextBlocks {
    static func split(_ text: String) -> [TextBlock] {
        var blocks: [TextBlock] = []
        var lines: [Substring] = []
        var inCode = false
        var language: String?

        func flush() {
            // Blank lines around a block only add space; inside it they are kept.
            while let first = lines.first, first.allSatisfy(\.isWhitespace) { lines.removeFirst() }
            while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
            if !lines.isEmpty {
                blocks.append(
                    TextBlock(text: lines.joined(separator: "\n"), isCode: inCode, language: inCode ? language : nil))
            }
            lines.removeAll()
        }

        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n")
        for line in normalized.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
            if trimmed.hasPrefix("```") {
                flush()
                if inCode {
                    inCode = false
                    language = nil
                } else {
                    inCode = true
                    let tag = String(trimmed.dropFirst(3)).trimmingCharacters(in: .whitespaces)
                    language = tag.isEmpty ? nil : String(tag.prefix(30))
                }
                continue
            }
            lines.append(line)
        }
        flush()  // an unclosed fence runs to the end, as in Markdown
        return blocks
    }
}
