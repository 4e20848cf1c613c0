"""TRL reference for `rlhf bench ppo --model SmolLM2 --lora-rank 16`: one PPO iteration of SmolLM2-135M-Instruct with
LoRA, run by Hugging Face TRL's own PPOTrainer (trl.experimental.ppo, TRL 1.12.0: the last release that ships it) on
CPU, timed like ours and printed as one JSON line.

What one iteration does (the work `rlhf bench ppo` does, see Sources/rlhf/Bench/PPOBench.swift):
- generation: the actor answers --batch prompts of --prompt-tokens random token ids with exactly --new-tokens sampled
  tokens each (temperature 1, no top-k/top-p; no stop token, so every response runs to full length — ours stops at
  EOS, but with random prompts every response runs to the limit too: 512 of 512 tokens in our runs);
- scoring, without gradients: reference log-probs (the actor's base with the adapters disabled), critic values and
  the reward model's score of prompt + response; per-token rewards (score at the last token − 0.05·KL, k1), GAE
  (γ 1, λ 0.95);
- training: 1 PPO epoch of 1 minibatch of --batch rows: clipped policy loss and clipped value loss (0.2), one
  backward, AdamW (lr 1e-5) on the actor's and the critic's trainable weights.
Models, as ours with --lora-rank: the actor is the SFT model with LoRA rank 16, alpha 32, dropout 0 on every
attention and MLP projection (q/k/v/o/gate/up/down_proj); the reference is the same weights with the adapters off;
the reward model is the same backbone with a fresh scalar head (normal std 0.02, seed 1); the critic starts as a copy
of the reward model with LoRA (same rank and targets) on its backbone and a trainable head. All weights f32
(PyTorch CPU), compare with ours at --frozen-weights f32 for the same arithmetic, bf16 being ours' default.

Known differences from ours, all TRL's design: TRL takes the actor's rollout log-probs from the logits generate()
returns instead of a separate no-grad actor forward (ours scores the actor again: 4 scoring forwards to TRL's 3);
TRL trains actor and critic with one loss (policy + 0.1·value) and one AdamW where ours steps two (and clips each
gradient norm at 1); TRL whitens the advantages; the reward model and the critic each hold a full f32 copy of the
backbone where ours shares one frozen base (peak RSS is not like for like); ours samples with its own generator, so
the two sides draw other tokens from the same distributions.

The weights: the Hugging Face hub is not reachable here, so the model is our own GGUF
($RLHF_SMOLLM2_GGUF, SmolLM2-135M-Instruct.Q4_1.gguf) de-quantized to f32 by transformers' GGUF loader
(from_pretrained(dir, gguf_file=...)), the same numbers ours reads; the converted model and tokenizer are cached in
--cache-dir (conversion takes minutes and is not timed). --hf-dir takes a Hugging Face checkout instead.

Timing: --repeats + 1 iterations in one PPOTrainer.train(); the first warms up and the median of the rest is reported.
An iteration is timed from the start of generation to the end of the trainer's step (metrics and lr step included);
generation ends when batch_generation returns, scoring when the training forward starts. tokens_per_s counts the
generated tokens over the whole iteration (as ours). Peak RSS from getrusage; torch threads --threads (2: this
machine's cores) with OMP_WAIT_POLICY=PASSIVE unless set.

Usage:
  pip install trl==1.12.0   # PPOTrainer left TRL in 1.13; 1.12.0 runs on transformers 5.25 / torch 2.15 / peft 0.21
  python bench/trl_ppo_bench.py [--gguf $RLHF_SMOLLM2_GGUF] [--batch 8 --prompt-tokens 64 --new-tokens 64]
                                [--lora-rank 16 --repeats 1 --threads 2]
  .build/release/rlhf bench ppo --model $RLHF_SMOLLM2_GGUF --lora-rank 16 --frozen-weights f32 --json --repeats 1
"""
import argparse, copy, json, os, platform, resource, statistics, tempfile, time, warnings

