import Foundation
import TensorEngine
import Testing

@testable import LanguageModels

/// LoRA adapters: PEFT's forward pass and 5-step training trajectory (fixtures by `scripts/make_lora_fixtures.py`),
/// gradients by finite differences, PEFT's file layout both ways, merging, the adapter switch, shared bases and the
/// one-line errors for adapters that do not fit.
@Suite struct LoRATests {
    static let fixtures = ModuleTests.fixtures

    static func base(_ name: String) throws -> TransformerLM {
        try TransformerLM.load(directory: fixtures.appendingPathComponent(name))
    }

    /// Whether `a` is within 1e-4 relative + 1e-5 absolute of `b` everywhere.
    static func close(_ a: [Float], _ b: [Float]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= 1e-5 + 1e-4 * abs($1) }
    }

    /// PEFT's adapter (random A and B) gives PEFT's logits; 5 AdamW steps on the adapters alone give PEFT's losses
    /// and its final adapter weights (all ≤ 1e-4 relative + 1e-5 absolute).
    @Test(arguments: ["qwen2-tiny", "gpt2-tiny"])
    func followsPEFTsTrajectory(_ name: String) throws {
        let model = try Self.base(name)
        let adapterDir = Self.fixtures.appendingPathComponent("lora-" + name)
        try model.loadAdapters(from: adapterDir)
        let expected = try Safetensors.read(adapterDir.appendingPathComponent("trajectory.safetensors"))
        let file = try SafetensorsFile(url: adapterDir.appendingPathComponent("trajectory.safetensors"))
        let ids = try file.intTensor("input_ids")
        let logits = withNoGrad { model(ids) }
        #expect(Self.close(logits.scalars, try #require(expected["logits"]).scalars))

        let (b, t) = (ids.shape[0], ids.shape[1])
        let inputs = IntTensor(
            shape: [b, t - 1], scalars: (0..<b).flatMap { r in ids.scalars[(r * t)..<(r * t + t - 1)] })
        let targets = IntTensor(
            shape: [b * (t - 1)], scalars: (0..<b).flatMap { r in ids.scalars[(r * t + 1)..<((r + 1) * t)] })
        let optimizer = AdamW(parameters: model.trainableParameters, learningRate: 1e-2, weightDecay: 0)
        #expect(model.trainableParameters.count == 2 * model.adapters.count)
        var losses: [Float] = []
        model.setTrainable(true)
        for _ in 0..<5 {
            optimizer.zeroGrad()
            let out = model(inputs)
            let loss = crossEntropy(out.reshaped([b * (t - 1), model.config.vocabSize]), targets: targets)
            losses.append(loss.item())
            loss.backward()
            optimizer.step()
        }
        let reference = try #require(expected["losses"]).scalars
        #expect(Self.close(losses, reference), "\(losses) vs \(reference)")
        for (path, adapter) in model.adapters {
            for (key, linear) in [("lora_A", adapter.down), ("lora_B", adapter.up)] {
                let want = try #require(expected["final.base_model.model.\(path).\(key).weight"])
                let got = linear.weight.tensor.scalars
                let worst = zip(got, want.scalars).map { abs($0 - $1) - 1e-4 * abs($1) }.max() ?? 0
                #expect(worst <= 1e-5, "\(path).\(key)")
            }
        }
    }

    /// Central differences for A, B and the input of an adapted layer, in a Double-summed loss: 1e-2 relative +
    /// 3e-3 absolute (Float32's reach with step 5e-3).
    @Test func adaptedLayerGradientsMatchFiniteDifferences() throws {
        let linear = Linear(key: "proj", inputs: 5, outputs: 4, bias: .required)
        linear.initialize(seed: 1, std: 0.5)
        linear.freeze()
        linear.adapter = LoRAAdapter(
            inputs: 5, outputs: 4, settings: LoRASettings(rank: 2, alpha: 3), seed: 4)
        var generator = RandomGenerator(seed: 7)
        linear.adapter!.up.weight.install(Tensor.randn([4, 2], std: 0.5, generator: &generator))
        let x = Tensor.randn([3, 5], generator: &generator)
        let weights = Tensor.randn([3, 4], generator: &generator)
        let inputs = [linear.adapter!.down.weight.tensor, linear.adapter!.up.weight.tensor, x]
        for t in inputs { t.requiringGrad() }
        (linear(x) * weights).sum().backward()
        #expect(linear.weight.tensor.grad == nil, "the frozen base collects no gradient")
        func loss() -> Double {
            zip(withNoGrad { linear(x) }.scalars, weights.scalars).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }
        try expectGradientsMatchFiniteDifferences(inputs, loss: loss)
    }

    /// Fresh adapters start at B = 0 (the model is its base), train only themselves, switch off to the base, and
    /// merge into weights that give the adapted logits.
    @Test func freshAdaptersSwitchOffAndMerge() throws {
        let model = try Self.base("qwen2-tiny")
        let ids = IntTensor(shape: [1, 6], scalars: [3, 14, 15, 9, 26, 5])
        let before = withNoGrad { model(ids) }.scalars
        let paths = try model.addAdapters(LoRASettings(rank: 3, alpha: 6), seed: 1)
        #expect(paths.count == 2 * 7)
        #expect(paths.first == "model.layers.0.self_attn.q_proj")
        #expect(withNoGrad { model(ids) }.scalars == before)
        #expect(model.trainableParameters.count == 2 * paths.count)
        #expect(model.parameter(at: "model.layers.1.mlp.down_proj.lora_B.weight")?.shape == [32, 3])
        for (_, adapter) in model.adapters {
            adapter.up.weight.tensor.withUnsafeMutableBufferPointer { $0.update(repeating: 0.05) }
        }
        let adapted = withNoGrad { model(ids) }.scalars
        #expect(!Self.close(adapted, before))
        #expect(withNoGrad { model.withAdaptersDisabled { model(ids) } }.scalars == before)
        #expect(withNoGrad { model(ids) }.scalars == adapted, "the switch turns back on")
        model.mergeAdapters()
        #expect(!model.hasAdapters)
        #expect(Self.close(withNoGrad { model(ids) }.scalars, adapted))
    }

    /// Greedy decoding with adapters (packed weights plus the adapter's term) picks the tokens the full forward pass
    /// does.
    @Test func decodingWithAdaptersMatchesTheForwardPass() throws {
        let model = try Self.base("qwen2-tiny")
        try model.loadAdapters(from: Self.fixtures.appendingPathComponent("lora-qwen2-tiny"))
        let prompt = IntTensor(shape: [1, 4], scalars: [3, 14, 15, 9])
        let logitsFull = withNoGrad { model(prompt) }
        let packed = withNoGrad { model.withDecodingPacks { model(prompt) } }
        #expect(Self.close(packed.scalars, logitsFull.scalars))
    }

    /// Saved with its adapters, a model loads back the same (adapters in PEFT's files beside the base); saved
    /// without, stale adapter files are removed.
    @Test func savesAndLoadsPEFTFiles() throws {
        let model = try Self.base("qwen2-tiny")
        try model.loadAdapters(from: Self.fixtures.appendingPathComponent("lora-qwen2-tiny"))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lora-save-\(UUID())")
        defer { try? FileManager.default.removeItem(at: dir) }
        try model.save(to: dir)
        let names = Set(try SafetensorsFile(url: dir.appendingPathComponent("adapter_model.safetensors")).names)
        #expect(names.contains("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"))
        let base = Set(try SafetensorsFile(url: dir.appendingPathComponent("model.safetensors")).names)
        #expect(!base.contains { $0.contains("lora_") })
        let loaded = try TransformerLM.load(directory: dir)
        let ids = IntTensor(shape: [1, 5], scalars: [1, 2, 3, 4, 5])
        #expect(withNoGrad { loaded(ids) }.scalars == withNoGrad { model(ids) }.scalars)
        #expect(loaded.trainableParameters.count == 2 * loaded.adapters.count)
        #expect(loaded.adapterSettings == LoRASettings(rank: 4, alpha: 8, targets: loaded.adapterSettings!.targets))

        let copy = loaded.copy()
        #expect(withNoGrad { copy(ids) }.scalars == withNoGrad { model(ids) }.scalars)
        loaded.mergeAdapters()
        try loaded.save(to: dir)
        #expect(!PEFTAdapterFiles.exist(in: dir))
        #expect(!(try TransformerLM.load(directory: dir)).hasAdapters)
    }

    /// Resuming a LoRA run puts the saved adapter weights into the model it holds: the outputs are the saved model's,
    /// the bf16 base and its sharing with a reference stay; adapters of another rank are refused, naming the tensor.
    @Test func restoringAdapterWeightsKeepsTheBaseAsItIs() throws {
        let saved = try Self.base("qwen2-tiny")
        try saved.loadAdapters(from: Self.fixtures.appendingPathComponent("lora-qwen2-tiny"))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lora-restore-\(UUID())")
        defer { try? FileManager.default.removeItem(at: dir) }
        try saved.save(to: dir)

        let running = try Self.base("qwen2-tiny")
        try running.addAdapters(saved.adapterSettings!, seed: 7)
        running.storeFrozenWeights(as: .bf16)
        let reference = try running.sharingBaseWeights()
        try running.restoreAdapterWeights(from: dir)
        for ((_, a), (_, b)) in zip(running.adapters, saved.adapters) {
            #expect(a.down.weight.tensor.scalars == b.down.weight.tensor.scalars)
            #expect(a.up.weight.tensor.scalars == b.up.weight.tensor.scalars)
        }
        #expect(running.baseParameterSlots.contains { $0.parameter.bfloat16 != nil })
        let stillShared = zip(reference.parameterSlots, running.baseParameterSlots).allSatisfy { r, b in
            let (x, y) = (r.parameter, b.parameter)
            return x.bfloat16 != nil ? x.bfloat16 === y.bfloat16 : x.tensorIfPresent === y.tensorIfPresent
        }
        #expect(stillShared && reference.parameterSlots.count == running.baseParameterSlots.count)

        let other = try Self.base("qwen2-tiny")
        try other.addAdapters(LoRASettings(rank: 2, alpha: 4, targets: saved.adapterSettings!.targets), seed: 0)
        #expect {
            try other.restoreAdapterWeights(from: dir)
        } throws: { error in
            "\(error)".contains("lora_A.weight") && "\(error)".contains("expected [2,")
        }
        #expect(throws: ModelLoadingError.self) { try Self.base("qwen2-tiny").restoreAdapterWeights(from: dir) }
    }

    /// The reference of a LoRA run shares the base's tensors (no copy) and has no adapters; sharing a model whose
    /// weights train is refused.
    @Test func sharedBaseCostsNoCopy() throws {
        let model = try Self.base("qwen2-tiny")
        #expect(throws: LoRAError.self) { try model.sharingBaseWeights() }
        try model.addAdapters(LoRASettings(rank: 2, alpha: 2), seed: 0)
        let view = try model.sharingBaseWeights()
        #expect(!view.hasAdapters)
        let shared = zip(view.namedParameters, model.baseNamedParameters).allSatisfy { $0.1 === $1.1 }
        #expect(shared && view.namedParameters.count == model.baseNamedParameters.count)
        #expect(view.trainableParameters.isEmpty)
    }

    /// Adapters that do not fit their base, or configs LoRA here does not do, end in one line naming the field, the
    /// tensor or the layer.
    @Test func misfitsNameTheFieldOrTensor() throws {
        let source = Self.fixtures.appendingPathComponent("lora-qwen2-tiny")
        func attempt(_ edit: (URL) throws -> Void) throws -> String {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lora-bad-\(UUID())")
            defer { try? FileManager.default.removeItem(at: dir) }
            try FileManager.default.copyItem(at: source, to: dir)
            try edit(dir)
            let model = try Self.base("qwen2-tiny")
            do {
                try model.loadAdapters(from: dir)
            } catch let error as ModelLoadingError {
                #expect(!model.hasAdapters, "a failed load leaves the model as it was")
                return error.description
            }
            Issue.record("loaded a broken adapter")
            return ""
        }
        func editConfig(_ dir: URL, _ change: (inout [String: Any]) -> Void) throws {
            let url = dir.appendingPathComponent("adapter_config.json")
            var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
            change(&json)
            try JSONSerialization.data(withJSONObject: json).write(to: url)
        }
        #expect(
            try attempt { try editConfig($0) { $0["r"] = 8 } }.contains(
                "lora_A.weight\" has shape [4, 32], expected [8, 32]"))
        #expect(
            try attempt { try editConfig($0) { $0["target_modules"] = ["q_proj", "qkv"] } }.contains(
                "\"qkv\" matches no layer"))
        #expect(
            try attempt { try editConfig($0) { $0["target_modules"] = ["q_proj"] } }.contains(
                "lora_A.weight\" adapts no layer the config targets"))
        #expect(try attempt { try editConfig($0) { $0["use_dora"] = true } }.contains("\"use_dora\""))
        #expect(try attempt { try editConfig($0) { $0["lora_alpha"] = "eight" } }.contains("\"lora_alpha\""))
        #expect(try attempt { try editConfig($0) { $0["peft_type"] = "IA3" } }.contains("not LORA"))
        #expect(
            try attempt { try Data("{".utf8).write(to: $0.appendingPathComponent("adapter_config.json")) }.contains(
                "not a JSON object"))
        let gpt2 = try Self.base("gpt2-tiny")
        #expect(throws: ModelLoadingError.self) { try gpt2.loadAdapters(from: source) }
    }

    /// Frozen weights kept in bf16 compute exactly what an f32 model with those rounded weights computes (1e-4
    /// relative + 1e-5: only the summation order differs), in the forward pass and in decoding; the log-prob
    /// difference against the unrounded model is printed (bf16 keeps 8 bits of mantissa). With widened products: with
    /// AVX512_BF16's, activations are rounded too (BFloat16OpsTests checks those products).
    @Test(arguments: ["qwen2-tiny", "gpt2-tiny", "qwen2-tiny-bf16"])
    func bf16FrozenWeightsComputeTheRoundedModel(_ name: String) throws {
        try BFloat16Products.withMode(.widened) { try checkRoundedModel(name) }
    }

    func checkRoundedModel(_ name: String) throws {
        let model = try Self.base(name)
        try model.addAdapters(LoRASettings(rank: 2, alpha: 4), seed: 3)
        for (_, adapter) in model.adapters {
            adapter.up.weight.tensor.withUnsafeMutableBufferPointer { $0.update(repeating: 0.02) }
        }
        let exact = model.copy()
        model.storeFrozenWeights(as: .bf16)
        #expect(model.decoder.tokenEmbedding.weight.bfloat16 != nil)
        #expect(model.decoder.finalNorm.parameterSlots.allSatisfy { $0.parameter.bfloat16 == nil }, "vectors stay f32")
        #expect(model.adapters.allSatisfy { $0.adapter.down.weight.bfloat16 == nil }, "adapters stay f32")
        let rounded = exact.copy()
        for ((_, p), (_, q)) in zip(rounded.baseParameterSlots, model.baseParameterSlots) {
            if let half = q.bfloat16 { p.install(half.toTensor()) }
        }
        let ids = IntTensor(shape: [2, 5], scalars: [3, 14, 15, 9, 26, 5, 35, 8, 9, 7])
        let got = withNoGrad { model(ids) }
        #expect(Self.close(got.scalars, withNoGrad { rounded(ids) }.scalars))
        #expect(Self.close(withNoGrad { model.withDecodingPacks { model(ids) } }.scalars, got.scalars))
        let logProbs = withNoGrad { got.logSoftmax() }.scalars
        let exactLogProbs = withNoGrad { exact(ids).logSoftmax() }.scalars
        let gap = zip(logProbs, exactLogProbs).map { abs($0 - $1) }.max() ?? 0
        print("\(name): bf16 frozen weights change log-probs by at most \(gap)")
        #expect(name.hasSuffix("bf16") ? gap < 1e-4 : gap > 0, "a bf16 checkpoint loses nothing")
        // Gradients reach the adapters through bf16 layers.
        model.setTrainable(true)
        model(ids).sum().backward()
        #expect(model.adapters.allSatisfy { $0.adapter.down.weight.tensor.grad != nil })
    }

    /// Activation checkpointing recomputes each block in the backward pass and gets the same gradients (1e-5
    /// relative + 1e-7), for full fine-tuning and for adapters on a frozen base (whose first block's input needs no
    /// gradient at all).
    @Test(arguments: [false, true])
    func checkpointedBlocksGiveTheSameGradients(_ withAdapters: Bool) throws {
        func gradients(checkpointing: Bool) throws -> [[Float]] {
            let model = try Self.base("qwen2-tiny")
            if withAdapters {
                try model.addAdapters(LoRASettings(rank: 2, alpha: 4), seed: 3)
                for (_, adapter) in model.adapters {
                    adapter.up.weight.tensor.withUnsafeMutableBufferPointer { $0.update(repeating: 0.02) }
                }
            }
            model.setTrainable(true)
            model.checkpointsActivations = checkpointing
            let ids = IntTensor(shape: [2, 5], scalars: [3, 14, 15, 9, 26, 5, 35, 8, 9, 7])
            let targets = IntTensor(shape: [10], scalars: [14, 15, 9, 26, 2, 35, 8, 9, 7, 1])
            crossEntropy(model(ids).reshaped([10, model.config.vocabSize]), targets: targets).backward()
            return try model.trainableParameters.map { try #require($0.grad).scalars }
        }
        let plain = try gradients(checkpointing: false), recomputed = try gradients(checkpointing: true)
        #expect(plain.count == recomputed.count && !plain.isEmpty)
        for (a, b) in zip(recomputed, plain) {
            #expect(zip(a, b).allSatisfy { abs($0 - $1) <= 1e-7 + 1e-5 * abs($1) })
        }
    }
}
