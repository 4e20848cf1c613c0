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
    /// For a communicator split from the world (`Communicator.split`): each of its ranks' world rank, so that the
    /// line names processes as mpirun numbers them; nil for the world itself.
    var worldRanks: [Int]? = nil

    /// How the line names rank `r` of this communicator: by its world rank.
    private func name(_ r: Int) -> String { "rank \(worldRanks?[r] ?? r)" }

    /// This rank and the ranks it works with.
    private var header: String {
        guard let worldRanks else { return "rank \(rank) of \(size)" }
        return
            "rank \(worldRanks[rank]) (in the group of world ranks \(worldRanks.map(String.init).joined(separator: ", ")))"
    }

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
            "\(header): \(operation) did not complete within \(seconds) s (collective #\(sequence)); "
        let details: [String] = missing.map { peer in
            guard case let .some(.some(answer)) = answers[peer] else {
                return "\(name(peer)) did not answer (hung, stopped or dead)"
            }
            return "\(name(peer)) waits in \(answer.operation) (collective #\(answer.sequence))"
        }
        text +=
            details.isEmpty
            ? "every rank waits in it (lost message?)" : "did not arrive: " + details.joined(separator: ", ")
        return text + "; ending every rank (RLHF_COLLECTIVE_TIMEOUT sets the timeout)"
    }
}
