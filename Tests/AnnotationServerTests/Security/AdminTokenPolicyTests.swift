import Testing

@testable import AnnotationServer
@testable import PreferenceData

/// Which admin tokens the server accepts (issue 14, item 3): what `new-admin-token` prints, or 32+ characters that
/// are not a short pattern repeated.
@Suite struct AdminTokenPolicyTests {
    @Test func acceptsGeneratedTokensAndLongIrregularSecrets() {
        for _ in 0..<20 {
            #expect(AdminTokenPolicy.problem(AccessToken.generate(prefix: AccessToken.adminPrefix)) == nil)
        }
        #expect(AdminTokenPolicy.problem("test-admin-token-0123456789abcdef") == nil)
        #expect(AdminTokenPolicy.problem("Xk2p9QmZr4Lw8vNc7TfH3jBd6GsYa1Ue") == nil)
    }

    @Test func refusesShortRepeatedAndDamagedTokens() throws {
        let refused = [
            "", "   ", "too-short", String(repeating: "x", count: 31),
            String(repeating: "a", count: 64), String(repeating: "abcd", count: 10),
            String(repeating: "0123456789", count: 4),
            String(repeating: "password", count: 5), String(repeating: "abcdefg", count: 5),
            AccessToken.adminPrefix + String(repeating: "A", count: 43), AccessToken.adminPrefix + "short",
            AccessToken.adminPrefix + String(repeating: "Ab3$", count: 11).prefix(43),
        ]
        for token in refused {
            let problem = try #require(AdminTokenPolicy.problem(token), "accepted \(token)")
            #expect(problem.contains("RLHF_ADMIN_TOKEN"), "\(problem)")
            #expect(!problem.contains("\n"))
        }
        #expect(AdminTokenPolicy.problem("too-short")?.contains("too short") == true)
    }

    @Test func theServerRefusesToStartWithAWeakToken() throws {
        let directory = try TemporaryDirectory()
        let store = try PreferenceStore(path: directory.file("store.sqlite"))
        #expect(throws: AnnotationServer.ConfigurationError.self) {
            _ = try AnnotationServer(
                store: store,
                configuration: AnnotationServerConfiguration(adminToken: String(repeating: "abcd", count: 10)))
        }
    }
}
