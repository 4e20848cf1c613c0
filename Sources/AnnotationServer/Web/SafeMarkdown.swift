import Foundation

/// A run of inline text: plain, strong (`**…**`), emphasised (`*…*`) or code (`` `…` ``).
struct MarkdownSpan: Sendable, Hashable {
    let text: String
    let strong: Bool
    let emphasis: Bool
    let code: Bool
    /// None of the above (a stored property: templates read stored properties only).
    let plain: Bool

    init(_ text: String, strong: Bool = false, emphasis: Bool = false, code: Bool = false) {
        self.text = text
        self.strong = strong
        self.emphasis = emphasis
        self.code = code
        plain = !strong && !emphasis && !code
    }
}

/// One list item.
struct MarkdownItem: Sendable, Hashable {
    let spans: [MarkdownSpan]
}

/// One block: a heading (levels 1–3), a paragraph, a bulleted or numbered list, or a code block. Exactly one of the
/// flags is set; templates pick the element by flag.
struct MarkdownBlock: Sendable, Hashable {
    var heading1 = false
    var heading2 = false
    var heading3 = false
    var paragraph = false
    var bullets = false
    var numbered = false
    var code = false
    var spans: [MarkdownSpan] = []
    var items: [MarkdownItem] = []
    var codeText = ""
}

/// A small, safe subset of Markdown for the guidelines an admin writes: headings, paragraphs, lists, fenced code,
/// strong, emphasis and inline code. It yields values, never HTML: the templates build the few elements above and
/// escape every piece of text, so no input (`<script>`, `javascript:` links, raw HTML) can become markup. Anything
/// else of Markdown (links, images, tables, raw HTML) is shown as the text it is.
enum SafeMarkdown {
    static func blocks(_ text: String) -> [MarkdownBlock] {
        var blocks: [MarkdownBlock] = []
        var paragraph: [String] = []
        var list: (numbered: Bool, items: [MarkdownItem])?
        var code: [String]?

        func flush() {
            if !paragraph.isEmpty {
                blocks.append(MarkdownBlock(paragraph: true, spans: inline(paragraph.joined(separator: " "))))
                paragraph = []
            }
            if let current = list {
                blocks.append(
                    MarkdownBlock(bullets: !current.numbered, numbered: current.numbered, items: current.items))
                list = nil
            }
        }

        for rawLine in text.replacingOccurrences(of: "\r\n", with: "\n").split(
            separator: "\n", omittingEmptySubsequences: false)
        {
            let line = String(rawLine)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if var lines = code {
                if trimmed.hasPrefix("```") {
                    blocks.append(MarkdownBlock(code: true, codeText: lines.joined(separator: "\n")))
                    code = nil
                } else {
                    lines.append(line)
                    code = lines
                }
                continue
            }
            if trimmed.hasPrefix("```") {
                flush()
                code = []
            } else if trimmed.isEmpty {
                flush()
            } else if let found = heading(trimmed) {
                flush()
                blocks.append(
                    MarkdownBlock(
                        heading1: found.level == 1, heading2: found.level == 2, heading3: found.level >= 3,
                        spans: inline(found.title)))
            } else if let item = listItem(trimmed) {
                if !paragraph.isEmpty || (list != nil && list?.numbered != item.numbered) { flush() }
                var current = list ?? (item.numbered, [])
                current.items.append(MarkdownItem(spans: inline(item.text)))
                list = current
            } else if var current = list, line.first == " " || line.first == "\t" {
                // An indented line continues the last item.
                let last = current.items.removeLast()
                current.items.append(MarkdownItem(spans: last.spans + [MarkdownSpan(" ")] + inline(trimmed)))
                list = current
            } else {
                if list != nil { flush() }
                paragraph.append(trimmed)
            }
        }
        if let lines = code { blocks.append(MarkdownBlock(code: true, codeText: lines.joined(separator: "\n"))) }
        flush()
        return blocks
    }

    /// `# Title` … `###### Title`: the level (1–6) and the title.
    static func heading(_ line: String) -> (level: Int, title: String)? {
        let hashes = line.prefix { $0 == "#" }.count
        guard (1...6).contains(hashes), line.dropFirst(hashes).first == " " else { return nil }
        return (hashes, line.dropFirst(hashes).trimmingCharacters(in: .whitespaces))
    }

    /// `- item`, `* item`, `+ item` or `1. item`: whether numbered, and the item's text.
    static func listItem(_ line: String) -> (numbered: Bool, text: String)? {
        if let first = line.first, "-*+".contains(first), line.dropFirst().first == " " {
            return (false, String(line.dropFirst(2)))
        }
        let digits = line.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 9 else { return nil }
        let rest = line.dropFirst(digits.count)
        guard rest.hasPrefix(". ") || rest.hasPrefix(") ") else { return nil }
        return (true, String(rest.dropFirst(2)))
    }

    /// The spans of inline text: `` `code` `` first (nothing inside it is interpreted), then `**strong**`, then
    /// `*emphasis*`; an unmatched marker is plain text. (Underscores are left alone: they are common in names.)
    static func inline(_ text: String) -> [MarkdownSpan] {
        var spans: [MarkdownSpan] = []
        var plain = ""
        var rest = Substring(text)
        func emit(_ span: MarkdownSpan) {
            if !plain.isEmpty { spans.append(MarkdownSpan(plain)) }
            plain = ""
            spans.append(span)
        }
        while let first = rest.first {
            var matched = false
            for (marker, kind) in [("`", 0), ("**", 1), ("*", 2)] where rest.hasPrefix(marker) {
                let body = rest.dropFirst(marker.count)
                guard let end = body.range(of: marker), end.lowerBound > body.startIndex else { continue }
                let inner = String(body[..<end.lowerBound])
                emit(MarkdownSpan(inner, strong: kind == 1, emphasis: kind == 2, code: kind == 0))
                rest = body[end.upperBound...]
                matched = true
                break
            }
            if !matched {
                plain.append(first)
                rest = rest.dropFirst()
            }
        }
        if !plain.isEmpty { spans.append(MarkdownSpan(plain)) }
        return spans
    }
}