p = argparse.ArgumentParser()
p.add_argument("--gguf", default=os.environ.get("RLHF_SMOLLM2_GGUF", ".cache/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"))
p.add_argument("--hf-dir", default=None, help="a Hugging Face checkout of SmolLM2-135M-Instruct instead of the GGUF")
p.add_argument("--cache-dir", default=os.path.join(tempfile.gettempdir(), "trl_ppo_bench_smollm2"))
p.add_argument("--batch", type=int, default=8); p.add_argument("--prompt-tokens", type=int, default=64)
p.add_argument("--new-tokens", type=int, default=64)
p.add_argument("--lora-rank", type=int, default=16, help="0: full fine-tuning (four full f32 models)")
p.add_argument("--lora-alpha", type=float, default=0, help="0: twice the rank (ours' default)")
p.add_argument("--repeats", type=int, default=1); p.add_argument("--threads", type=int, default=2)
p.add_argument("--seed", type=int, default=0)
a = p.parse_args()

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false"); os.environ.setdefault("WANDB_DISABLED", "true")
# OpenMP threads that sleep at barriers instead of spinning: on this 2-core machine shared with compilers (load ~10),
# spinning threads made sampling 8 tokens for 8 rows take 60 s with 2 threads (9 s with 1, 11 s with 2 passive).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
warnings.filterwarnings("ignore")
import torch
torch.set_num_threads(a.threads)
import transformers, peft, trl
from datasets import Dataset
from peft import LoraConfig, inject_adapter_in_model
from transformers import AutoModelForCausalLM, AutoModelForSequenceClassification, AutoTokenizer, TrainerCallback
from transformers.utils import logging as hf_logging
from trl.experimental.ppo import PPOConfig, PPOTrainer
from smollm2_f32 import f32_checkpoint
import trl.experimental.ppo.ppo_trainer as ppo_module

hf_logging.set_verbosity_error(); hf_logging.disable_progress_bar()
TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


def load_sft():
    """The SFT model (f32) and its tokenizer: --hf-dir, or the GGUF de-quantized once into --cache-dir."""
    directory, source = f32_checkpoint(a.gguf, a.hf_dir, a.cache_dir)
    model = AutoModelForCausalLM.from_pretrained(directory, dtype=torch.float32)
    return model, AutoTokenizer.from_pretrained(directory), source


torch.manual_seed(a.seed)
sft, tokenizer, source = load_sft()
if tokenizer.pad_token_id is None:
    tokenizer.pad_token_id = tokenizer.eos_token_id
pad_id = sft.generation_config.pad_token_id = tokenizer.pad_token_id

# Reward model: the SFT backbone with a fresh scalar head (ours: RewardModel(backbone: sft.copy(), headSeed: 1,
# headStd: 0.02)); frozen.
head_config = copy.deepcopy(sft.config); head_config.num_labels = 1; head_config.pad_token_id = pad_id
reward = AutoModelForSequenceClassification.from_config(head_config, dtype=torch.float32)
reward.model.load_state_dict(sft.model.state_dict())
with torch.no_grad():
    g = torch.Generator().manual_seed(1)
    reward.score.weight.copy_(torch.randn(reward.score.weight.shape, generator=g) * 0.02)
reward.requires_grad_(False).eval()
# Critic: a copy of the reward model (backbone and head) with LoRA adapters on its backbone; adapters and head train.
# --lora-rank 0: full fine-tuning (ours without --lora-rank): every weight of the actor and the critic trains and the
# reference is a separate frozen copy of the SFT model, four full f32 models as in ours.
critic = AutoModelForSequenceClassification.from_config(head_config, dtype=torch.float32)
critic.load_state_dict(reward.state_dict())
alpha = a.lora_alpha or 2 * a.lora_rank
lora = None
if a.lora_rank > 0:
    lora = LoraConfig(r=a.lora_rank, lora_alpha=alpha, lora_dropout=0.0, target_modules=TARGETS, bias="none")
    critic.requires_grad_(False)
    inject_adapter_in_model(copy.deepcopy(lora), critic.model)
    for name, param in critic.named_parameters():
        param.requires_grad_("lora_" in name or name.startswith("score."))
reference = copy.deepcopy(sft).requires_grad_(False).eval() if lora is None else None

# Prompts: random token ids, never the pad/EOS id (TRL reads pad ids as padding).
g = torch.Generator().manual_seed(2)
n_prompts = a.batch * (a.repeats + 1)
ids = torch.randint(0, sft.config.vocab_size, (n_prompts, a.prompt_tokens), generator=g)
ids[ids == pad_id] = pad_id + 1
dataset = Dataset.from_dict({"input_ids": ids.tolist()})

