import Foundation
import SyntheticTask
import Testing

@testable import Quickstart

@Suite struct QuickstartSettingsTests {
    @Test func presetsAreValidAndFastIsSmaller() {
        #expect(QuickstartSettings.standard.problem == nil)
        #expect(QuickstartSettings.fast.problem == nil)
        #expect(QuickstartSettings.fast.sftSteps < QuickstartSettings.standard.sftSteps)
        #expect(QuickstartSettings.fast.ppoIterations < QuickstartSettings.standard.ppoIterations)
        #expect(QuickstartSettings.fast.mode == .fast && QuickstartSettings.standard.mode == .standard)
    }

    @Test func overridesReplaceNamedFieldsOnly() throws {
        let changed = try QuickstartSettings.fast.overriding(
            with: ["ppoIterations": 3, "sftLearningRate": 0.5], source: "c.yaml")
        #expect(changed.ppoIterations == 3)
        #expect(changed.sftLearningRate == 0.5)
        var expected = QuickstartSettings.fast
        expected.ppoIterations = 3
        expected.sftLearningRate = 0.5
        #expect(changed == expected)
    }

    @Test func unknownOrMistypedOverridesNameTheFileAndField() {
        #expect(throws: QuickstartError.self) {
            try QuickstartSettings.fast.overriding(with: ["ppoIteration": 3], source: "c.yaml")
        }
        do {
            _ = try QuickstartSettings.fast.overriding(with: ["ppoIterations": "many"], source: "c.yaml")
            Issue.record("a string for an integer setting was accepted")
        } catch let error as QuickstartError {
            #expect(error.description.hasPrefix("c.yaml: ppoIterations"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func problemsAreReported() {
        var settings = QuickstartSettings.fast
        settings.headCount = 3
        #expect(settings.problem?.contains("multiple of headCount") == true)
        settings = .fast
        settings.labelsPerTask = settings.annotators + 1
        #expect(settings.problem?.contains("labelsPerTask") == true)
        settings = .fast
        settings.dpoPrompts = settings.rlPrompts + 1
        #expect(settings.problem?.contains("dpoPrompts") == true)
        settings = .fast
        settings.ablationSeeds = 0
        #expect(settings.problem == "ablationSeeds must be at least 1, got 0")
        settings = .fast
        settings.bestOfSamples = 0
        #expect(settings.problem == "bestOfSamples must be at least 1, got 0")
        settings = .fast
        settings.evalTemperature = 0
        #expect(settings.problem?.contains("evalTemperature") == true)
        settings = .fast
        settings.ppoMissingEOSPenalty = -1
        #expect(settings.problem == "ppoMissingEOSPenalty must be a finite number ≥ 0, got -1.0")
    }

    /// run.json of earlier runs names the preset as the strings "default" and "fast"; they still decode, and are
    /// still what is written.
    @Test func presetNamesAreTheEarlierStrings() throws {
        for (settings, name) in [(QuickstartSettings.standard, "default"), (QuickstartSettings.fast, "fast")] {
            let fields = try JSONSerialization.jsonObject(with: JSONEncoder().encode(settings)) as! [String: Any]
            #expect(fields["mode"] as? String == name)
            #expect(
                try JSONDecoder().decode(QuickstartSettings.self, from: JSONSerialization.data(withJSONObject: fields))
                    == settings)
        }
    }

    @Test func stageSeedsAreStableAndDistinct() {
        let settings = QuickstartSettings.fast
        #expect(settings.seed(for: "sft") == settings.seed(for: "sft"))
        #expect(settings.seed(for: "sft") != settings.seed(for: "ppo"))
        var other = settings
        other.seed += 1
        #expect(other.seed(for: "sft") != settings.seed(for: "sft"))
    }
}

@Suite struct RealModelSettingsTests {
    @Test func realModelPresetsAreValidUseLoRAAndFastIsSmaller() {
        let standard = QuickstartSettings.realModel(at: "/models/chat.gguf")
        let fast = QuickstartSettings.realModel(at: "/models/chat.gguf", fast: true)
        #expect(standard.problem == nil && fast.problem == nil)
        #expect(standard.mode == .realModel && fast.mode == .realModelFast)
        #expect(standard.model == "/models/chat.gguf" && standard.loraRank == 16)
        #expect(fast.ppoIterations < standard.ppoIterations && fast.evalPrompts < standard.evalPrompts)
        #expect(QuickstartSettings.standard.model == nil && QuickstartSettings.standard.loraRank == nil)
        var negative = standard
        negative.loraRank = -1
        #expect(negative.problem?.contains("loraRank") == true)
        // A real model's settings are overridable like any others (they are present in the encoded settings).
        #expect((try? standard.overriding(with: ["loraRank": 8], source: "c.yaml"))?.loraRank == 8)
    }

    @Test func aRunManifestFromBeforeRealModelsStillReads() throws {
        // run.json files written before the real-model fields existed have no such keys.
        let encoded = try JSONEncoder().encode(QuickstartSettings.fast)
        var fields = try #require(try JSONSerialization.jsonObject(with: encoded) as? [String: Any])
        #expect(fields["model"] == nil && fields["loraRank"] == nil)
        fields["model"] = nil
        let decoded = try JSONDecoder().decode(
            QuickstartSettings.self, from: JSONSerialization.data(withJSONObject: fields))
        #expect(decoded == .fast)
    }

    @Test func theRealModelSFTCorpusHoldsOnlyGoodAnswers() {
        var settings = QuickstartSettings.realModel(at: "/m.gguf", fast: true)
        settings.sftPrompts = 60
        #expect(TaskSplits(settings: settings).sft.examples.allSatisfy { $0.quality == .good })
        #expect(TaskSplits(settings: .fast).sft.examples.contains { $0.quality != .good })
    }
}

@Suite struct RealModelSFTIsOptionalTests {
    @Test func zeroSFTStepsIsAllowedOnlyForARealModel() {
        var real = QuickstartSettings.realModel(at: "/m.gguf")
        real.sftSteps = 0
        #expect(real.problem == nil)
        var scratch = QuickstartSettings.fast
        scratch.sftSteps = 0
        #expect(scratch.problem == "sftSteps must be at least 1, got 0")
    }
}
