"""Writes a tiny preference set (train.jsonl, eval.jsonl, pairs format) into the given directory for the reward-model
smoke run: the preferred answer names the animal's colour code, the rejected one does not; lengths vary either way."""
import json, os, random, sys

out = sys.argv[1]
random.seed(0)
colors = ["red", "blue", "green", "yellow", "purple", "orange", "black", "white"]
animals = ["cat", "dog", "fox", "owl", "bear", "wolf", "lion", "frog"]
fillers = ["It is a lovely animal.", "Many people like it.", "It lives in many places.", ""]


def pair():
    c, a = random.choice(colors), random.choice(animals)
    good = f"The {a} is {c}. Answer code: {c.upper()}-{a.upper()}. {random.choice(fillers)}".strip()
    bad = f"The {a} is an animal. {random.choice(fillers)}".strip()
    category = "writing" if a in animals[:4] else "other"
    return {"prompt": f"Describe the {a} in one sentence.", "chosen": good, "rejected": bad, "category": category}


for name, n in (("train.jsonl", 64), ("eval.jsonl", 16)):
    with open(os.path.join(out, name), "w") as f:
        for _ in range(n):
            f.write(json.dumps(pair()) + "\n")
