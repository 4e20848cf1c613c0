import Foundation
import PreferenceData

/// Finds who a token belongs to: the admin, a person, or nobody.
///
/// Tokens are never stored or compared as they are: the presented token is hashed and the hash is compared with
/// the admin token's hash and the stored annotator hashes in constant time. The store is queried by hash (an index
/// lookup); that reveals nothing usable, since learning a hash does not help to find a token that has it.
struct Authenticator: Sendable {
    let store: PreferenceStore
    let adminTokenHash: String

    init(store: PreferenceStore, adminToken: String) {
        self.store = store
        adminTokenHash = AccessToken.hash(adminToken)
    }

    /// The caller a token identifies, or nil.
    func caller(token: String) async throws -> Caller? {
        guard !token.isEmpty, token.utf8.count <= 512 else { return nil }
        let hash = AccessToken.hash(token)
        if AccessToken.constantTimeEquals(hash, adminTokenHash) { return .admin }
        return try await annotator(tokenHash: hash).map(Caller.annotator)
    }

    /// The active person whose token has `hash`; only people sign in (models and datasets label through imports),
    /// and a deactivated person's token stops working at once.
    func annotator(tokenHash hash: String) async throws -> Annotator? {
        guard let annotator = try await store.annotator(withTokenHash: hash), let stored = annotator.tokenHash,
            AccessToken.constantTimeEquals(stored, hash), annotator.kind == .human, annotator.isActive
        else { return nil }
        return annotator
    }

    /// The token of an `Authorization: Bearer <token>` header value, or nil.
    static func bearerToken(_ header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}
