#!/usr/bin/env python3
"""Builds Tests/TokenizersTests/Fixtures from Hugging Face `tokenizers`/`transformers` (run it by hand; the tests
only read its output):

- gpt2/ and expected.json, copied from the shared fixtures;
- small-llama3, small-qwen2, small-smollm, small-glm4: small byte-level BPE tokenizers trained by HF with each
  family's pre-tokenizer, special tokens and options (ignore_merges, NFC, string-form merges, digit splitting,
  lstrip/rstrip/single_word added tokens);
- hf-cases.json: HF's ids and decoded text for edge cases and seeded random Unicode strings, per tokenizer;
- chat-cases.json: HF `apply_chat_template` ids and assistant masks for conversations in each chat format;
- chat-smollm2.json (when RLHF_SMOLLM2_GGUF names the SmolLM2 GGUF): transformers rendering those conversations with
  the template inside the GGUF.

    pip install tokenizers transformers
    python3 scripts/make-tokenizer-fixtures.py [--shared ../shared/fixtures/tokenizers]
"""
import argparse, glob, json, os, shutil, sys, sysconfig
from tokenizers import Tokenizer, Regex, decoders, models, normalizers, pre_tokenizers, processors, trainers

sys.path.insert(0, os.path.dirname(__file__))
from tokenizer_cases import cases  # noqa: E402
from chat_templates import CONVERSATIONS, TEMPLATES  # noqa: E402

LLAMA3 = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
QWEN2 = LLAMA3.replace(r"\p{N}{1,3}", r"\p{N}")

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
out = os.path.join(root, "Tests", "TokenizersTests", "Fixtures")
parser = argparse.ArgumentParser()
parser.add_argument("--shared", default=os.path.join(root, "..", "shared", "fixtures", "tokenizers"))
args = parser.parse_args()


def corpus():
    """Deterministic mixed training text: Python standard-library sources (English prose and code) and Chinese."""
    files = sorted(glob.glob(os.path.join(sysconfig.get_paths()["stdlib"], "*.py")))[:60]
    text = [open(f, encoding="utf-8", errors="replace").read() for f in files]
    chinese = ["你好，世界！这是一个测试。", "我们使用人类反馈的强化学习来训练语言模型。", "奖励模型根据人类偏好给回答打分。",
               "今天天气很好，我们去公园散步吧。", "数据、模型和训练方法同样重要。", "中文和English混合的句子也很常见。"]
    text += [" ".join(chinese[(i * 7 + j) % len(chinese)] for j in range(5)) for i in range(400)]
    text += cases(300, seed=99)
    return text


def train(name, pre_tokenizer, specials, vocab_size=1500, normalizer=None, post=None):
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizer
    if normalizer:
        tok.normalizer = normalizer
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=specials, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(corpus(), trainer)
    if post:
        tok.post_processor = post
    return tok


