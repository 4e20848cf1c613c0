"""PyTorch CPU reference for `rlhf bench rm`: reward-model training on the anchor GPT of
../shared/anchors/torch_gpt_bench.py (same architecture and flags), measured the same way (median of --repeats timed
steps after one warm-up step) and printed as the same JSON line.

Each step scores --batch pairs (chosen and rejected, --ctx random tokens each, in one forward pass) with a linear
head at the last token, takes -log sigmoid(r_w - r_l) + 0.01 * mean(r_w^2 + r_l^2), backpropagates, clips the
gradient norm at 1 and updates with AdamW.

Usage: python bench/torch_rm_bench.py [--layers 6 --dim 384 --heads 6 --vocab 8192 --ctx 256 --batch 8 --repeats 7]
"""
import argparse, json, time
import torch, torch.nn as nn, torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument("--layers", type=int, default=6); p.add_argument("--dim", type=int, default=384)
p.add_argument("--heads", type=int, default=6); p.add_argument("--vocab", type=int, default=8192)
p.add_argument("--ctx", type=int, default=256); p.add_argument("--batch", type=int, default=8)
p.add_argument("--repeats", type=int, default=7)
a = p.parse_args()
torch.manual_seed(0)


class Block(nn.Module):
    def __init__(s, d, h):
        super().__init__(); s.h = h; s.ln1 = nn.LayerNorm(d); s.qkv = nn.Linear(d, 3 * d); s.o = nn.Linear(d, d)
        s.ln2 = nn.LayerNorm(d); s.fc = nn.Linear(d, 4 * d); s.pr = nn.Linear(4 * d, d)

    def forward(s, x):
        B, T, D = x.shape; q, k, v = s.qkv(s.ln1(x)).split(D, 2)
        q, k, v = [t.view(B, T, s.h, D // s.h).transpose(1, 2) for t in (q, k, v)]
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        x = x + s.o(y.transpose(1, 2).reshape(B, T, D))
        return x + s.pr(F.gelu(s.fc(s.ln2(x)), approximate="tanh"))


class RewardModel(nn.Module):
    def __init__(s):
        super().__init__(); s.wte = nn.Embedding(a.vocab, a.dim); s.wpe = nn.Embedding(a.ctx + 8, a.dim)
        s.blocks = nn.ModuleList([Block(a.dim, a.heads) for _ in range(a.layers)]); s.ln = nn.LayerNorm(a.dim)
        s.score = nn.Linear(a.dim, 1)

    def forward(s, idx, last):
        T = idx.shape[1]; x = s.wte(idx) + s.wpe(torch.arange(T))
        for b in s.blocks: x = b(x)
        values = s.score(s.ln(x)).squeeze(-1)  # [B, T]
        return values.gather(1, last[:, None]).squeeze(1)


m = RewardModel()
opt = torch.optim.AdamW(m.parameters(), lr=1e-5, weight_decay=0)
ids = torch.randint(0, a.vocab, (2 * a.batch, a.ctx))
last = torch.full((2 * a.batch,), a.ctx - 1)


def step():
    opt.zero_grad()
    r = m(ids, last); rw, rl = r[:a.batch], r[a.batch:]
    loss = -F.logsigmoid(rw - rl).mean() + 0.01 * (rw ** 2 + rl ** 2).mean()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(m.parameters(), 1.0)
    opt.step()


step()
times = []
for _ in range(a.repeats):
    t = time.perf_counter(); step(); times.append(time.perf_counter() - t)
dt = sorted(times)[len(times) // 2]
print(json.dumps({"bench": "rm_train", "pairs_per_s": round(a.batch / dt, 3), "step_ms": round(dt * 1000, 3),
                  "impl": "torch", "threads": torch.get_num_threads()}), flush=True)
