import Testing

@testable import Alignment

/// Command-line overrides read from a config's key list: the options of earlier versions keep working.
@Suite struct ConfigOverridesTests {
    @Test func optionsAreTheKeysInKebabCase() throws {
        var config = DPOConfig()
        try config.override(with: [
            "--steps", "3", "--learning-rate=0.5", "--loss-type", "ipo", "--max-new-tokens", "9",
            "--keep-truncated-samples", "--top-k", "4",
        ])
        #expect(config.steps == 3 && config.learningRate == 0.5 && config.lossType == .ipo)
        #expect(config.sampling.maxNewTokens == 9 && config.keepTruncatedSamples && config.sampling.topK == 4)
    }

    @Test func switchesTakeNoValueANoPrefixOrAWord() throws {
        var config = RewardModelConfig()
        try config.override(with: [
            "--no-balance-lengths", "--score-margins", "--length-unit", "tokens",
            "--length-boundaries", "3,9",
        ])
        #expect(!config.balanceLengths && config.useScoreMargins && config.lengthUnit == .tokens)
        #expect(config.lengthBoundaries == [3, 9])
        var ppo = PPOConfig()
        try ppo.override(with: ["--reference-baseline", "false", "--missing-eos-penalty", "0.5", "--kl-target", "none"])
        #expect(!ppo.referenceBaseline && ppo.missingEOSPenalty == 0.5 && ppo.klTarget == nil)
        try ppo.override(with: ["--reference-baseline", "--kl-target", "3"])
        #expect(ppo.referenceBaseline && ppo.klTarget == 3)
    }

    @Test func unknownOptionsAndBadValuesAreNamed() {
        var config = SFTConfig()
        #expect(throws: ConfigOverrideError.unknownOption("--stesp")) { try config.override(with: ["--stesp", "3"]) }
        #expect(throws: ConfigOverrideError.invalidValue(option: "--steps", word: "many")) {
            try config.override(with: ["--steps", "many"])
        }
        #expect(throws: ConfigOverrideError.missingValue(option: "--steps")) { try config.override(with: ["--steps"]) }
        #expect(throws: ConfigOverrideError.unexpected("3")) { try config.override(with: ["3"]) }
        #expect(throws: ConfigOverrideError.unknownOption("--truncation-penalty")) {
            var ppo = PPOConfig()
            try ppo.override(with: ["--truncation-penalty", "-1"])
        }
    }

    @Test func kebabCaseKeepsAcronymsTogether() {
        #expect(ConfigKey<SFTConfig>.kebabCase("maxNewTokens") == "max-new-tokens")
        #expect(ConfigKey<SFTConfig>.kebabCase("missingEOSPenalty") == "missing-eos-penalty")
        #expect(ConfigKey<SFTConfig>.kebabCase("topK") == "top-k")
        #expect(ConfigKey<SFTConfig>.kebabCase("beta1") == "beta1")
    }

    @Test func helpListsEveryKeyWithItsDefault() {
        let help = SFTConfig.settingsHelp
        #expect(help.split(separator: "\n").count == SFTConfig.keyNames.count)
        #expect(help.contains("  learningRate, --learning-rate: peak learning rate of AdamW (default 0.0001)"))
        #expect(RewardModelConfig.settingsHelp.contains("  useScoreMargins, --[no-]score-margins:"))
        #expect(!PPOConfig.settingsHelp.contains("truncationPenalty"))
    }
}
