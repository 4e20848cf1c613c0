/// The chat formats we render, as the model families' own templates write them.
public enum ChatFormat: Sendable, Equatable {
    /// `<|im_start|>role\ncontent<|im_end|>\n` per message (SmolLM2, Qwen2). With a default system prompt, a system
    /// message is put first when the conversation has none (SmolLM2's template does this). The mask covers each
    /// answer and its `<|im_end|>`.
    case chatML(defaultSystemPrompt: String?)
    /// Llama-3: `<|begin_of_text|>` then `<|start_header_id|>role<|end_header_id|>\n\ncontent<|eot_id|>` with
    /// trimmed contents. The mask covers each answer and its `<|eot_id|>`.
    case llama3
    /// GLM-4: `[gMASK]<sop>` then `<|role|>\ncontent`, and `<|assistant|>` as the generation prompt. The model writes
    /// the newline after `<|assistant|>` and ends its turn with the next role token, or `<|endoftext|>` after the
    /// last message (added then), so the mask covers those too, as GLM-4's fine-tuning recipe does.
    case glm4

    /// The special tokens the format writes.
    var requiredTokens: [String] {
        switch self {
        case .chatML: ["<|im_start|>", "<|im_end|>"]
        case .llama3: ["<|begin_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"]
        case .glm4: ["[gMASK]", "<sop>", "<|system|>", "<|user|>", "<|assistant|>", "<|endoftext|>"]
        }
    }

    /// The format a Jinja chat template writes, recognised by its markers; nil if unknown.
    public init?(template: String) {
        if template.contains("<|im_start|>") {
            self = .chatML(defaultSystemPrompt: Self.defaultSystemPrompt(inChatML: template))
        } else if template.contains("<|start_header_id|>") {
            self = .llama3
        } else if template.contains("[gMASK]") || template.contains("<|assistant|>") {
            self = .glm4
        } else {
            return nil
        }
    }

    /// The system prompt a ChatML template inserts when the conversation has none, e.g. SmolLM2's
    /// `{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\nYou are…<|im_end|>\n' }}`.
    static func defaultSystemPrompt(inChatML template: String) -> String? {
        guard template.contains("!= 'system'") || template.contains("!= \"system\"") else { return nil }
        for opener in ["<|im_start|>system\n", "<|im_start|>system\\n"] {
            guard let start = template.range(of: opener),
                let end = template.range(of: "<|im_end|>", range: start.upperBound..<template.endIndex)
            else {
                continue
            }
            let literal = String(template[start.upperBound..<end.lowerBound])
            // Only a plain string literal: a template that builds the prompt from variables has no fixed default.
            guard !literal.contains("{{"), !literal.contains("{%"), !literal.contains("+") else { return nil }
            return unescapeJinja(literal)
        }
        return nil
    }

    private static func unescapeJinja(_ s: String) -> String {
        var out = ""
        var escaping = false
        for c in s {
            if escaping {
                switch c {
                case "n": out.append("\n")
                case "t": out.append("\t")
                default: out.append(c)
                }
                escaping = false
            } else if c == "\\" {
                escaping = true
            } else {
                out.append(c)
            }
        }
        return out
    }
}
