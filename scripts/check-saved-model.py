"""Checks that a model directory written by swift-rlhf (e.g. an `rlhf sft` checkpoint's `model/`) loads in
transformers with the same token log-probabilities as `rlhf score` gives.

Usage: pip install torch transformers && python3 scripts/check-saved-model.py --rlhf .build/release/rlhf DIR [DIR …]
Exits non-zero if any difference exceeds --tolerance (default 1e-4).
"""
import argparse, json, subprocess, sys
import torch
from transformers import AutoConfig, AutoModelForCausalLM

p = argparse.ArgumentParser()
p.add_argument("--rlhf", default=".build/release/rlhf")
p.add_argument("--tolerance", type=float, default=1e-4)
p.add_argument("dirs", nargs="+")
a = p.parse_args()
failed = False
for d in a.dirs:
    vocab = AutoConfig.from_pretrained(d).vocab_size
    g = torch.Generator().manual_seed(0)
    rows = [torch.randint(0, vocab, (n,), generator=g).tolist() for n in (7, 16, 3)]
    out = subprocess.run([a.rlhf, "score", "--model", d, "--input", "-"], input="\n".join(json.dumps({"ids": r}) for r in rows),
                         capture_output=True, text=True, check=True).stdout
    ours = [json.loads(line)["token_logprobs"] for line in out.splitlines()]
    model = AutoModelForCausalLM.from_pretrained(d, dtype=torch.float32).eval()
    worst = 0.0
    for ids, mine in zip(rows, ours):
        with torch.no_grad():
            logits = model(torch.tensor([ids])).logits[0, :-1]
        ref = torch.log_softmax(logits, -1).gather(-1, torch.tensor(ids[1:])[:, None])[:, 0]
        worst = max(worst, (ref - torch.tensor(mine)).abs().max().item())
    ok = worst <= a.tolerance
    failed |= not ok
    print(f"{d}: max |Δ log p| = {worst:.2e} {'ok' if ok else 'FAIL'}")
sys.exit(1 if failed else 0)
