#!/usr/bin/env python3
"""Builds the vocab.json + merges.txt fixtures with transformers' side files (run it by hand; the tests only read
its output), in Tests/TokenizersTests/Fixtures:

- vocab-merges-legacy/: the layout older transformers versions save and openai-whisper ships: special_tokens_map.json
  (with additional_special_tokens), a tokenizer_config.json without added_tokens_decoder, added_tokens.json holding
  special and non-special added tokens, and a pad token that no file gives an id;
- vocab-merges-decoder/: the newer layout, whose tokenizer_config.json lists added_tokens_decoder (lstrip/rstrip,
  non-special entries) and names a special token no file gives an id;
- vocab-merges-expected.json: what transformers' AutoTokenizer makes of each folder: its length, special-token ids,
  added tokens, which ids are special, and the ids and decoded text of strings containing the added tokens.

    pip install tokenizers transformers
    python3 scripts/make-vocab-merges-fixtures.py
"""
import json, os, tempfile
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import AutoTokenizer

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
out = os.path.join(root, "Tests", "TokenizersTests", "Fixtures")

CORPUS = [
    "the quick brown fox jumps over the lazy dog", "hello world, hello there", "a user asks and the assistant answers",
    "tokens inside text become their ids", "special tokens mark the start and end of a turn",
] * 20

CASES = [
    "Hello<|endoftext|>world", "<|endoftext|><|endoftext|>", " <|endoftext|> x",
    "<|im_start|>user\nhello there<|im_end|>\n<|im_start|>assistant\n", "a <pad> b<pad>",
    "the [CUSTOM] token and the[CUSTOM]one", "fill the <mask> here and <mask>there", "<sep>between<sep>",
    "not a token: <|im_start| and <|endoftext", "<|im_end|><pad>[CUSTOM]<mask>",
]


def write_json(path, value):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False, indent=1)
        f.write("\n")


def tiny_vocab_and_merges(directory):
    """A small byte-level BPE (256 bytes, <|endoftext|> and a few merges), saved as vocab.json + merges.txt."""
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=330, special_tokens=["<|endoftext|>"], show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(CORPUS, trainer)
    tok.model.save(directory)
    with open(os.path.join(directory, "vocab.json"), encoding="utf-8") as f:
        vocab = json.load(f)
    return len(vocab), vocab["<|endoftext|>"]


def added(content, special, lstrip=False, rstrip=False, normalized=None):
    return {"content": content, "lstrip": lstrip, "normalized": (not special) if normalized is None else normalized,
            "rstrip": rstrip, "single_word": False, "special": special}


def legacy_folder(directory, size, end_of_text):
    write_json(os.path.join(directory, "special_tokens_map.json"), {
        "bos_token": "<|endoftext|>", "eos_token": "<|endoftext|>", "unk_token": "<|endoftext|>", "pad_token": "<pad>",
        "additional_special_tokens": ["<|im_start|>", "<|im_end|>"]})
    write_json(os.path.join(directory, "tokenizer_config.json"), {
        "tokenizer_class": "GPT2Tokenizer", "add_prefix_space": False, "model_max_length": 1024,
        "bos_token": "<|endoftext|>", "eos_token": "<|endoftext|>", "unk_token": "<|endoftext|>"})
    write_json(os.path.join(directory, "added_tokens.json"),
               {"<|im_start|>": size, "<|im_end|>": size + 1, "[CUSTOM]": size + 2})


def decoder_folder(directory, size, end_of_text):
    decoder = {str(end_of_text): added("<|endoftext|>", True), str(size): added("<|im_start|>", True),
               str(size + 1): added("<|im_end|>", True), str(size + 2): added("[CUSTOM]", False),
               str(size + 3): added("<mask>", True, lstrip=True)}
    write_json(os.path.join(directory, "tokenizer_config.json"), {
        "tokenizer_class": "GPT2Tokenizer", "add_prefix_space": False, "model_max_length": 1024,
        "added_tokens_decoder": decoder, "additional_special_tokens": ["<|im_start|>", "<|im_end|>"],
        "bos_token": "<|endoftext|>", "eos_token": "<|im_end|>", "unk_token": "<|endoftext|>", "pad_token": "<|endoftext|>",
        "mask_token": "<mask>", "sep_token": "<sep>"})
    write_json(os.path.join(directory, "special_tokens_map.json"), {
        "bos_token": "<|endoftext|>", "eos_token": "<|im_end|>", "unk_token": "<|endoftext|>",
        "pad_token": "<|endoftext|>", "mask_token": {"content": "<mask>", "lstrip": True, "normalized": False,
                                                     "rstrip": False, "single_word": False},
        "sep_token": "<sep>", "additional_special_tokens": ["<|im_start|>", "<|im_end|>"]})
    write_json(os.path.join(directory, "added_tokens.json"),
               {"<|im_start|>": size, "<|im_end|>": size + 1, "[CUSTOM]": size + 2, "<mask>": size + 3})


def transformers_view(directory):
    tok = AutoTokenizer.from_pretrained(directory)
    rows = []
    for text in CASES:
        ids = tok.encode(text, add_special_tokens=False)
        rows.append({"text": text, "ids": ids, "decoded": tok.decode(ids)})
    return {
        "class": type(tok).__name__, "length": len(tok),
        "special": {role: getattr(tok, role + "_token_id") for role in ["bos", "eos", "unk", "pad"]},
        "added": [{"id": i, "content": t.content} for i, t in sorted(tok.added_tokens_decoder.items())],
        # The public notion of special. transformers 5 leaves the legacy additional_special_tokens unmarked in its
        # backend (decode does not skip them) while listing them here, as transformers 4 did everywhere.
        "special_ids": sorted(tok.all_special_ids),
        "cases": rows,
    }


def main():
    with tempfile.TemporaryDirectory() as scratch:
        size, end_of_text = tiny_vocab_and_merges(scratch)
        vocab = open(os.path.join(scratch, "vocab.json"), encoding="utf-8").read()
        merges = open(os.path.join(scratch, "merges.txt"), encoding="utf-8").read()
    expected = {"about": "transformers AutoTokenizer on each folder (scripts/make-vocab-merges-fixtures.py)"}
    for name, make in [("vocab-merges-legacy", legacy_folder), ("vocab-merges-decoder", decoder_folder)]:
        directory = os.path.join(out, name)
        os.makedirs(directory, exist_ok=True)
        for file, text in [("vocab.json", vocab), ("merges.txt", merges)]:
            with open(os.path.join(directory, file), "w", encoding="utf-8") as f:
                f.write(text)
        make(directory, size, end_of_text)
        expected[name] = transformers_view(directory)
    write_json(os.path.join(out, "vocab-merges-expected.json"), expected)


if __name__ == "__main__":
    main()
