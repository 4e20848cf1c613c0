"""The f32 Hugging Face checkpoint the PyTorch benchmarks load (bench/trl_ppo_bench.py, bench/torch_train_bench.py).

The Hugging Face hub is not reachable here, so the model is our own GGUF de-quantized to f32 by transformers' GGUF
loader, the same numbers ours reads, converted once (minutes, never timed) into a cache directory shared by the
scripts, with its tokenizer; or a Hugging Face checkout as it is.
"""
import os


def f32_checkpoint(gguf, hf_dir, cache_dir):
    """The directory to `from_pretrained` (model and tokenizer) and a name of its source."""
    if hf_dir:
        return hf_dir, "hf:" + hf_dir
    cache = os.path.join(cache_dir, os.path.basename(gguf) + ".f32")
    if not os.path.exists(os.path.join(cache, "config.json")):
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer
        d, f = os.path.split(os.path.abspath(gguf))
        model = AutoModelForCausalLM.from_pretrained(d, gguf_file=f, dtype=torch.float32)
        tokenizer = AutoTokenizer.from_pretrained(d, gguf_file=f)
        model.config.quantization_config = None
        if hasattr(model, "hf_quantizer"): model.hf_quantizer = None
        model.save_pretrained(cache); tokenizer.save_pretrained(cache)
    return cache, "gguf:" + gguf
