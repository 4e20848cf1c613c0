"""Checks GGUF files written by `rlhf export --gguf` against transformers' GGUF loader (run by hand, not in CI).

For each exported file: transformers loads it (`AutoModelForCausalLM.from_pretrained(dir, gguf_file=…)`), continues
--prompt greedily, and scores the prompt and continuation; `rlhf generate` and `rlhf score` do the same on the file.
Reported: whether both continuations agree, the largest log-prob difference, whether transformers' tokenizer (built
from the file's tokenizer.ggml.* metadata) gives our prompt ids, and — with --source, the GGUF or HF model the file was
exported from — `rlhf`'s continuation and log-probs on the source. With --source set to a .gguf, each Q8_0 tensor is
also compared byte for byte with gguf-py's quantisation of the source tensor (dequantised by gguf-py).

Usage: pip install torch transformers gguf
       python3 scripts/check-gguf-export.py --rlhf .build/release/rlhf [--source ORIGINAL] EXPORT.gguf [EXPORT.gguf …]
Exits non-zero if a continuation differs or a log-prob differs by more than --tolerance (default 1e-3).
"""
import argparse, json, os, subprocess, sys
import numpy as np
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

p = argparse.ArgumentParser()
p.add_argument("--rlhf", default=".build/release/rlhf")
p.add_argument("--prompt", default="The capital of France is")
p.add_argument("--max-new-tokens", type=int, default=12)
p.add_argument("--tolerance", type=float, default=1e-3)
p.add_argument("--source", help="the model the files were exported from (HF directory or .gguf)")
p.add_argument("files", nargs="+")
a = p.parse_args()


def rlhf(args, stdin=None):
    return subprocess.run([a.rlhf] + args, input=stdin, capture_output=True, text=True, check=True).stdout


def ours(model, prompt_ids):
    """`rlhf generate` (greedy) and `rlhf score` of prompt + continuation on `model`."""
    out = json.loads(rlhf(["generate", "--model", model, "--input", "-", "--temperature", "0",
                           "--max-new-tokens", str(a.max_new_tokens)], json.dumps({"ids": prompt_ids})))
    ids = prompt_ids + out["ids"]
    scores = json.loads(rlhf(["score", "--model", model, "--input", "-"], json.dumps({"ids": ids})))
    return out["ids"], out.get("text", ""), scores["token_logprobs"]


def q8_0_bytes_match(export, source):
    """Q8_0 tensors of `export` against gguf-py's Q8_0 of the same tensors of `source` (dequantised by gguf-py)."""
    from gguf import GGUFReader, GGMLQuantizationType
    from gguf.quants import dequantize, quantize
    original = {t.name: t for t in GGUFReader(source).tensors}
    same = total = 0
    for t in GGUFReader(export).tensors:
        if t.tensor_type != GGMLQuantizationType.Q8_0 or t.name not in original:
            continue
        s = original[t.name]
        values = dequantize(s.data, s.tensor_type).astype(np.float32)
        total += 1
        same += bool(np.array_equal(quantize(values, GGMLQuantizationType.Q8_0).reshape(-1), np.asarray(t.data).reshape(-1)))
    return same, total


failed = False
prompt_ids = json.loads(rlhf(["tokenize", "--tokenizer", a.files[0]], json.dumps({"text": a.prompt})))["ids"]
print(f"prompt {a.prompt!r}: ids {prompt_ids}")
if a.source:
    src_ids, src_text, src_lp = ours(a.source, prompt_ids)
    print(f"source {a.source}: rlhf continues {src_text!r} {src_ids}")
for path in a.files:
    directory, name = os.path.split(os.path.abspath(path))
    mine_ids, mine_text, mine_lp = ours(path, prompt_ids)
    model = AutoModelForCausalLM.from_pretrained(directory, gguf_file=name, dtype=torch.float32).eval()
    with torch.no_grad():
        generated = model.generate(torch.tensor([prompt_ids]), max_new_tokens=a.max_new_tokens, do_sample=False,
                                   eos_token_id=None, pad_token_id=0)[0, len(prompt_ids):].tolist()
        ids = prompt_ids + mine_ids
        logits = model(torch.tensor([ids])).logits[0, :-1].float()
    ref = torch.log_softmax(logits, -1).gather(-1, torch.tensor(ids[1:])[:, None])[:, 0]
    worst = (ref - torch.tensor(mine_lp)).abs().max().item()
    tokenizer = AutoTokenizer.from_pretrained(directory, gguf_file=name)
    hf_prompt = tokenizer(a.prompt, add_special_tokens=False)["input_ids"]
    same = generated == mine_ids and worst <= a.tolerance
    failed |= not same
    print(f"{path}:")
    print(f"  transformers continues {tokenizer.decode(generated)!r} {generated}")
    print(f"  rlhf continues         {mine_text!r} {mine_ids}")
    print(f"  max |Δ log p| (transformers vs rlhf, same file) = {worst:.2e}; "
          f"{'same continuation' if generated == mine_ids else 'DIFFERENT continuation'}: {'ok' if same else 'FAIL'}")
    print(f"  transformers' tokenizer from the file: prompt ids {'match' if hf_prompt == prompt_ids else f'differ: {hf_prompt}'}")
    if a.source:
        drift = max(abs(x - y) for x, y in zip(mine_lp, src_lp[: len(mine_lp)])) if mine_ids == src_ids else float("nan")
        print(f"  vs the source: {'same' if mine_ids == src_ids else 'different'} continuation; "
              f"max |Δ log p| = {drift:.2e}")
        if a.source.endswith(".gguf"):
            same_q8, total_q8 = q8_0_bytes_match(path, a.source)
            if total_q8:
                print(f"  Q8_0 tensors byte-identical to gguf-py's quantisation of the source: {same_q8}/{total_q8}")
sys.exit(1 if failed else 0)
