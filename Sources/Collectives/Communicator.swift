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
}

extension Communicator {
    /// Whether this is rank 0, the one that writes files and logs.
    public var isRoot: Bool { rank == 0 }
}
