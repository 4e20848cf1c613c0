import Foundation
import PreferenceData

/// The web UI's sign-ins: sessions (a random id in a cookie, with the CSRF token of its forms) and single-use
/// sign-in links. Kept in memory, keyed by the SHA-256 of the secret so a dump of memory holds no usable cookie;
/// a restart signs everyone out, which costs a sign-in and loses no work (labels are in the store).
actor SessionStore {
    /// A signed-in annotator.
    struct Session: Sendable {
        /// Who signed in.
        var annotatorID: AnnotatorID
        /// Their token's hash when they signed in: a replaced token ends the session.
        var tokenHash: String
        /// The token every form of this session must carry (compared in constant time).
        var csrfToken: String
        /// When the session ends.
        var expiresAt: Date
    }

    /// A signed-in admin (signed in with the admin token; kept apart from annotators' sessions, so an annotator's
    /// cookie never opens an admin page).
    struct AdminSession: Sendable {
        /// The token every admin form must carry.
        var csrfToken: String
        /// When the session ends.
        var expiresAt: Date
    }

    /// A sign-in link handed out by the admin.
    struct SignInLink: Sendable {
        /// The secret in the link's path.
        var secret: String
        /// When it stops working.
        var expiresAt: Date
    }

    private struct PendingLink {
        var annotatorID: AnnotatorID
        var tokenHash: String
        var expiresAt: Date
    }

    private let sessionLifetime: TimeInterval
    private let linkLifetime: TimeInterval
    private var sessions: [String: Session] = [:]
    private var links: [String: PendingLink] = [:]
    private var adminSessions: [String: AdminSession] = [:]
    private var lastPrune = Date.distantPast

    init(sessionLifetime: TimeInterval, linkLifetime: TimeInterval) {
        self.sessionLifetime = sessionLifetime
        self.linkLifetime = linkLifetime
    }

    /// Signs `annotator` in; returns the session id for the cookie and the session.
    func createSession(for annotator: Annotator, now: Date) -> (id: String, session: Session) {
        prune(now: now)
        let id = AccessToken.generate(prefix: "")
        let session = Session(
            annotatorID: annotator.id, tokenHash: annotator.tokenHash ?? "",
            csrfToken: AccessToken.generate(prefix: ""), expiresAt: now.addingTimeInterval(sessionLifetime))
        sessions[AccessToken.hash(id)] = session
        return (id, session)
    }

    /// The unexpired session with cookie value `id`.
    func session(id: String, now: Date) -> Session? {
        Self.unexpired(&sessions, id: id, now: now, expiry: \.expiresAt)
    }

    /// Ends the session with cookie value `id`.
    func endSession(id: String) {
        sessions[AccessToken.hash(id)] = nil
    }

    /// Signs the admin in; returns the session id for the admin cookie and the session.
    func createAdminSession(now: Date) -> (id: String, session: AdminSession) {
        prune(now: now)
        let id = AccessToken.generate(prefix: "")
        let session = AdminSession(
            csrfToken: AccessToken.generate(prefix: ""), expiresAt: now.addingTimeInterval(sessionLifetime))
        adminSessions[AccessToken.hash(id)] = session
        return (id, session)
    }

    /// The unexpired admin session with cookie value `id`.
    func adminSession(id: String, now: Date) -> AdminSession? {
        Self.unexpired(&adminSessions, id: id, now: now, expiry: \.expiresAt)
    }

    /// The entry of `table` under the hash of `id` if it has not expired; an expired one is dropped.
    private static func unexpired<Entry>(
        _ table: inout [String: Entry], id: String, now: Date, expiry: KeyPath<Entry, Date>
    ) -> Entry? {
        let key = AccessToken.hash(id)
        guard let entry = table[key] else { return nil }
        guard entry[keyPath: expiry] > now else {
            table[key] = nil
            return nil
        }
        return entry
    }

    /// Ends the admin session with cookie value `id`.
    func endAdminSession(id: String) {
        adminSessions[AccessToken.hash(id)] = nil
    }

    /// A new single-use sign-in link for `annotator`.
    func createSignInLink(for annotator: Annotator, now: Date) -> SignInLink {
        prune(now: now)
        let secret = AccessToken.generate(prefix: "")
        let expiresAt = now.addingTimeInterval(linkLifetime)
        links[AccessToken.hash(secret)] = PendingLink(
            annotatorID: annotator.id, tokenHash: annotator.tokenHash ?? "", expiresAt: expiresAt)
        return SignInLink(secret: secret, expiresAt: expiresAt)
    }

    /// The annotator the unexpired, unused link with `secret` was made for, and their token hash then; does not use
    /// the link up (a link preview or virus scanner that fetches it must not sign anyone in nor burn it).
    func signInLink(_ secret: String, now: Date) -> (annotatorID: AnnotatorID, tokenHash: String)? {
        guard let link = links[AccessToken.hash(secret)], link.expiresAt > now else { return nil }
        return (link.annotatorID, link.tokenHash)
    }

    /// Uses up the link with `secret`: the annotator it was made for and their token hash then, or nil if it is
    /// unknown, used or expired.
    func redeemSignInLink(_ secret: String, now: Date) -> (annotatorID: AnnotatorID, tokenHash: String)? {
        guard let link = links.removeValue(forKey: AccessToken.hash(secret)), link.expiresAt > now else { return nil }
        return (link.annotatorID, link.tokenHash)
    }

    /// Drops expired sessions and links, at most once a minute (so the maps cannot grow without bound).
    private func prune(now: Date) {
        guard now.timeIntervalSince(lastPrune) > 60 else { return }
        lastPrune = now
        sessions = sessions.filter { $0.value.expiresAt > now }
        links = links.filter { $0.value.expiresAt > now }
        adminSessions = adminSessions.filter { $0.value.expiresAt > now }
    }
}
