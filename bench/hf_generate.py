"""transformers' greedy `generate` tokens/s on a GGUF or HF checkpoint, measured like `rlhf bench generate --model`.

Usage: python bench/hf_generate.py MODEL [--batch 8] [--prompt-tokens 64] [--new-tokens 64] [--repeats 3]
MODEL is an HF directory or a .gguf file (transformers dequantises GGUF weights to float32, as rlhf does).
Prints one JSON line per run: {"bench":"hf_generate","batch":…,"tokens_per_s":…} (median of --repeats, incl. prefill).
"""
import argparse, json, os, statistics, time
import torch
from transformers import AutoModelForCausalLM

p = argparse.ArgumentParser()
p.add_argument("model")
p.add_argument("--batch", type=int, default=8)
p.add_argument("--prompt-tokens", type=int, default=64)
p.add_argument("--new-tokens", type=int, default=64)
p.add_argument("--repeats", type=int, default=3)
a = p.parse_args()
if a.model.endswith(".gguf"):
    model = AutoModelForCausalLM.from_pretrained(os.path.dirname(os.path.abspath(a.model)),
                                                 gguf_file=os.path.basename(a.model), torch_dtype=torch.float32)
else:
    model = AutoModelForCausalLM.from_pretrained(a.model, torch_dtype=torch.float32)
model.eval()
g = torch.Generator().manual_seed(2)
ids = torch.randint(0, model.config.vocab_size, (a.batch, a.prompt_tokens), generator=g)
mask = torch.ones_like(ids)

def run():
    with torch.no_grad():
        out = model.generate(ids, attention_mask=mask, do_sample=False, max_new_tokens=a.new_tokens,
                             min_new_tokens=a.new_tokens, pad_token_id=0, use_cache=True)
    assert out.shape[1] == a.prompt_tokens + a.new_tokens

run()
times = []
for _ in range(a.repeats):
    t = time.perf_counter(); run(); times.append(time.perf_counter() - t)
print(json.dumps({"bench": "hf_generate", "batch": a.batch, "threads": torch.get_num_threads(),
                  "tokens_per_s": round(a.batch * a.new_tokens / statistics.median(times), 3)}))
