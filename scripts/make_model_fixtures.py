"""Makes the tiny Qwen2, GLM-4 and Qwen3 reference checkpoints in Tests/LanguageModelsTests/Fixtures (the GPT-2 and Llama
ones come from ../shared/fixtures): random weights saved by transformers, plus `expected.safetensors` with
`input_ids` [2, 9], `logits` [2, 9, vocab], `token_logprobs` [2, 8], `greedy_prompt` [2, 5], `greedy_output` [2, 13].
Also a BF16 copy of the Qwen2 checkpoint, to test half-precision loading.

Usage: pip install torch transformers safetensors && python3 scripts/make_model_fixtures.py [NAME ...]
(NAME: a fixture to remake, e.g. qwen3-tiny; default all. Each fixture draws from its own seed, so remaking one leaves
the others as they are.)
"""
import os, sys, zlib, torch
from safetensors.torch import save_file
from transformers import Qwen2Config, Qwen2ForCausalLM, Glm4Config, Glm4ForCausalLM, Qwen3Config, Qwen3ForCausalLM

out = os.path.join(os.path.dirname(__file__), "..", "Tests", "LanguageModelsTests", "Fixtures")
wanted = set(sys.argv[1:])

def make(name, build, vocab, dtype=None):
    if wanted and name not in wanted:
        return
    torch.manual_seed(zlib.crc32(name.encode()))
    model = build()
    cls = type(model)
    d = os.path.join(out, name)
    model.eval()
    # Larger-than-default weights so the logits are far from uniform and the test is sensitive.
    with torch.no_grad():
        for n, p in model.named_parameters():
            if p.dim() > 1: p.normal_(0, 0.2)
            else: p.normal_(1 if "norm" in n else 0, 0.1)
    if dtype is not None:
        model = model.to(dtype).to(torch.float32)  # values representable in the half type
    model.save_pretrained(d, safe_serialization=True)
    if dtype is not None:
        model.to(dtype).save_pretrained(d, safe_serialization=True)
    # Expected values come from the checkpoint as saved, loaded fresh in float32 (so buffers such as RoPE's inverse
    # frequencies are recomputed in float32, not rounded through the half type).
    model = cls.from_pretrained(d, dtype=torch.float32).eval()
    ids = torch.randint(0, vocab, (2, 9))
    with torch.no_grad():
        logits = model(ids).logits
        lp = torch.log_softmax(logits[:, :-1], -1).gather(-1, ids[:, 1:, None])[..., 0]
        prompt = torch.randint(0, vocab, (2, 5))
        greedy = model.generate(prompt, max_new_tokens=8, do_sample=False, attention_mask=torch.ones_like(prompt))
    save_file({"input_ids": ids, "logits": logits.contiguous(), "token_logprobs": lp.contiguous(),
               "greedy_prompt": prompt, "greedy_output": greedy}, os.path.join(d, "expected.safetensors"))
    print("wrote", d)

qwen = dict(vocab_size=89, hidden_size=32, intermediate_size=48, num_hidden_layers=2, num_attention_heads=4,
            num_key_value_heads=2, max_position_embeddings=64, rope_theta=1000.0, tie_word_embeddings=False,
            bos_token_id=1, eos_token_id=2)
make("qwen2-tiny", lambda: Qwen2ForCausalLM(Qwen2Config(**qwen)), 89)
make("qwen2-tiny-bf16", lambda: Qwen2ForCausalLM(Qwen2Config(**{**qwen, "tie_word_embeddings": True})), 89, dtype=torch.bfloat16)
glm = dict(vocab_size=83, hidden_size=32, intermediate_size=40, num_hidden_layers=2, num_attention_heads=4,
           num_key_value_heads=2, head_dim=8, max_position_embeddings=64, partial_rotary_factor=0.5,
           attention_bias=True, tie_word_embeddings=False, bos_token_id=1, eos_token_id=[2, 3], pad_token_id=0)
make("glm4-tiny", lambda: Glm4ForCausalLM(Glm4Config(**glm)), 83)
# Qwen3: per-head RMSNorm on queries and keys before RoPE, no q/k/v bias, head_dim independent of the width.
qwen3 = dict(vocab_size=97, hidden_size=32, intermediate_size=48, num_hidden_layers=2, num_attention_heads=4,
             num_key_value_heads=2, head_dim=16, max_position_embeddings=64, rope_theta=1000.0,
             tie_word_embeddings=True, bos_token_id=1, eos_token_id=2)
make("qwen3-tiny", lambda: Qwen3ForCausalLM(Qwen3Config(**qwen3)), 97)
