#!/usr/bin/env python3
"""Differential test: encodes thousands of edge-case and random Unicode strings with `rlhf tokenize` and with Hugging
Face `tokenizers`, and checks ids and decoded text are identical, for GPT-2 (both formats), the small fixture
tokenizers of every family and, when RLHF_SMOLLM2_GGUF is set, the SmolLM2 GGUF.

For the GGUF the reference is the tokenizer transformers builds from the file, with SmolLM2's own pre-tokenizer
(Digits(individual_digits) then ByteLevel, which is what `tokenizer.ggml.pre = "smollm"` names; transformers' GGUF
converter leaves the digit step out, which only changes ids for whitespace before a digit).

    swift build -c release && python3 scripts/compare-with-hf.py [--count 5000] [--rlhf .build/release/rlhf]
"""
import argparse, json, os, subprocess, sys, tempfile
from tokenizers import Tokenizer, pre_tokenizers

sys.path.insert(0, os.path.dirname(__file__))
from tokenizer_cases import cases  # noqa: E402

root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
fixtures = os.path.join(root, "Tests", "TokenizersTests", "Fixtures")
p = argparse.ArgumentParser()
p.add_argument("--count", type=int, default=5000)
p.add_argument("--seed", type=int, default=1234)
p.add_argument("--rlhf", default=os.path.join(root, ".build", "release", "rlhf"))
a = p.parse_args()

targets = [("gpt2 vocab.json+merges.txt", os.path.join(fixtures, "gpt2"), Tokenizer.from_file(os.path.join(fixtures, "gpt2", "tokenizer.json"))),
           ("gpt2 tokenizer.json", os.path.join(fixtures, "gpt2", "tokenizer.json"), None)]
targets[1] = (targets[1][0], targets[1][1], targets[0][2])
for name in ["small-llama3", "small-qwen2", "small-smollm", "small-glm4", "small-prefix-space"]:
    path = os.path.join(fixtures, name, "tokenizer.json")
    targets.append((name, path, Tokenizer.from_file(path)))
gguf = os.environ.get("RLHF_SMOLLM2_GGUF")
if gguf:
    from transformers import AutoTokenizer
    hf = AutoTokenizer.from_pretrained(os.path.dirname(gguf), gguf_file=os.path.basename(gguf)).backend_tokenizer
    hf.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.Digits(individual_digits=True),
                                                pre_tokenizers.ByteLevel(add_prefix_space=False)])
    targets.append(("SmolLM2 GGUF", gguf, hf))
else:
    print("RLHF_SMOLLM2_GGUF not set: skipping the SmolLM2 GGUF (scripts/fetch-smollm2.sh prints its path)")

specials = ("<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|eot_id|>", "<mask>", "[SEP]", "@@", "zzz", "[gMASK]")
texts = cases(a.count, seed=a.seed, specials=specials)
failed = 0
with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
    for t in texts:
        f.write(json.dumps({"text": t}) + "\n")
    jsonl = f.name
for name, path, hf in targets:
    with open(jsonl, encoding="utf-8") as stdin:
        r = subprocess.run([a.rlhf, "tokenize", "--tokenizer", path], stdin=stdin, capture_output=True, text=True)
    if r.returncode != 0:
        print(f"{name}: rlhf failed: {r.stderr.strip()}")
        failed += 1
        continue
    ours = [json.loads(line)["ids"] for line in r.stdout.split("\n")[:-1]]
    theirs = [e.ids for e in hf.encode_batch(texts, add_special_tokens=False)]
    bad = [i for i in range(len(texts)) if ours[i] != theirs[i]]
    decode_input = "".join(json.dumps({"ids": ids}) + "\n" for ids in theirs)
    r = subprocess.run([a.rlhf, "detokenize", "--tokenizer", path], input=decode_input, capture_output=True, text=True)
    decoded = [json.loads(line)["text"] for line in r.stdout.split("\n")[:-1]]
    bad_decode = [i for i in range(len(texts)) if decoded[i] != hf.decode(theirs[i], skip_special_tokens=False)]
    print(f"{name}: {len(texts) - len(bad)}/{len(texts)} encodings identical, {len(texts) - len(bad_decode)}/{len(texts)} decodings identical")
    for i in bad[:5]:
        print(f"  {texts[i]!r}\n    rlhf {ours[i]}\n    HF   {theirs[i]}")
    for i in bad_decode[:5]:
        print(f"  decode {theirs[i]}: rlhf {decoded[i]!r} HF {hf.decode(theirs[i], skip_special_tokens=False)!r}")
    failed += bool(bad or bad_decode)
os.unlink(jsonl)
print("all identical" if not failed else f"{failed} tokenizer(s) differ")
sys.exit(1 if failed else 0)
