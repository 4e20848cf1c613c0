#!/usr/bin/env python3
"""Trains byte-level BPE tokenizers with `rlhf tokenize train` (every pre-tokenization), loads each saved
tokenizer.json in Hugging Face `tokenizers`, and checks both encode held-out text and random Unicode strings to the
same ids (and decode them to the same text). Also checks that training twice gives the same file.

    swift build -c release && python3 scripts/check-trained-tokenizer.py [--rlhf .build/release/rlhf]
"""
import argparse, filecmp, json, os, subprocess, sys, tempfile
from tokenizers import Tokenizer

sys.path.insert(0, os.path.dirname(__file__))
from tokenizer_cases import cases  # noqa: E402

root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
p = argparse.ArgumentParser()
p.add_argument("--rlhf", default=os.path.join(root, ".build", "release", "rlhf"))
p.add_argument("--vocab-size", type=int, default=8000)
p.add_argument("--megabytes", type=int, default=4)
a = p.parse_args()

work = tempfile.mkdtemp(prefix="trained-tokenizer-")
corpus = os.path.join(work, "corpus.jsonl")
# The benchmark's generated corpus: English and Chinese prose and code.
subprocess.run([a.rlhf, "bench", "tokenize", "--json", "--repeats", "1", "--megabytes", str(a.megabytes),
                "--write-corpus", corpus], check=True, capture_output=True)
documents = [json.loads(line)["text"] for line in open(corpus, encoding="utf-8")]
train_path, held_out = os.path.join(work, "train.jsonl"), documents[-200:]
with open(train_path, "w", encoding="utf-8") as f:
    for d in documents[:-200]:
        f.write(json.dumps({"text": d}) + "\n")
specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
texts = held_out + cases(3000, seed=7, specials=tuple(specials))

failures = 0
for pre in ["gpt2", "llama3", "qwen2", "smollm"]:
    out = [os.path.join(work, f"{pre}-{i}.json") for i in range(2)]
    for path in out:
        cmd = [a.rlhf, "tokenize", "train", "--input", train_path, "--vocab-size", str(a.vocab_size),
               "--pre-tokenization", pre, "--seed", "1", "--output", path]
        for s in specials:
            cmd += ["--special-token", s]
        subprocess.run(cmd, check=True, capture_output=True)
    deterministic = filecmp.cmp(out[0], out[1], shallow=False)
    hf = Tokenizer.from_file(out[0])
    r = subprocess.run([a.rlhf, "tokenize", "--tokenizer", out[0]], capture_output=True, text=True,
                       input="".join(json.dumps({"text": t}) + "\n" for t in texts))
    if r.returncode:
        print(f"{pre}: rlhf tokenize failed: {r.stderr.strip()}")
        failures += 1
        continue
    ours = [json.loads(line)["ids"] for line in r.stdout.split("\n")[:-1]]
    theirs = [e.ids for e in hf.encode_batch(texts, add_special_tokens=False)]
    same = sum(o == t for o, t in zip(ours, theirs))
    roundtrip = sum(hf.decode(t, skip_special_tokens=False) == x for t, x in zip(theirs, texts))
    tokens = sum(len(t) for t in theirs[:200])
    print(f"{pre}: vocabulary {hf.get_vocab_size()}, {same}/{len(texts)} texts encode to identical ids in HF and rlhf, "
          f"{roundtrip}/{len(texts)} decode back exactly in HF, {sum(len(x.encode()) for x in held_out) / tokens:.2f} "
          f"bytes/token on held-out text, trained twice -> identical file: {deterministic}")
    for o, t, x in [(o, t, x) for o, t, x in zip(ours, theirs, texts) if o != t][:3]:
        print(f"  {x!r}\n    rlhf {o}\n    HF   {t}")
    failures += (same != len(texts)) + (not deterministic)
print("all identical" if not failures else f"{failures} problem(s)")
sys.exit(1 if failures else 0)
