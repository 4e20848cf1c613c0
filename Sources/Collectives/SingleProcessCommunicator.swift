/// The communicator of a run that is one process: every collective leaves the data as it is (a sum over one rank is
/// the value itself), so code written for several ranks runs unchanged and costs nothing.
public final class SingleProcessCommunicator: Communicator {
    /// A communicator of rank 0 of 1.
    public init() {}

    public var rank: Int { 0 }
    public var size: Int { 1 }

    public func allReduceSum(_ buffer: UnsafeMutableRawBufferPointer, type: CollectiveElement, label: String) {}

    public func broadcast(_ buffer: UnsafeMutableRawBufferPointer, root: Int, label: String) {
        precondition(root == 0, "broadcast from rank \(root) of 1")
    }

    public func allGather(_ send: UnsafeRawBufferPointer, into receive: UnsafeMutableRawBufferPointer, label: String) {
        precondition(receive.count == send.count, "allGather: receive holds \(receive.count) bytes, not \(send.count)")
        if send.count > 0 { receive.copyMemory(from: send) }
    }

    public func reduceScatterSum(
        _ send: UnsafeRawBufferPointer, into receive: UnsafeMutableRawBufferPointer, type: CollectiveElement,
        label: String
    ) {
        precondition(
            receive.count == send.count, "reduceScatter: receive holds \(receive.count) bytes, not \(send.count)")
        if send.count > 0 { receive.copyMemory(from: send) }
    }

    public func barrier(label: String) {}

    /// This communicator: one rank is a group of one whatever its color.
    public func split(color: Int, key: Int) -> any Communicator { self }
}
