#!/usr/bin/env bash
# Checks by hand (not in CI: it needs torch, transformers and peft from pip) that PEFT reads our LoRA adapters: a few
# LoRA SFT steps on SmolLM2-135M-Instruct with `rlhf sft`, then the same token log-probabilities from `rlhf score` and
# from transformers + PeftModel.from_pretrained on the saved base and adapter (≤ 1e-4), and that PEFT's
# merge_and_unload gives them too.
#
# Usage: scripts/check-peft-roundtrip.sh [path/to/rlhf]   (default .build/release/rlhf)
set -euo pipefail
cd "$(dirname "$0")/.."
rlhf="${1:-.build/release/rlhf}"
gguf="${RLHF_SMOLLM2_GGUF:-$(scripts/fetch-smollm2.sh)}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 scripts/make-sft-smoke-data.py "$work"
"$rlhf" sft --model "$gguf" --train "$work/train.jsonl" --output "$work/run" --steps 4 --batch-size 4 \
    --learning-rate 2e-3 --warmup-steps 1 --save-every 4 --lora-rank 8 --lora-alpha 16 --frozen-weights f32 \
    --log-every 0 > /dev/null
model="$work/run/checkpoint-4/model"
ls "$model"/adapter_config.json "$model"/adapter_model.safetensors > /dev/null

python3 - "$model" "$work/ids.jsonl" <<'PY'
import json, random, sys
random.seed(1)
with open(sys.argv[2], "w") as f:
    for n in (12, 30):
        f.write(json.dumps({"ids": [random.randrange(49152) for _ in range(n)]}) + "\n")
PY
"$rlhf" score --model "$model" --input "$work/ids.jsonl" > "$work/ours.jsonl"

python3 - "$model" "$work" <<'PY'
import json, os, shutil, sys, torch
from transformers import AutoModelForCausalLM
from peft import PeftModel

model_dir, work = sys.argv[1], sys.argv[2]
# The base alone (a folder with adapter files would make transformers load the adapter itself).
base_dir = os.path.join(work, "base")
os.makedirs(base_dir)
for name in ("config.json", "model.safetensors"):
    shutil.copy(os.path.join(model_dir, name), base_dir)
base = AutoModelForCausalLM.from_pretrained(base_dir, dtype=torch.float32).eval()
rows = [json.loads(l)["ids"] for l in open(os.path.join(work, "ids.jsonl"))]
ours = [json.loads(l)["token_logprobs"] for l in open(os.path.join(work, "ours.jsonl"))]

def logprobs(model, ids):
    with torch.no_grad():
        x = torch.tensor([ids])
        lp = torch.log_softmax(model(x).logits[0, :-1].double(), -1)
        return lp.gather(-1, x[0, 1:, None])[:, 0].tolist()

base_lp = [logprobs(base, r) for r in rows]
peft = PeftModel.from_pretrained(base, model_dir).eval()
peft_lp = [logprobs(peft, r) for r in rows]
merged = peft.merge_and_unload()
merged_lp = [logprobs(merged, r) for r in rows]

def worst(a, b):
    return max(abs(x - y) / max(1.0, abs(y)) for ra, rb in zip(a, b) for x, y in zip(ra, rb))

print(f"adapter effect (base vs PEFT):      {worst(base_lp, peft_lp):.3e}")
print(f"ours vs PEFT (relative, floor 1):   {worst(ours, peft_lp):.3e}")
print(f"ours vs PEFT merged:                {worst(ours, merged_lp):.3e}")
assert worst(base_lp, peft_lp) > 1e-3, "the adapter changes nothing: the check would prove nothing"
assert worst(ours, peft_lp) <= 1e-4 and worst(ours, merged_lp) <= 1e-4
print("PEFT reads our adapter: same log-probs")
PY
