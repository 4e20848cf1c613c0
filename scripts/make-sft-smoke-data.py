"""Writes a tiny chat corpus (train.jsonl, eval.jsonl) into the given directory for the SFT smoke run in CI:
answers follow a fixed pattern the model can learn in a few steps."""
import json, os, random, sys

out = sys.argv[1]
random.seed(0)
colors = ["red", "blue", "green", "yellow", "purple", "orange", "black", "white"]
animals = ["cat", "dog", "fox", "owl", "bear", "wolf", "lion", "frog"]

def example():
    c, a = random.choice(colors), random.choice(animals)
    return {"messages": [{"role": "user", "content": f"Describe the {a} in one sentence."},
                         {"role": "assistant", "content": f"The {a} is {c} and very calm. Answer code: {c.upper()}-{a.upper()}."}]}

for name, n in (("train.jsonl", 48), ("eval.jsonl", 12)):
    with open(os.path.join(out, name), "w") as f:
        for _ in range(n):
            f.write(json.dumps(example()) + "\n")
