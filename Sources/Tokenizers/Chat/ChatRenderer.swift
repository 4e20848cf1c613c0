import Foundation

extension Tokenizer {
    /// The chat format of this tokenizer: from its chat template if it ships one, else from its special tokens.
    public var chatFormat: ChatFormat? {
        if let template = chatTemplate, let format = ChatFormat(template: template) { return format }
        let contents = Set(core.addedByContent.keys)
        if contents.isSuperset(of: ["<|im_start|>", "<|im_end|>"]) { return .chatML(defaultSystemPrompt: nil) }
        if contents.contains("<|start_header_id|>") { return .llama3 }
        if contents.isSuperset(of: ["[gMASK]", "<|assistant|>"]) { return .glm4 }
        return nil
    }

    /// Renders `messages` in `format` (default: `chatFormat`) and encodes the text as a whole, as transformers'
    /// `apply_chat_template(tokenize=True)` does, marking the assistant's tokens. With `addGenerationPrompt` the
    /// text ends with the header of a new assistant turn.
    ///
    /// Throws `TokenizerError` when no format is known or the tokenizer lacks one of the format's special tokens.
    public func renderChat(
        _ messages: [ChatMessage], format: ChatFormat? = nil,
        addGenerationPrompt: Bool = false
    ) throws -> ChatEncoding {
        guard let format = format ?? chatFormat else {
            throw TokenizerError(
                path: source,
                problem: "no chat format: the tokenizer has no chat template or chat tokens; pass a format")
        }
        for token in format.requiredTokens where core.addedByContent[token] == nil {
            throw TokenizerError(
                path: source,
                problem: "chat format \(format) needs the special token \(token), which this tokenizer lacks")
        }
        var messages = messages
        if core.normalizer == .nfc {
            // Normalizing each part first makes the whole text already normalized, so offsets stay exact.
            for i in messages.indices {
                messages[i].content = messages[i].content.precomposedStringWithCanonicalMapping
            }
        }
        var text = ChatText()
        switch format {
        case .chatML(let defaultSystem):
            if let defaultSystem, messages.first?.role != .system {
                text.append("<|im_start|>system\n\(defaultSystem)<|im_end|>\n")
            }
            for message in messages {
                text.append("<|im_start|>\(message.role.rawValue)\n")
                if message.role == .assistant {
                    text.append(message.content + "<|im_end|>", assistant: true)
                    text.append("\n")
                } else {
                    text.append(message.content + "<|im_end|>\n")
                }
            }
            if addGenerationPrompt { text.append("<|im_start|>assistant\n") }
        case .llama3:
            text.append("<|begin_of_text|>")
            for message in messages {
                text.append("<|start_header_id|>\(message.role.rawValue)<|end_header_id|>\n\n")
                text.append(Self.pythonStrip(message.content) + "<|eot_id|>", assistant: message.role == .assistant)
            }
            if addGenerationPrompt { text.append("<|start_header_id|>assistant<|end_header_id|>\n\n") }
        case .glm4:
            text.append("[gMASK]<sop>")
            for (i, message) in messages.enumerated() {
                if i == 0 || messages[i - 1].role != .assistant { text.append("<|\(message.role.rawValue)|>") }
                if message.role == .assistant {
                    let end = i + 1 < messages.count ? "<|\(messages[i + 1].role.rawValue)|>" : "<|endoftext|>"
                    text.append("\n" + message.content + end, assistant: true)
                } else {
                    text.append("\n" + message.content)
                }
            }
            if addGenerationPrompt { text.append("<|assistant|>") }
        }
        let encoding = encodeWithOffsets(text.string)
        let mask = encoding.offsets.map { range in
            text.assistantSpans.contains { range.lowerBound < $0.upperBound && range.upperBound > $0.lowerBound }
        }
        return ChatEncoding(ids: encoding.ids, assistantMask: mask, text: text.string)
    }

    /// Python's `str.strip()` (Jinja's `trim`): Unicode White_Space and the separators U+001C…U+001F.
    static func pythonStrip(_ s: String) -> String {
        func isSpace(_ c: Unicode.Scalar) -> Bool { c.properties.isWhitespace || (0x1C...0x1F).contains(c.value) }
        let scalars = s.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isSpace($0) })!
        return String(scalars[first...last])
    }
}

/// Text being rendered, with the UTF-8 byte spans of the assistant's parts.
private struct ChatText {
    var string = ""
    var assistantSpans: [Range<Int>] = []

    mutating func append(_ part: String, assistant: Bool = false) {
        let start = string.utf8.count
        string += part
        if assistant, !part.isEmpty { assistantSpans.append(start..<string.utf8.count) }
    }
}