# Clocks: generation from batch_generation's start to its return, scoring until the training forward (the call on
# the policy-and-value wrapper), training until the trainer's step ends.
marks, iterations = {}, []
real_generation, real_forward = ppo_module.batch_generation, ppo_module.forward


def timed_generation(model, queries, *rest, **kw):
    marks.clear(); marks["start"] = time.perf_counter()
    out = real_generation(model, queries, *rest, **kw)
    marks["generated"] = time.perf_counter()
    marks["tokens"] = out[0].shape[0] * (out[0].shape[1] - queries.shape[1])
    return out


def timed_forward(model, *rest, **kw):
    if hasattr(model, "value_model") and "scored" not in marks: marks["scored"] = time.perf_counter()
    return real_forward(model, *rest, **kw)


ppo_module.batch_generation, ppo_module.forward = timed_generation, timed_forward


class Clock(TrainerCallback):
    def on_step_end(self, args, state, control, **kw):
        end = time.perf_counter(); total = end - marks["start"]
        iterations.append({"iteration_s": total, "generation_s": marks["generated"] - marks["start"],
                           "scoring_s": marks["scored"] - marks["generated"], "training_s": end - marks["scored"],
                           "tokens": marks["tokens"], "load_1m": os.getloadavg()[0]})


out_dir = tempfile.mkdtemp(prefix="trl_ppo_bench_")
config = PPOConfig(
    output_dir=out_dir, report_to=[], use_cpu=True, bf16=False, fp16=False, seed=a.seed, disable_tqdm=True,
    save_strategy="no", logging_steps=10**6, num_sample_generations=0, dataloader_num_workers=0,
    per_device_train_batch_size=a.batch, gradient_accumulation_steps=1, local_rollout_forward_batch_size=a.batch,
    num_mini_batches=1, num_ppo_epochs=1, total_episodes=n_prompts, response_length=a.new_tokens,
    temperature=1.0, stop_token=None, stop_token_id=None, missing_eos_penalty=None, learning_rate=1e-5,
    lr_scheduler_type="constant", kl_coef=0.05, kl_estimator="k1", cliprange=0.2, cliprange_value=0.2,
    gamma=1.0, lam=0.95, whiten_rewards=False, gradient_checkpointing=False)
trainer = PPOTrainer(
    args=config, processing_class=tokenizer, model=sft, ref_model=reference, reward_model=reward, value_model=critic,
    train_dataset=dataset, eval_dataset=dataset, peft_config=lora, callbacks=[Clock()])
trainable = sum(p.numel() for p in trainer.model.parameters() if p.requires_grad)
trainer.train()

timed = iterations[1:] or iterations  # the first iteration warms up
med = lambda k: statistics.median(it[k] for it in timed)
seconds = med("iteration_s")
print(json.dumps({
    "bench": "ppo", "impl": "trl", "trl_ppo_trainer": "trl.experimental.ppo.PPOTrainer",
    "seconds_per_iteration": round(seconds, 3), "tokens_per_s": round(med("tokens") / seconds, 3),
    "generation_s": round(med("generation_s"), 3), "scoring_s": round(med("scoring_s"), 3),
    "training_s": round(med("training_s"), 3),
    "generation_tokens_per_s": round(med("tokens") / med("generation_s"), 3), "generated_tokens": int(med("tokens")),
    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    "threads": torch.get_num_threads(), "omp_wait_policy": os.environ["OMP_WAIT_POLICY"], "batch": a.batch,
    "prompt_tokens": a.prompt_tokens, "new_tokens": a.new_tokens,
    "lora_rank": a.lora_rank, "lora_alpha": alpha, "trainable_params": trainable, "weights": source, "dtype": "float32",
    "iterations": [{k: round(v, 3) if isinstance(v, float) else v for k, v in it.items()} for it in iterations],
    "load_avg": [round(x, 2) for x in os.getloadavg()],
    "versions": {"trl": trl.__version__, "transformers": transformers.__version__, "torch": torch.__version__,
                 "peft": peft.__version__, "python": platform.python_version()},
}), flush=True)
