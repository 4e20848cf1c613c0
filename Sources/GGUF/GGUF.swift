/// Reading llama.cpp's GGUF container: header, metadata key/values, tensor directory.
public enum GGUFModule {}
