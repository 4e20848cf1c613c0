import Foundation

/// Counts failed authentications (bearer tokens, sign-in forms, sign-in links) per client address and refuses an
/// address that failed `limit` times within the last `window` seconds until the oldest of those failures is older
/// than the window.
///
/// While an address is refused, every attempt from it is refused, right or wrong: answering a correct guess would
/// tell the guesser which guess was right. Kept in memory (a restart forgets), bounded in size.
actor AuthenticationThrottle {
    /// What to do with an attempt.
    enum Verdict: Equatable {
        /// Go on and check the credentials.
        case allowed
        /// Refuse with 429; the client may try again after this many seconds.
        case refused(retryAfter: Int)
    }

    private let limit: Int
    private let window: TimeInterval
    private let maximumAddresses: Int
    /// The times of each address's recent failures, oldest first (at most `limit` kept).
    private var failures: [String: [Date]] = [:]
    private var lastPrune = Date.distantPast

    /// - Parameter maximumAddresses: most addresses tracked at once; past it the stalest are forgotten, so a flood of
    ///   addresses cannot exhaust memory.
    init(limit: Int, window: TimeInterval, maximumAddresses: Int = 100_000) {
        self.limit = limit
        self.window = window
        self.maximumAddresses = maximumAddresses
    }

    /// Whether `address` may try to authenticate now.
    func check(_ address: String, now: Date) -> Verdict {
        guard let times = failures[address] else { return .allowed }
        let recent = times.filter { now.timeIntervalSince($0) < window }
        failures[address] = recent.isEmpty ? nil : recent
        guard recent.count >= limit, let oldest = recent.first else { return .allowed }
        let wait = window - now.timeIntervalSince(oldest)
        return .refused(retryAfter: max(1, Int(wait.rounded(.up))))
    }

    /// Records a failed attempt from `address`; returns how many failures it has within the window.
    @discardableResult
    func recordFailure(_ address: String, now: Date) -> Int {
        prune(now: now)
        var times = failures[address, default: []].filter { now.timeIntervalSince($0) < window }
        times.append(now)
        if times.count > limit { times.removeFirst(times.count - limit) }
        failures[address] = times
        return times.count
    }

    /// Drops expired entries at most once a minute (or at once when too many addresses are tracked), then, if still
    /// too many, the stalest half: amortised, so a flood of addresses costs no sort per request.
    private func prune(now: Date) {
        let full = failures.count >= maximumAddresses
        guard full || now.timeIntervalSince(lastPrune) > 60 else { return }
        lastPrune = now
        failures = failures.compactMapValues { times in
            let recent = times.filter { now.timeIntervalSince($0) < window }
            return recent.isEmpty ? nil : recent
        }
        guard failures.count >= maximumAddresses else { return }
        let stalest = failures.sorted { ($0.value.last ?? .distantPast) < ($1.value.last ?? .distantPast) }
        for (address, _) in stalest.prefix(failures.count / 2 + 1) { failures[address] = nil }
    }
}
