#!/usr/bin/env python3
"""Checks that a quickstart run directory holds a complete, well-formed report (CI runs it after `rlhf quickstart --fast`).

Usage: check-quickstart-report.py RUN_DIR [--ablations]
"""
import json
import math
import sys


def fail(message):
    print(f"quickstart report: {message}", file=sys.stderr)
    sys.exit(1)


def rate(value, where):
    if not isinstance(value, (int, float)) or not 0 <= value <= 1:
        fail(f"{where} is {value!r}, not a rate in [0, 1]")
    return value


def main():
    run_dir = sys.argv[1]
    want_ablations = "--ablations" in sys.argv[2:]
    report = json.load(open(f"{run_dir}/report.json"))
    categories = report["task"]["categories"]
    if sorted(categories) != ["arithmetic", "open_qa", "role_play", "safety", "writing"]:
        fail(f"unexpected categories {categories}")
    for policy in ("sft", "ppo", "dpo"):
        info = report[policy]
        total = sum(rate(info[k], f"{policy}.{k}") for k in ("win", "tie", "loss"))
        if abs(total - 1) > 1e-9:
            fail(f"{policy}: win + tie + loss = {total}")
        if abs(info["win_minus_loss"] - 100 * (info["win"] - info["loss"])) > 1e-6:
            fail(f"{policy}: win_minus_loss disagrees with win and loss")
        if sorted(info["per_category"]) != sorted(categories):
            fail(f"{policy}: per-category results for {sorted(info['per_category'])}")
        for category, outcome in info["per_category"].items():
            for k in ("win", "tie", "loss"):
                rate(outcome[k], f"{policy}.per_category.{category}.{k}")
        for k in ("oracle_score", "helpfulness", "harmlessness", "fluency"):
            rate(info[k], f"{policy}.{k}")
        if not info["mean_length"] > 0:
            fail(f"{policy}: mean length {info['mean_length']}")
    for policy, keys in (("ppo", ("reward", "kl", "response_length")), ("dpo", ("loss",))):
        for key in keys:
            curve = report[policy]["curves"].get(key)
            if not curve or not all(isinstance(v, (int, float)) and math.isfinite(v) for v in curve):
                fail(f"{policy} curve {key!r} is missing or not finite")
    rm = report["rm"]
    for k in ("accuracy", "oracle_agreement", "label_accuracy"):
        rate(rm[k], f"rm.{k}")
    annotation = report["annotation"]
    if annotation["labels"] < 1 or annotation["annotators"] < 1:
        fail("no labels were collected")
    rate(annotation["oracle_agreement"], "annotation.oracle_agreement")
    if want_ablations:
        ablations = report.get("ablations") or fail("no ablations in the report")
        for name in ("length_balancing", "reference_baseline", "ptx"):
            ablation = ablations[name]
            if not ablation["on"] or not ablation["off"] or not isinstance(ablation["matches_paper"], bool):
                fail(f"ablation {name} is incomplete")
    html = open(f"{run_dir}/report.html", encoding="utf-8").read()
    if "<svg" not in html or "http://" in html or "https://" in html or "<script" in html:
        fail("report.html is not a self-contained page with plots")
    print(f"quickstart report ok: run {report['run']['id']} ({report['run']['mode']}), "
          f"{report['run']['total_seconds']:.0f} s; win-loss vs SFT: PPO {report['ppo']['win_minus_loss']:+.1f}, "
          f"DPO {report['dpo']['win_minus_loss']:+.1f}; RM accuracy {rm['accuracy']:.3f} "
          f"(annotators {rm['oracle_agreement']:.3f})")


if __name__ == "__main__":
    main()
