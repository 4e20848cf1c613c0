/// The element types collectives move and add.
public enum CollectiveElement: Sendable {
    case float, double, int64, byte
    /// bfloat16 as its raw 16 bits; sums add in Float and round to nearest even.
    case bfloat16

    /// Bytes per element.
    public var stride: Int {
        switch self {
        case .float: return 4
        case .double, .int64: return 8
        case .byte: return 1
        case .bfloat16: return 2
        }
    }
}

/// The processes of one run and the collective operations between them: one rank per process, ranks 0..<size.
///
/// Every rank must call the same collectives in the same order (as in MPI). The single-process communicator makes
/// each one a no-op, so code written against this protocol runs unchanged in one process. `label` names the operation
/// in the one-line message when it times out (e.g. "allreduce of gradients at step 12").
///
/// The primitives work on raw memory; the typed forms (Float buffers, Double and Int arrays, strings) are in
/// `Communicator+Typed.swift`.
public protocol Communicator: AnyObject, Sendable {
    /// This process's rank.
    var rank: Int { get }
    /// Number of ranks.
    var size: Int { get }
    /// Replaces `buffer` (elements of `type`) on every rank by the elementwise sum over ranks.
    func allReduceSum(_ buffer: UnsafeMutableRawBufferPointer, type: CollectiveElement, label: String)
    /// Copies `root`'s bytes of `buffer` into every rank's `buffer` (same byte count everywhere).
    func broadcast(_ buffer: UnsafeMutableRawBufferPointer, root: Int, label: String)
    /// Concatenates every rank's `send` (same byte count everywhere) in rank order into `receive` (size × as large).
    func allGather(_ send: UnsafeRawBufferPointer, into receive: UnsafeMutableRawBufferPointer, label: String)
    /// Sums every rank's `send` (size blocks of `receive`'s length) elementwise; rank r receives block r.
    func reduceScatterSum(
        _ send: UnsafeRawBufferPointer, into receive: UnsafeMutableRawBufferPointer, type: CollectiveElement,
        label: String)
    /// Returns once every rank has called it.
    func barrier(label: String)
    /// A communicator over the ranks that pass the same `color`, numbered in the order of `key` (ties by rank): a
    /// collective call of every rank (MPI_Comm_split). The groups' collectives time out and report as this one's do.
    func split(color: Int, key: Int) -> any Communicator
}

extension Communicator {
    /// Whether this is rank 0, the one that writes files and logs.
    public var isRoot: Bool { rank == 0 }

    /// The groups of tensor and data parallelism for `tensorParallel` ranks per model: the world's `size` = T × D
    /// ranks form D tensor-parallel groups of T consecutive ranks (0..<T, T..<2T, …), and the ranks at the same
    /// position in their groups form T data-parallel groups. A collective call of every rank; `tensorParallel` must
    /// divide the size (callers check it first, to say so in their own words).
    public func parallelGroups(tensorParallel: Int) -> (tensor: any Communicator, data: any Communicator) {
        precondition(
            tensorParallel > 0 && size % tensorParallel == 0, "\(tensorParallel) does not divide \(size) ranks")
        // A group of one needs no MPI: the single-process communicator is exactly it.
        if tensorParallel == 1 { return (SingleProcessCommunicator(), self) }
        if tensorParallel == size { return (self, SingleProcessCommunicator()) }
        let tensor = split(color: rank / tensorParallel, key: rank % tensorParallel)
        let data = split(color: rank % tensorParallel, key: rank / tensorParallel)
        return (tensor, data)
    }
}
