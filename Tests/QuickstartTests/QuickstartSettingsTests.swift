import Foundation
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
