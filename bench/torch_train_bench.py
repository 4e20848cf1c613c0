"""PyTorch CPU reference for `rlhf bench train --model`: one language-model training step of a real checkpoint
(SmolLM2-135M-Instruct by default), full f32 fine-tuning, measured like ours (median of --repeats timed steps after
one warm-up step) and printed as one JSON line.

A step: --batch rows of --ctx random token ids (inputs are the first ctx − 1, targets the last ctx − 1), the model's
logits, mean cross-entropy, backward, AdamW (lr 1e-4, PyTorch's defaults otherwise) over every weight. Ours does the
same (Sources/rlhf/Bench/TrainBench.swift). tokens_per_s counts batch × (ctx − 1) tokens per step.

The weights: the Hugging Face hub is not reachable here, so the model is our own GGUF ($RLHF_SMOLLM2_GGUF)
de-quantized to f32 once into --cache-dir by bench/smollm2_f32.py (shared with bench/trl_ppo_bench.py; the
conversion is not timed). --hf-dir takes a Hugging Face checkout instead. Attention is transformers' default on CPU
(scaled_dot_product_attention).

Usage:
  python bench/torch_train_bench.py [--gguf $RLHF_SMOLLM2_GGUF] [--batch 16 --ctx 100 --repeats 5 --threads 2]
  .build/release/rlhf bench train --model $RLHF_SMOLLM2_GGUF --batch 16 --ctx 100 --repeats 5 --json
"""
import argparse, json, os, platform, resource, statistics, tempfile, time, warnings

p = argparse.ArgumentParser()
p.add_argument("--gguf", default=os.environ.get("RLHF_SMOLLM2_GGUF", ".cache/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"))
p.add_argument("--hf-dir", default=None, help="a Hugging Face checkout instead of the GGUF")
p.add_argument("--cache-dir", default=os.path.join(tempfile.gettempdir(), "trl_ppo_bench_smollm2"))
p.add_argument("--batch", type=int, default=16); p.add_argument("--ctx", type=int, default=100)
p.add_argument("--repeats", type=int, default=5); p.add_argument("--threads", type=int, default=2)
p.add_argument("--seed", type=int, default=0)
a = p.parse_args()
# Threads that sleep at barriers instead of spinning, as in trl_ppo_bench.py (this machine is often shared).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
warnings.filterwarnings("ignore")
import torch
import torch.nn.functional as F
torch.set_num_threads(a.threads)
from transformers import AutoModelForCausalLM
from transformers.utils import logging as hf_logging
hf_logging.set_verbosity_error(); hf_logging.disable_progress_bar()
from smollm2_f32 import f32_checkpoint


torch.manual_seed(a.seed)
directory, source = f32_checkpoint(a.gguf, a.hf_dir, a.cache_dir)
model = AutoModelForCausalLM.from_pretrained(directory, dtype=torch.float32)
model.train()
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
data = torch.randint(0, model.config.vocab_size, (a.batch, a.ctx))
inputs, targets = data[:, :-1], data[:, 1:]


def step():
    optimizer.zero_grad(set_to_none=True)
    logits = model(input_ids=inputs, use_cache=False).logits
    F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1)).backward()
    optimizer.step()


step()
times = []
for _ in range(a.repeats):
    started = time.perf_counter(); step(); times.append(time.perf_counter() - started)
seconds = statistics.median(times)
print(json.dumps({
    "bench": "train", "impl": "pytorch", "model": source, "batch": a.batch, "ctx": a.ctx,
    "tokens_per_s": a.batch * (a.ctx - 1) / seconds, "step_ms": seconds * 1000,
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "threads": a.threads,
    "torch": torch.__version__, "cpu": platform.processor() or platform.machine(),
}))
