import Crypto

/// Bearer tokens: generated at random, stored and compared only as hashes, compared in constant time.
public enum AccessToken {
    /// Prefix of annotator tokens (lets secret scanners and people recognise one).
    public static let annotatorPrefix = "rlhfa_"
    /// Prefix of admin tokens made by `rlhf annotate new-admin-token`.
    public static let adminPrefix = "rlhfadmin_"
    /// The shortest admin token the server accepts that is not in the `new-admin-token` format (`AdminTokenPolicy`).
    public static let minimumAdminTokenLength = 32

    /// A fresh token: `prefix` and 32 bytes from the system's cryptographic random source, base64url-encoded
    /// (256 bits: never guessed, so a fast hash suffices to store it).
    public static func generate(prefix: String = annotatorPrefix) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return prefix + base64URL(bytes)
    }

    /// What the store keeps instead of a token (`sha256:` and the hex digest).
    public static func hash(_ token: String) -> String {
        "sha256:" + SHA256.hex(token)
    }

    /// Whether two strings are equal, taking the same time wherever they differ, so response times do not reveal
    /// how much of a secret a guess got right. (Different lengths return at once: callers compare fixed-length
    /// hashes, whose length is public.)
    public static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }

    /// Unpadded base64url (RFC 4648 §5): safe in URLs, cookies and headers without escaping.
    static func base64URL(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        var output = ""
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            var value = 0
            for (position, byte) in chunk.enumerated() { value |= Int(byte) << (16 - 8 * position) }
            for position in 0...chunk.count { output.append(alphabet[(value >> (18 - 6 * position)) & 0x3F]) }
            index += 3
        }
        return output
    }
}
