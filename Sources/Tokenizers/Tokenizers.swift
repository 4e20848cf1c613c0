/// Byte-level BPE tokenizers (Hugging Face tokenizer.json, vocab.json + merges.txt, GGUF) and chat templates.
public enum TokenizersModule {}
