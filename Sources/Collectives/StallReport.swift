/// The one line a rank prints when a collective did not complete in time: the operation, this rank, the timeout, and
/// which ranks did not arrive — those that did not answer the probe (hung, stopped or dead) and those waiting in
/// another collective.
struct StallReport: Sendable {
    var rank: Int
    var size: Int
    var operation: String
    var sequence: Int
    var timeout: Double
    /// Each other rank's answer to the probe (nil: none).
    var answers: [Int: ProbeAnswer?]

    /// The ranks that are not waiting in this same collective.
    var missing: [Int] {
        answers.keys.sorted().filter { peer in
            guard case let .some(.some(answer)) = answers[peer] else { return true }
            return answer.sequence != sequence
        }
    }

    var line: String {
        let seconds = timeout == timeout.rounded() ? String(Int(timeout)) : String(timeout)
        var text =
            "rank \(rank) of \(size): \(operation) did not complete within \(seconds) s (collective #\(sequence)); "
        let details: [String] = missing.map { peer in
            guard case let .some(.some(answer)) = answers[peer] else {
                return "rank \(peer) did not answer (hung, stopped or dead)"
            }
            return "rank \(peer) waits in \(answer.operation) (collective #\(answer.sequence))"
        }
        text +=
            details.isEmpty
            ? "every rank waits in it (lost message?)" : "did not arrive: " + details.joined(separator: ", ")
        return text + "; ending every rank (RLHF_COLLECTIVE_TIMEOUT sets the timeout)"
    }
}
