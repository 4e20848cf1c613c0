/// A module's name within its parent, in both checkpoint formats we read: Hugging Face's (`self_attn`, `q_proj`) and
/// llama.cpp's GGUF (`attn_q`).
///
/// GGUF names are flatter: a module whose GGUF name is empty adds nothing to the path (`self_attn`), and a module
/// without one cannot be read from GGUF (GPT-2's layout).
public struct WeightKey: Sendable, Equatable, ExpressibleByStringLiteral {
    /// The Hugging Face name.
    public let huggingFace: String
    /// The GGUF name: "" adds nothing to the path, nil means GGUF has no such tensor.
    public let gguf: String?

    /// A key with both names.
    public init(_ huggingFace: String, gguf: String?) {
        self.huggingFace = huggingFace
        self.gguf = gguf
    }

    /// A key without a GGUF name.
    public init(stringLiteral value: String) {
        self.init(value, gguf: nil)
    }
}
