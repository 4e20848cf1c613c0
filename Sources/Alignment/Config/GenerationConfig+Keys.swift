import LanguageModels

extension GenerationConfig {
    /// The sampling settings a trainer's config file may set (maxNewTokens, temperature, topK, topP), for embedding
    /// in its key list. End tokens and the seed are the trainer's to choose at each rollout.
    public static let samplingKeys: [ConfigKey<GenerationConfig>] = [
        ConfigKey("maxNewTokens", \.maxNewTokens, help: "most new tokens per sampled answer"),
        ConfigKey("temperature", \.temperature, help: "sampling temperature"),
        ConfigKey("topK", \.topK, help: "top-k truncation of sampling (0: off)"),
        ConfigKey("topP", \.topP, help: "nucleus truncation of sampling (1: off)"),
    ]
}
