"""Runs `rlhf bench ops` / `rlhf bench gemm` and the PyTorch script on the same shapes, interleaved, several rounds,
and prints the median of each side and the ratio swift/torch (≤ 1.0 means swift-rlhf is as fast or faster).

Usage: python bench/compare.py [--rlhf .build/release/rlhf] [--rounds 5] [--gemm]
"""
import argparse, json, statistics, subprocess, sys, os

p = argparse.ArgumentParser()
p.add_argument("--rlhf", default=".build/release/rlhf")
p.add_argument("--rounds", type=int, default=5)
p.add_argument("--gemm", action="store_true")
a = p.parse_args()
here = os.path.dirname(os.path.abspath(__file__))


def lines(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return [json.loads(l) for l in out.splitlines() if l.startswith("{")]


swift, torch = {}, {}
for r in range(a.rounds):
    for row in lines([a.rlhf, "bench", "ops", "--json", "--memory-steps", "0"]):
        swift.setdefault(row["bench"], []).append(row["ms"])
    torch_cmd = [sys.executable, os.path.join(here, "torch_ops.py")] + (["--gemm"] if a.gemm else [])
    for row in lines(torch_cmd):
        key = row["bench"] if row["bench"] != "gemm" else f"gemm_{row['n']}"
        torch.setdefault(key, []).append(row.get("ms", row.get("gflops")))
    if a.gemm:
        for row in lines([a.rlhf, "bench", "gemm", "--json"]):
            swift.setdefault(f"gemm_{row['n']}", []).append(row["gflops"])
    print(f"round {r + 1}/{a.rounds} done", file=sys.stderr)

print(f"{'bench':<18}{'swift':>10}{'torch':>10}{'ratio':>8}")
for key in swift:
    if key not in torch:
        continue
    s, t = statistics.median(swift[key]), statistics.median(torch[key])
    unit = "GFLOP/s" if key.startswith("gemm") else "ms"
    ratio = t / s if unit == "GFLOP/s" else s / t  # time ratio: swift time / torch time
    print(f"{key:<18}{s:>10.2f}{t:>10.2f}{ratio:>8.2f}  {unit}")
