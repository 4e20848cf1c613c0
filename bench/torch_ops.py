"""PyTorch CPU reference for `rlhf bench ops` and `rlhf bench gemm`: the same shapes, measured the same way
(median of N timed runs after one warm-up), printed as the same JSON lines.

Usage: python bench/torch_ops.py [--repeats 7] [--gemm]
"""
import argparse, json, math, time
import torch
import torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument("--repeats", type=int, default=7)
p.add_argument("--gemm", action="store_true", help="also measure square sgemm")
a = p.parse_args()
torch.manual_seed(0)


def median_seconds(fn, minimum_seconds=0.02):
    """Median seconds per call; each measurement repeats fn to last >= minimum_seconds (as the Swift bench does)."""
    t = time.perf_counter(); fn(); first = time.perf_counter() - t
    calls = max(1, math.ceil(minimum_seconds / max(first, 1e-9)))
    times = []
    for _ in range(a.repeats):
        t = time.perf_counter()
        for _ in range(calls): fn()
        times.append((time.perf_counter() - t) / calls)
    return sorted(times)[len(times) // 2]


def report(name, fn):
    print(json.dumps({"bench": name, "ms": round(median_seconds(fn) * 1000, 3), "impl": "torch",
                      "threads": torch.get_num_threads()}), flush=True)


def param(*shape):
    return torch.randn(*shape, requires_grad=True)


x, w, b = param(8 * 256, 384), param(384), param(384)
dout = torch.randn(8 * 256, 384)
report("layer_norm", lambda: F.layer_norm(x, (384,), w, b).backward(dout))

s = param(8, 6, 256, 256)
ds = torch.randn(8, 6, 256, 256)
report("softmax", lambda: torch.softmax(s, -1).backward(ds))

q, k, v = param(8, 6, 256, 64), param(8, 6, 256, 64), param(8, 6, 256, 64)
dq = torch.randn(8, 6, 256, 64)
report("attention", lambda: F.scaled_dot_product_attention(q, k, v, is_causal=True).backward(dq))

mlp = torch.nn.Sequential(torch.nn.Linear(384, 1536), torch.nn.GELU(approximate="tanh"), torch.nn.Linear(1536, 384))
opt = torch.optim.AdamW(mlp.parameters(), lr=1e-4)
xm, target = torch.randn(2048, 384), torch.randn(2048, 384)


def mlp_step():
    opt.zero_grad()
    loss = ((mlp(xm) - target) ** 2).mean()
    loss.backward()
    opt.step()


report("mlp_train_step", mlp_step)

if a.gemm:
    for n in (256, 512, 1024, 2048):
        ma, mb = torch.randn(n, n), torch.randn(n, n)
        t = median_seconds(lambda: ma @ mb)
        print(json.dumps({"bench": "gemm", "n": n, "gflops": round(2 * n ** 3 / t / 1e9, 1), "impl": "torch"}), flush=True)
