import Crypto
import Foundation

extension SHA256 {
    /// The lowercase hex SHA-256 of `text`'s UTF-8 bytes: what the store keeps instead of an access token. Tokens are
    /// high-entropy random strings, so a plain, unsalted hash is the right tool: nothing to brute-force, and a
    /// stored hash reveals nothing about the token.
    static func hex(_ text: String) -> String {
        hash(data: Data(text.utf8)).map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
        }.joined()
    }
}
