import Testing
@testable import PreferenceData

@Test func moduleLoads() { _ = PreferenceDataModule.self }
