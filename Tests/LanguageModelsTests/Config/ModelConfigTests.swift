import Foundation
import TensorEngine
import Testing

@testable import LanguageModels

/// config.json in both transformers layouts, and clear errors for what we cannot run.
@Suite struct ModelConfigTests {
    let llama: [String: Any] = [
        "model_type": "llama", "vocab_size": 100, "hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 4,
        "num_key_value_heads": 2, "intermediate_size": 64, "rms_norm_eps": 1e-5, "eos_token_id": [2, 7],
    ]

    @Test func bothRopeLayoutsAndDtypeKeys() throws {
        var old = llama; old["rope_theta"] = 100_000.0; old["torch_dtype"] = "bfloat16"
        var new = llama; new["rope_parameters"] = ["rope_theta": 100_000.0, "rope_type": "default"];
        new["dtype"] = "float32"
        let a = try ModelConfig(json: old, source: "old.json"), b = try ModelConfig(json: new, source: "new.json")
        #expect(a.ropeTheta == 100_000 && b.ropeTheta == 100_000)
        #expect(a == b)
        #expect(a.headDim == 8 && a.kvHeadCount == 2 && a.eosTokenIds == [2, 7] && !a.tieWordEmbeddings)
    }

    @Test func unsupportedThingsAreNamed() {
        func problem(_ json: [String: Any]) -> String {
            do { _ = try ModelConfig(json: json, source: "m/config.json"); return "" } catch { return "\(error)" }
        }
        var t5 = llama; t5["model_type"] = "t5"
        #expect(problem(t5).hasPrefix("m/config.json: unsupported model_type \"t5\""))
        var scaled = llama; scaled["rope_scaling"] = ["rope_type": "yarn", "factor": 4.0]
        #expect(problem(scaled).contains("unsupported rope_type \"yarn\""))
        var noVocab = llama; noVocab.removeValue(forKey: "vocab_size")
        #expect(problem(noVocab).contains("missing integer \"vocab_size\""))
        var badHeads = llama; badHeads["num_key_value_heads"] = 3
        #expect(problem(badHeads).contains("not a multiple"))
    }

    @Test func missingOrMisshapenWeightsNameTheTensor() throws {
        let config = try ModelConfig(json: llama, source: "config.json")
        let empty = WeightSet([:], source: "ckpt.safetensors")
        #expect { _ = try TransformerLM(config: config, weights: empty) } throws: {
            "\($0)" == "ckpt.safetensors: missing tensor \"model.embed_tokens.weight\""
        }
        let wrong = WeightSet(["model.embed_tokens.weight": Tensor.zeros([100, 16])], source: "ckpt.safetensors")
        #expect { _ = try TransformerLM(config: config, weights: wrong) } throws: {
            "\($0)".contains("has shape [100, 16], expected [100, 32]")
        }
    }
}
