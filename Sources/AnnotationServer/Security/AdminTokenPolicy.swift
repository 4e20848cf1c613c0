import Foundation

/// Which admin tokens the server accepts: the format `rlhf annotate new-admin-token` prints, or a long secret that is
/// not a short pattern repeated. A placeholder such as `changeme…` or `aaaa…` would let anyone who guesses it
/// administer the server, so the server refuses to start with one.
public enum AdminTokenPolicy {
    /// The shortest admin token not in the `new-admin-token` format.
    public static var minimumLength: Int { AccessToken.minimumAdminTokenLength }
    /// The fewest different characters such a token must use.
    public static let minimumDistinctCharacters = 8
    /// Characters of the random part of a `new-admin-token` token (32 bytes, unpadded base64url).
    static let generatedBodyLength = 43

    /// Why `token` is not acceptable as the admin token, in one line, or nil if it is.
    public static func problem(_ token: String) -> String? {
        if token.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return "no admin token: set RLHF_ADMIN_TOKEN (`rlhf annotate new-admin-token` prints a fresh one)"
        }
        if token.hasPrefix(AccessToken.adminPrefix) {
            let body = token.dropFirst(AccessToken.adminPrefix.count)
            guard body.count == generatedBodyLength, body.allSatisfy(isBase64URL), !isWeak(body) else {
                return
                    "RLHF_ADMIN_TOKEN starts with \(AccessToken.adminPrefix) but is not a token `rlhf annotate new-admin-token` "
                    + "printed (\(AccessToken.adminPrefix) and \(generatedBodyLength) random base64url characters): make a new one"
            }
            return nil
        }
        if token.count < minimumLength {
            return "RLHF_ADMIN_TOKEN is too short (\(token.count) characters; at least \(minimumLength)): "
                + "use `rlhf annotate new-admin-token`"
        }
        if isWeak(Substring(token)) {
            return
                "RLHF_ADMIN_TOKEN is a short pattern repeated or uses fewer than \(minimumDistinctCharacters) different "
                + "characters, so it is easy to guess: use `rlhf annotate new-admin-token`"
        }
        return nil
    }

    /// Whether `text` repeats a pattern at most half its length (`abcabcab…`) or uses too few different characters.
    static func isWeak(_ text: Substring) -> Bool {
        let characters = Array(text)
        if Set(characters).count < minimumDistinctCharacters { return true }
        // The smallest period p with characters[i] == characters[i - p] everywhere; a whole-string period means none.
        for period in 1...max(1, characters.count / 2) where period < characters.count {
            if (period..<characters.count).allSatisfy({ characters[$0] == characters[$0 - period] }) { return true }
        }
        return false
    }

    private static func isBase64URL(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "-" || character == "_")
    }
}
