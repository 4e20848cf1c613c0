/// The checkpoint names of every layer of a family, Hugging Face's and GGUF's side by side: the one place a weight's
/// name is written. Modules take their keys from here; loading, saving, GGUF reading and parameter paths follow.
struct WeightNames {
    /// The decoder inside the causal LM (`model`, GPT-2's `transformer`).
    let decoder: WeightKey
    let tokenEmbedding: WeightKey
    /// Learned positions (GPT-2 only).
    let positionEmbedding: WeightKey?
    let layers: WeightKey
    let finalNorm: WeightKey
    let lmHead: WeightKey

    let inputNorm: WeightKey
    let postAttentionNorm: WeightKey
    /// GLM-4's norms on the attention and MLP outputs.
    let postSelfAttentionNorm: WeightKey
    let postMLPNorm: WeightKey

    let attention: WeightKey
    let query: WeightKey, key: WeightKey, value: WeightKey
    /// GPT-2's fused query/key/value projection.
    let fusedQKV: WeightKey
    let output: WeightKey
    /// Qwen3's per-head norms on queries and keys.
    let queryNorm: WeightKey, keyNorm: WeightKey

    let mlp: WeightKey
    let gate: WeightKey, up: WeightKey, down: WeightKey
    /// GLM-4's fused gate and up projection.
    let gateUp: WeightKey

    /// The names of `family`.
    static func of(_ family: ModelFamily) -> WeightNames {
        family == .gpt2 ? gpt2 : llama
    }

    /// GPT-2 (no GGUF layout: llama.cpp's GPT-2 files are not read).
    static let gpt2 = WeightNames(
        decoder: "transformer", tokenEmbedding: "wte", positionEmbedding: "wpe", layers: "h", finalNorm: "ln_f",
        lmHead: "lm_head", inputNorm: "ln_1", postAttentionNorm: "ln_2",
        postSelfAttentionNorm: "post_self_attn_layernorm",
        postMLPNorm: "post_mlp_layernorm", attention: "attn", query: "q_proj", key: "k_proj", value: "v_proj",
        fusedQKV: "c_attn", output: "c_proj", queryNorm: "q_norm", keyNorm: "k_norm", mlp: "mlp", gate: "gate_proj",
        up: "c_fc", down: "c_proj", gateUp: "gate_up_proj")

    /// Llama and its relatives (Qwen2, Qwen3, GLM-4), with llama.cpp's names.
    static let llama = WeightNames(
        decoder: WeightKey("model", gguf: ""), tokenEmbedding: WeightKey("embed_tokens", gguf: "token_embd"),
        positionEmbedding: nil, layers: WeightKey("layers", gguf: "blk"),
        finalNorm: WeightKey("norm", gguf: "output_norm"),
        lmHead: WeightKey("lm_head", gguf: "output"),
        inputNorm: WeightKey("input_layernorm", gguf: "attn_norm"),
        postAttentionNorm: WeightKey("post_attention_layernorm", gguf: "ffn_norm"),
        postSelfAttentionNorm: WeightKey("post_self_attn_layernorm", gguf: "post_attention_norm"),
        postMLPNorm: WeightKey("post_mlp_layernorm", gguf: "post_ffw_norm"),
        attention: WeightKey("self_attn", gguf: ""), query: WeightKey("q_proj", gguf: "attn_q"),
        key: WeightKey("k_proj", gguf: "attn_k"), value: WeightKey("v_proj", gguf: "attn_v"),
        fusedQKV: WeightKey("qkv_proj", gguf: "attn_qkv"), output: WeightKey("o_proj", gguf: "attn_output"),
        queryNorm: WeightKey("q_norm", gguf: "attn_q_norm"), keyNorm: WeightKey("k_norm", gguf: "attn_k_norm"),
        mlp: WeightKey("mlp", gguf: ""), gate: WeightKey("gate_proj", gguf: "ffn_gate"),
        up: WeightKey("up_proj", gguf: "ffn_up"),
        down: WeightKey("down_proj", gguf: "ffn_down"), gateUp: WeightKey("gate_up_proj", gguf: "ffn_up"))
}
