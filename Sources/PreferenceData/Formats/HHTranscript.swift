/// Anthropic HH-RLHF transcripts: a conversation as one string of `\n\nHuman: …\n\nAssistant: …` turns.
package enum HHTranscript {
    /// The turns of a transcript. Text is split at `\n\nHuman:` and `\n\nAssistant:` (the transcript may also start
    /// with `Human:` directly); each turn's content is trimmed of surrounding whitespace.
    package static func turns(_ transcript: String) throws(FieldError) -> [Turn] {
        let segments = transcript.components(separatedBy: "\n\n")
        guard segments.contains(where: { marker($0) != nil }) else {
            throw FieldError("not an HH dialogue (no \"\\n\\nHuman:\" or \"\\n\\nAssistant:\" turns)")
        }
        var turns: [Turn] = []
        var sawMarker = false
        for segment in segments {
            if let (role, rest) = marker(segment) {
                turns.append(Turn(role: role, content: rest))
                sawMarker = true
            } else if sawMarker {
                // A paragraph break inside a turn.
                turns[turns.count - 1].content += "\n\n" + segment
            } else if !segment.allSatisfy(\.isWhitespace) {
                throw FieldError("text before the first \"Human:\" turn")
            }
        }
        return turns.map { Turn(role: $0.role, content: $0.content.trimmingWhitespace()) }
    }

    /// The transcript of `turns` (system turns are written as Human turns: HH has no system role).
    package static func transcript(_ turns: [Turn]) -> String {
        var text = ""
        for turn in turns {
            text += turn.role == .assistant ? "\n\nAssistant: " : "\n\nHuman: "
            text += turn.content
        }
        return text
    }

    /// True if `text` looks like a transcript (so a `prompt` string in this form is split into turns).
    package static func looksLikeTranscript(_ text: String) -> Bool {
        text.hasPrefix("\n\nHuman:") || text.hasPrefix("Human:")
    }

    private static func marker(_ segment: String) -> (Turn.Role, String)? {
        if segment.hasPrefix("Human:") { return (.user, String(segment.dropFirst(6))) }
        if segment.hasPrefix("Assistant:") { return (.assistant, String(segment.dropFirst(10))) }
        return nil
    }
}

extension String {
    /// The string without leading and trailing whitespace and newlines.
    package func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }) else { return "" }
        let last = lastIndex(where: { !$0.isWhitespace })!
        return String(self[first...last])
    }
}
