extension Tokenizer {
    /// The tokens that end a chat answer in the chat formats we render (ChatML, Llama 3, GLM) and the end of text,
    /// which a chat model's generation must stop on besides its EOS. Only those this tokenizer has.
    public var chatStopTokenIDs: [Int] {
        ["<|im_end|>", "<|eot_id|>", "<|user|>", "<|endoftext|>"].compactMap { id(forToken: $0) }
    }
}
