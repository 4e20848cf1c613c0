#!/usr/bin/env python3
"""Checks that a quickstart run directory holds a complete, well-formed report (CI runs it after `rlhf quickstart --fast`).

Usage: check-quickstart-report.py RUN_DIR [--ablations] [--real-model]
(--real-model: a run of `rlhf quickstart --model`, with the SFT-on-task-answers row and the forgetting check.)
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


POLICIES = ("sft", "sft_greedy", "best_of_n", "ppo", "dpo")
VERDICTS = ("matches the paper", "within noise", "opposite to the paper", "one seed, noise unknown")


def check_ablation(name, ablation):
    """Every measure has one value per seed on each side, with its mean and standard deviation; the verdict rests
    on the paper's measures, each judged against two standard errors."""
    seeds = ablation.get("seeds")
    if not isinstance(seeds, int) or seeds < 1:
        fail(f"ablation {name}: seeds is {seeds!r}")
    measures = ablation.get("measures") or fail(f"ablation {name} has no measures")
    for measure, m in measures.items():
        if len(m["on"]) != seeds or len(m["off"]) != seeds:
            fail(f"ablation {name}.{measure}: not one value per seed on each side")
        for side in ("on", "off"):
            values = [v for v in m[side] if isinstance(v, (int, float))]
            if len(values) == seeds and all(math.isfinite(v) for v in values):
                if abs(m[f"{side}_mean"] - sum(values) / seeds) > 1e-9 * max(1, abs(m[f"{side}_mean"])):
                    fail(f"ablation {name}.{measure}: {side}_mean is not the mean of the seeds")
    paper = ablation.get("paper_measures") or fail(f"ablation {name} names no paper measure")
    if not set(paper) <= set(measures):
        fail(f"ablation {name}: paper measures {sorted(set(paper) - set(measures))} were not measured")
    if ablation.get("verdict") not in VERDICTS or sorted(ablation.get("measure_verdicts", {})) != sorted(paper):
        fail(f"ablation {name}: verdict {ablation.get('verdict')!r} is not one of {VERDICTS}")


def main():
    run_dir = sys.argv[1]
    want_ablations = "--ablations" in sys.argv[2:]
    real_model = "--real-model" in sys.argv[2:]
    report = json.load(open(f"{run_dir}/report.json"))
    policies = POLICIES + (("sft_on_task_answers",) if real_model else ())
    if real_model:
        if not report.get("starting_model"):
            fail("a real-model run does not name its starting model")
        forgetting = report.get("forgetting") or fail("a real-model run has no forgetting check")
        for model in ("original", "sft", "ppo", "dpo"):
            loss = forgetting["loss"].get(model)
            if not isinstance(loss, (int, float)) or not math.isfinite(loss) or loss <= 0:
                fail(f"forgetting.loss.{model} is {loss!r}")
        if forgetting["relative_change"].get("original") != 0:
            fail("forgetting.relative_change.original is not 0")
    elif report.get("starting_model") is not None:
        fail("a from-scratch run names a starting model")
    categories = report["task"]["categories"]
    if sorted(categories) != ["arithmetic", "open_qa", "role_play", "safety", "writing"]:
        fail(f"unexpected categories {categories}")
    machine = report["run"].get("machine") or fail("run.machine is missing")
    if not machine.get("cpu_model") or machine.get("vector_unit") not in ("AVX-512", "AVX2", "NEON", "none"):
        fail(f"run.machine does not name the CPU and its vector unit: {machine}")
    if not machine.get("gemm_backend") or not isinstance(machine.get("threads"), int) or machine["threads"] < 1:
        fail(f"run.machine does not name the GEMM backend and thread count: {machine}")
    sampling_of = {"baseline_sampling": report.get("baseline_sampling")}
    for policy in policies:
        info = report.get(policy) or fail(f"no {policy} row in the report")
        sampling_of[policy] = info.get("sampling")
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
    for where, sampling in sampling_of.items():
        if not isinstance(sampling, dict) or not sampling.get("temperature", -1) >= 0 or not sampling.get("candidates", 0) >= 1:
            fail(f"{where}: the sampling (temperature, candidates) is missing or invalid: {sampling!r}")
    if sampling_of["sft_greedy"]["temperature"] != 0:
        fail("sft_greedy was not decoded at temperature 0")
    for policy, keys in (("ppo", ("reward", "kl", "response_length")), ("dpo", ("loss",))):
        for key in keys:
            curve = report[policy]["curves"].get(key)
            if not curve or not all(isinstance(v, (int, float)) and math.isfinite(v) for v in curve):
                fail(f"{policy} curve {key!r} is missing or not finite")
    rm = report["rm"]
    for k in ("accuracy", "oracle_agreement", "label_accuracy"):
        rate(rm[k], f"rm.{k}")
    if not isinstance(rm.get("oracle_pairs"), int) or rm["oracle_pairs"] < 1:
        fail("rm.oracle_pairs: no held-out pairs for the reward model and annotators to be compared on")
    annotation = report["annotation"]
    if annotation["labels"] < 1 or annotation["annotators"] < 1:
        fail("no labels were collected")
    rate(annotation["oracle_agreement"], "annotation.oracle_agreement")
    if want_ablations:
        ablations = report.get("ablations") or fail("no ablations in the report")
        for name in ("length_balancing", "reference_baseline", "ptx"):
            check_ablation(name, ablations.get(name) or fail(f"ablation {name} is missing"))
    # Linux measures each stage's own peak (CI runs there): every stage timed has one, a plausible number of bytes.
    peaks = report["run"].get("stage_peak_resident_bytes")
    if sys.platform.startswith("linux"):
        if not peaks or set(peaks) != set(report["run"]["stage_seconds"]):
            fail(f"run.stage_peak_resident_bytes {peaks!r} does not cover the stages {sorted(report['run']['stage_seconds'])}")
        if not all(isinstance(v, (int, float)) and 1e6 < v < 1e12 for v in peaks.values()):
            fail(f"run.stage_peak_resident_bytes {peaks!r} are not byte counts")
    html = open(f"{run_dir}/report.html", encoding="utf-8").read()
    if "<svg" not in html or "http://" in html or "https://" in html or "<script" in html:
        fail("report.html is not a self-contained page with plots")
    if real_model:
        change = report["forgetting"]["relative_change"]
        print(f"real model {report['starting_model']}: win-loss vs the original model: SFT on task answers "
              f"{report['sft_on_task_answers']['win_minus_loss']:+.1f}; general-text loss vs original: SFT {100 * change['sft']:+.1f}%, "
              f"PPO {100 * change['ppo']:+.1f}%, DPO {100 * change['dpo']:+.1f}%")
    print(f"quickstart report ok: run {report['run']['id']} ({report['run']['mode']}), "
          f"{report['run']['total_seconds']:.0f} s, peak RSS {max((peaks or {}).values(), default=0) / 1e9:.2f} GB, on {machine['cpu_model']} ({machine['vector_unit']}, "
          f"{machine['gemm_backend']}, {machine['threads']} threads); win-loss vs SFT: "
          f"greedy SFT {report['sft_greedy']['win_minus_loss']:+.1f}, best-of-n {report['best_of_n']['win_minus_loss']:+.1f}, "
          f"PPO {report['ppo']['win_minus_loss']:+.1f}, DPO {report['dpo']['win_minus_loss']:+.1f}; RM accuracy {rm['accuracy']:.3f} "
          f"(annotators {rm['oracle_agreement']:.3f})")


if __name__ == "__main__":
    main()
