/// How frozen weights (a LoRA base, a reference, a reward model) are kept in memory.
public enum FrozenWeightPrecision: String, Sendable, Codable, CaseIterable {
    /// bfloat16: half the memory of f32 and half the bytes streamed per decoding step; products accumulate in f32.
    case bf16
    /// float32, as trained.
    case f32
}
