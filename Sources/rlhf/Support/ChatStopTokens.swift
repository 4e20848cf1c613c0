import Tokenizers

/// The tokens that end a chat answer in the chat formats we render (ChatML, Llama 3, GLM), which a chat model's
/// generation must stop on besides its EOS.
func chatStopTokenIDs(_ tokenizer: Tokenizer) -> [Int] {
    ["<|im_end|>", "<|eot_id|>", "<|user|>", "<|endoftext|>"].compactMap { tokenizer.id(forToken: $0) }
}
