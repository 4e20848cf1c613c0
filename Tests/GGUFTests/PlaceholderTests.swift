import Testing
@testable import GGUF

@Test func moduleLoads() { _ = GGUFModule.self }
