import JSONSupport
import Testing

@testable import Tokenizers

private func messages(_ value: JSONValue) throws -> [ChatMessage] {
    try #require(value.array).map { m in
        ChatMessage(
            role: try #require(ChatMessage.Role(rawValue: m["role"]?.string ?? "")),
            content: try #require(m["content"]?.string))
    }
}

/// transformers' apply_chat_template with equivalent Jinja templates (scripts/chat_templates.py): same text, same ids,
/// same assistant mask, for ChatML (with and without a default system prompt), Llama-3 and GLM-4.
@Test func rendersLikeTransformers() throws {
    let cases = try #require(try Fixtures.json("chat-cases.json")["cases"]?.array)
    #expect(cases.count == 24)
    for c in cases {
        let format: ChatFormat =
            switch c["format"]?.string {
            case "chatml":
                .chatML(defaultSystemPrompt: "You are a helpful AI assistant named SmolLM, trained by Hugging Face")
            case "chatml-no-default": .chatML(defaultSystemPrompt: nil)
            case "llama3": .llama3
            default: .glm4
            }
        let tokenizer = try Fixtures.tokenizer(try #require(c["tokenizer"]?.string))
        let rendered = try tokenizer.renderChat(
            try messages(try #require(c["messages"])), format: format,
            addGenerationPrompt: c["add_generation_prompt"]?.bool ?? false)
        #expect(rendered.text == c["text"]?.string)
        #expect(rendered.ids == c["ids"]?.array?.compactMap(\.int), "\(format)")
        #expect(
            rendered.assistantMask == c["assistant_mask"]?.array?.compactMap { $0.int.map { $0 == 1 } },
            "\(format) \(rendered.text.debugDescription)")
    }
}

@Test func assistantMaskCoversAnswerAndEndOfTurn() throws {
    let tokenizer = try Fixtures.tokenizer("small-qwen2")
    let chat = try tokenizer.renderChat(
        [.user("Hi"), .assistant("Hello there")], format: .chatML(defaultSystemPrompt: nil))
    let answer = zip(chat.ids, chat.assistantMask).filter(\.1).map(\.0)
    #expect(tokenizer.decode(answer) == "Hello there<|im_end|>")
    #expect(chat.assistantMask.count == chat.ids.count)
    #expect(chat.assistantMask.last == false)  // the newline after <|im_end|>
}

@Test func detectsFormatFromTokensAndTemplates() throws {
    #expect(try Fixtures.tokenizer("small-qwen2").chatFormat == .chatML(defaultSystemPrompt: nil))
    #expect(try Fixtures.tokenizer("small-llama3").chatFormat == .llama3)
    #expect(try Fixtures.tokenizer("small-glm4").chatFormat == .glm4)
    #expect(try Fixtures.tokenizer("gpt2").chatFormat == nil)
    let smol =
        "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\nYou are SmolLM<|im_end|>\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}"
    #expect(ChatFormat(template: smol) == .chatML(defaultSystemPrompt: "You are SmolLM"))
    #expect(ChatFormat(template: "{{ '<|im_start|>' }}") == .chatML(defaultSystemPrompt: nil))
    #expect(ChatFormat(template: "{{ bos_token }}<|start_header_id|>") == .llama3)
    #expect(ChatFormat(template: "[gMASK]<sop>") == .glm4)
    #expect(ChatFormat(template: "{{ messages }}") == nil)
}

@Test func missingFormatOrTokensIsAnError() throws {
    let gpt2 = try Fixtures.tokenizer("gpt2")
    #expect(throws: TokenizerError.self) { try gpt2.renderChat([.user("hi")]) }
    do {
        _ = try gpt2.renderChat([.user("hi")], format: .llama3)
        Issue.record("expected an error")
    } catch let error as TokenizerError {
        #expect(error.description.contains("<|begin_of_text|>"))
    }
}

@Test func llama3TrimsLikePython() {
    #expect(Tokenizer.pythonStrip("  a b \n\t") == "a b")
    #expect(Tokenizer.pythonStrip("\u{1C}\u{3000}x\u{85}") == "x")
    #expect(Tokenizer.pythonStrip(" \n ") == "")
    #expect(Tokenizer.pythonStrip("\u{200B}x") == "\u{200B}x")
}
