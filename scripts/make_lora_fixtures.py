"""Makes the LoRA reference fixtures in Tests/LanguageModelsTests/Fixtures/lora-<base>: a PEFT adapter on a tiny
checkpoint of that folder (qwen2-tiny: torch Linear layers with q/k/v biases and an untied head; gpt2-tiny: Conv1D,
fan_in_fan_out), saved by PEFT itself (`adapter_config.json`, `adapter_model.safetensors`), and `trajectory.safetensors`:

  input_ids [2, 9]      the batch
  logits [2, 9, vocab]  the adapted model's logits before training
  losses [5]            mean next-token cross-entropy before each of 5 AdamW steps (lr 1e-2, betas 0.9/0.999,
                        eps 1e-8, weight decay 0) on that batch, only the adapters training
  final.<name>          every adapter tensor after the 5 steps, under PEFT's saved names

Both A and B start random (PEFT's default B = 0 would hide a wrong B or scaling in the first forward pass).

Usage: pip install torch transformers peft safetensors && python3 scripts/make_lora_fixtures.py
"""
import os, zlib, torch
from safetensors.torch import save_file
from transformers import AutoModelForCausalLM
from peft import LoraConfig, get_peft_model, get_peft_model_state_dict

fixtures = os.path.join(os.path.dirname(__file__), "..", "Tests", "LanguageModelsTests", "Fixtures")


def make(base, targets, fan_in_fan_out, vocab):
    torch.manual_seed(zlib.crc32(("lora-" + base).encode()))
    model = AutoModelForCausalLM.from_pretrained(os.path.join(fixtures, base), dtype=torch.float32)
    config = LoraConfig(r=4, lora_alpha=8, lora_dropout=0.0, target_modules=targets,
                        fan_in_fan_out=fan_in_fan_out, task_type="CAUSAL_LM")
    model = get_peft_model(model, config)
    model.train()
    # No dropout anywhere, so the trajectory is deterministic (GPT-2's config has 0.1 dropouts).
    for m in model.modules():
        if isinstance(m, torch.nn.Dropout):
            m.p = 0.0
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "lora_" in name:
                p.normal_(0, 0.1)
    out = os.path.join(fixtures, "lora-" + base)
    model.save_pretrained(out)
    os.remove(os.path.join(out, "README.md"))  # PEFT's model-card boilerplate
    # A relative name, not this machine's path.
    path = os.path.join(out, "adapter_config.json")
    with open(path) as f:
        text = f.read().replace(os.path.join(fixtures, base), base)
    with open(path, "w") as f:
        f.write(text)
    ids = torch.randint(0, vocab, (2, 9))
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=1e-2, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)
    with torch.no_grad():
        logits0 = model(ids).logits.detach().clone()
    losses = []
    for _ in range(5):
        optimizer.zero_grad()
        logits = model(ids).logits
        loss = torch.nn.functional.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]), ids[:, 1:].reshape(-1))
        losses.append(loss.item())
        loss.backward()
        optimizer.step()
    final = {"final." + k: v.detach().contiguous() for k, v in get_peft_model_state_dict(model).items()}
    save_file({"input_ids": ids, "logits": logits0.contiguous(), "losses": torch.tensor(losses), **final},
              os.path.join(out, "trajectory.safetensors"))
    print("wrote", out, "losses", losses)


make("qwen2-tiny", ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"], False, 89)
make("gpt2-tiny", ["c_attn", "c_proj", "c_fc"], True, 100)