def save(tok, name, edit=None):
    d = json.loads(tok.to_str())
    if edit:
        edit(d)
    os.makedirs(os.path.join(out, name), exist_ok=True)
    path = os.path.join(out, name, "tokenizer.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(d, f, ensure_ascii=False, indent=1)
    return Tokenizer.from_file(path)  # what the tests compare against is what HF reads back


def string_merges(d):
    d["model"]["merges"] = [" ".join(m) if isinstance(m, list) else m for m in d["model"]["merges"]]


def main():
    os.makedirs(out, exist_ok=True)
    os.makedirs(os.path.join(out, "gpt2"), exist_ok=True)
    for f in ["vocab.json", "merges.txt", "tokenizer.json"]:
        shutil.copyfile(os.path.join(args.shared, "gpt2", f), os.path.join(out, "gpt2", f))
    shutil.copyfile(os.path.join(args.shared, "expected.json"), os.path.join(out, "expected.json"))

    byte_level = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)
    tokenizers = {"gpt2": Tokenizer.from_file(os.path.join(out, "gpt2", "tokenizer.json"))}

    llama_specials = ["<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"]
    llama = train("small-llama3", pre_tokenizers.Sequence([pre_tokenizers.Split(Regex(LLAMA3), "isolated"), byte_level]),
                  llama_specials, post=processors.Sequence([
                      processors.ByteLevel(trim_offsets=False),
                      processors.TemplateProcessing(single="<|begin_of_text|> $A", pair="<|begin_of_text|> $A $B",
                                                    special_tokens=[("<|begin_of_text|>", 0)])]))
    tokenizers["small-llama3"] = save(llama, "small-llama3", lambda d: d["model"].update(ignore_merges=True))

    chatml = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    qwen = train("small-qwen2", pre_tokenizers.Sequence([pre_tokenizers.Split(Regex(QWEN2), "isolated"), byte_level]),
                 chatml, normalizer=normalizers.NFC())
    tokenizers["small-qwen2"] = save(qwen, "small-qwen2", string_merges)

    smol = train("small-smollm", pre_tokenizers.Sequence([pre_tokenizers.Digits(individual_digits=True),
                                                          pre_tokenizers.ByteLevel(add_prefix_space=False)]), chatml)
    from tokenizers import AddedToken
    smol.add_tokens([AddedToken("<mask>", lstrip=True, normalized=False),
                     AddedToken("[SEP]", rstrip=True, normalized=False),
                     AddedToken("@@", single_word=True, normalized=False),
                     AddedToken("zzz", normalized=True)])
    tokenizers["small-smollm"] = save(smol, "small-smollm")

    glm_specials = ["<|endoftext|>", "[gMASK]", "<sop>", "<|system|>", "<|user|>", "<|assistant|>", "<|observation|>"]
    glm = train("small-glm4", pre_tokenizers.Sequence([pre_tokenizers.Split(Regex(LLAMA3), "isolated"), byte_level]),
                glm_specials)
    tokenizers["small-glm4"] = save(glm, "small-glm4")

    prefixed = json.loads(tokenizers["small-smollm"].to_str())
    prefixed["pre_tokenizer"]["pretokenizers"][1]["add_prefix_space"] = True
    os.makedirs(os.path.join(out, "small-prefix-space"), exist_ok=True)
    with open(os.path.join(out, "small-prefix-space", "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(prefixed, f, ensure_ascii=False)
    tokenizers["small-prefix-space"] = Tokenizer.from_file(os.path.join(out, "small-prefix-space", "tokenizer.json"))

    specials = ("<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|eot_id|>", "<mask>", "[SEP]", "@@", "zzz", "[gMASK]")
    result = {}
    for seed, (name, tok) in enumerate(tokenizers.items()):
        rows = []
        for text in cases(400, seed=seed, specials=specials):
            ids = tok.encode(text, add_special_tokens=False).ids
            rows.append({"text": text, "ids": ids, "decoded": tok.decode(ids, skip_special_tokens=False)})
        result[name] = rows
    with open(os.path.join(out, "hf-cases.json"), "w", encoding="utf-8") as f:
        json.dump({"about": "ids and decode() of Hugging Face tokenizers for each fixture tokenizer",
                   "tokenizers": result}, f, ensure_ascii=True)

    from transformers import PreTrainedTokenizerFast
    chat = []
    for fmt, (tok_name, template, extra) in TEMPLATES.items():
        fast = PreTrainedTokenizerFast(tokenizer_file=os.path.join(out, tok_name, "tokenizer.json"), **extra)
        for conversation, add_prompt in CONVERSATIONS:
            enc = fast.apply_chat_template(conversation, chat_template=template, tokenize=True, return_dict=True,
                                           return_assistant_tokens_mask=True, add_generation_prompt=add_prompt)
            text = fast.apply_chat_template(conversation, chat_template=template, tokenize=False,
                                            add_generation_prompt=add_prompt)
            chat.append({"format": fmt, "tokenizer": tok_name, "messages": conversation,
                         "add_generation_prompt": add_prompt, "text": text, "ids": enc["input_ids"],
                         "assistant_mask": enc["assistant_masks"]})
    with open(os.path.join(out, "chat-cases.json"), "w", encoding="utf-8") as f:
        json.dump({"about": "transformers apply_chat_template with {% generation %} templates (scripts/chat_templates.py)",
                   "cases": chat}, f, ensure_ascii=False, indent=1)
    gguf = os.environ.get("RLHF_SMOLLM2_GGUF")
    if gguf:
        from transformers import AutoTokenizer
        smol = AutoTokenizer.from_pretrained(os.path.dirname(gguf), gguf_file=os.path.basename(gguf))
        rows = []
        for conversation, add_prompt in CONVERSATIONS:
            text = smol.apply_chat_template(conversation, tokenize=False, add_generation_prompt=add_prompt)
            ids = smol.apply_chat_template(conversation, tokenize=True, return_dict=True, add_generation_prompt=add_prompt)["input_ids"]
            rows.append({"messages": conversation, "add_generation_prompt": add_prompt, "text": text, "ids": ids})
        with open(os.path.join(out, "chat-smollm2.json"), "w", encoding="utf-8") as f:
            json.dump({"about": "transformers apply_chat_template with the chat template of SmolLM2-135M-Instruct.Q4_1.gguf",
                       "cases": rows}, f, ensure_ascii=False, indent=1)
    print("fixtures written to", os.path.normpath(out))


main()
