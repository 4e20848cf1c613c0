import Testing
@testable import Tokenizers

@Test func moduleLoads() { _ = TokenizersModule.self }
