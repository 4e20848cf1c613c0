import Crypto
import Testing

@testable import AnnotationServer
@testable import PreferenceData

@Suite struct SecurityPrimitivesTests {
    /// NIST FIPS 180-4 examples and the padding edge cases (55, 56 and 64 bytes, more than one block).
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        (String(repeating: "a", count: 55), "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
        (String(repeating: "a", count: 56), "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
        (String(repeating: "a", count: 64), "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
        (String(repeating: "a", count: 1000), "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"),
    ])
    func sha256MatchesKnownDigests(input: String, expected: String) {
        #expect(SHA256.hex(input) == expected)
    }

    @Test func tokensAreRandomPrefixedAndURLSafe() {
        let tokens = (0..<200).map { _ in AccessToken.generate() }
        #expect(Set(tokens).count == tokens.count)
        for token in tokens {
            #expect(token.hasPrefix(AccessToken.annotatorPrefix))
            // 32 bytes of base64url without padding: 43 characters.
            #expect(token.count == AccessToken.annotatorPrefix.count + 43)
            #expect(token.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        }
        #expect(AccessToken.generate(prefix: AccessToken.adminPrefix).hasPrefix("rlhfadmin_"))
    }

    @Test func base64URLMatchesRFC4648() {
        #expect(AccessToken.base64URL(Array("f".utf8)) == "Zg")
        #expect(AccessToken.base64URL(Array("fo".utf8)) == "Zm8")
        #expect(AccessToken.base64URL(Array("foo".utf8)) == "Zm9v")
        #expect(AccessToken.base64URL(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(AccessToken.base64URL([0xFB, 0xFF]) == "-_8")
    }

    @Test func hashIsStableAndHidesTheToken() {
        let token = AccessToken.generate()
        let hash = AccessToken.hash(token)
        #expect(hash == AccessToken.hash(token))
        #expect(hash.hasPrefix("sha256:"))
        #expect(hash.count == 7 + 64)
        #expect(!hash.contains(token))
        #expect(hash != AccessToken.hash(token + "x"))
    }

    @Test func constantTimeEqualsComparesWholeStrings() {
        #expect(AccessToken.constantTimeEquals("abc", "abc"))
        #expect(!AccessToken.constantTimeEquals("abc", "abd"))
        #expect(!AccessToken.constantTimeEquals("abc", "xbc"))
        #expect(!AccessToken.constantTimeEquals("abc", "abcd"))
        #expect(AccessToken.constantTimeEquals("", ""))
    }

    @Test func configurationRefusesMissingOrWeakAdminTokens() throws {
        let directory = try TemporaryDirectory()
        let store = try PreferenceStore(path: directory.file("s.sqlite"))
        for token in ["", "   ", "short-token"] {
            #expect(throws: AnnotationServer.ConfigurationError.self) {
                try AnnotationServer(store: store, configuration: AnnotationServerConfiguration(adminToken: token))
            }
        }
        let message = AnnotationServerConfiguration(adminToken: "").problem()
        #expect(message?.contains("RLHF_ADMIN_TOKEN") == true)
        _ = try AnnotationServer(
            store: store,
            configuration: AnnotationServerConfiguration(
                adminToken: AccessToken.generate(prefix: AccessToken.adminPrefix)))
    }

    @Test func responseOrderIsStableBothWaysAndRoundTrips() {
        var swapped = 0
        for task in 1...200 {
            let order = ResponseOrder(task: AnnotationTaskID(Int64(task)), annotator: AnnotatorID(7), shuffle: true)
            #expect(
                order == ResponseOrder(task: AnnotationTaskID(Int64(task)), annotator: AnnotatorID(7), shuffle: true))
            if order.isSwapped { swapped += 1 }
            let label = LabelDraft(overall: .a, dimensions: [.safety: .b, .fluency: .tie], comment: "c")
            #expect(order.presented(order.stored(label)) == label)
            let shown = order.presented(responseA: "A", responseB: "B")
            #expect(shown == (order.isSwapped ? ("B", "A") : ("A", "B")))
            if order.isSwapped {
                #expect(order.stored(label).overall == .b && order.stored(label).dimensions[.safety] == .a)
            }
        }
        // Roughly half of the tasks are shown swapped.
        #expect((60...140).contains(swapped))
        #expect(!ResponseOrder(task: AnnotationTaskID(1), annotator: AnnotatorID(1), shuffle: false).isSwapped)
    }
}
