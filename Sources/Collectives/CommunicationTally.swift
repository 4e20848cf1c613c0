/// Time and traffic in collectives, summed over every communicator of the process: what a multi-rank run's metrics
/// report per step, and `rlhf bench collectives` per operation.
public struct CommunicationTally: Sendable, Equatable {
    /// Collective operations completed.
    public var operations = 0
    /// Bytes this rank handed to them (the send buffers: a gradient buffer's size for an all-reduce, this rank's
    /// block for an all-gather).
    public var bytes = 0
    /// Seconds from each operation's start to its completion on this rank, waiting for slower ranks included.
    public var seconds = 0.0

    /// An empty tally.
    public init() {}

    /// What was added between `earlier` and this tally.
    public func since(_ earlier: CommunicationTally) -> CommunicationTally {
        var delta = CommunicationTally()
        delta.operations = operations - earlier.operations
        delta.bytes = bytes - earlier.bytes
        delta.seconds = seconds - earlier.seconds
        return delta
    }

    /// The metrics-line fields: `communication_seconds`, `communication_bytes`, `communication_operations`.
    public var metrics: [String: Double] {
        [
            "communication_seconds": seconds, "communication_bytes": Double(bytes),
            "communication_operations": Double(operations),
        ]
    }
}

extension Collectives {
    /// The process's tally so far (empty in one process, where no collective communicates).
    public static var tally: CommunicationTally { MPICommunicator.tally }
}
