#!/usr/bin/env bash
# Reward-model smoke run of the command line: train a few steps from SmolLM2 on a tiny preference set, evaluate it
# (table and JSON), score a line. Usage: scripts/rm-smoke.sh [path/to/rlhf] [model]
set -euo pipefail
cd "$(dirname "$0")/.."
rlhf="${1:-.build/release/rlhf}"
model="${2:-${RLHF_SMOLLM2_GGUF:-$(scripts/fetch-smollm2.sh)}}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 scripts/make-rm-smoke-data.py "$work"
"$rlhf" rm train --model "$model" --train "$work/train.jsonl" --eval "$work/eval.jsonl" --output "$work/rm" \
    --steps 6 --batch-size 4 --learning-rate 2e-5 --warmup-steps 1 --eval-every 3 --save-every 3 --no-balance-lengths
"$rlhf" rm eval --model "$work/rm/model" --pairs "$work/eval.jsonl" --output "$work/eval.json"
echo '{"prompt": "Describe the fox in one sentence.", "response": "The fox is red. Answer code: RED-FOX."}' \
    | "$rlhf" rm score --model "$work/rm/model" --input - | tee "$work/score.jsonl"
python3 - "$work/rm/metrics.jsonl" "$work/eval.json" "$work/score.jsonl" <<'PY'
import json, sys
metrics = [json.loads(l) for l in open(sys.argv[1])]
report = json.load(open(sys.argv[2]))
score = json.loads(open(sys.argv[3]).readline())["score"]
evals = [m["eval_accuracy"] for m in metrics if "eval_accuracy" in m]
print(f"RM smoke: {len(metrics)} steps, eval accuracy {evals}, final accuracy {report['accuracy']:.3f}, "
      f"|pearson(score, length)| {abs(report.get('length_pearson', 0)):.3f}, score of one line {score:.3f}")
assert len(metrics) == 6 and report["pairs"] == 16 and isinstance(score, float)
PY
