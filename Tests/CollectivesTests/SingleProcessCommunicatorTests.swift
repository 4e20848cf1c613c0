import Collectives
import Testing

/// The single-process communicator: every collective leaves the data as a sum, gather or broadcast over one rank
/// would.
struct SingleProcessCommunicatorTests {
    let communicator = SingleProcessCommunicator()

    @Test func isRankZeroOfOne() {
        #expect(communicator.rank == 0 && communicator.size == 1 && communicator.isRoot)
    }

    @Test func reductionsLeaveValuesAsTheyAre() {
        var floats: [Float] = [1, -2.5, 3e-8]
        floats.withUnsafeMutableBufferPointer { communicator.allReduceSum($0, label: "test") }
        #expect(floats == [1, -2.5, 3e-8])
        var halves: [UInt16] = [0x3F80, 0xC000]
        halves.withUnsafeMutableBufferPointer { communicator.allReduceSum(bfloat16: $0, label: "test") }
        #expect(halves == [0x3F80, 0xC000])
        #expect(communicator.allReduceSum([0.5, 7], label: "test") == [0.5, 7])
        #expect(communicator.allReduceSum([3, -4], label: "test") == [3, -4])
        #expect(communicator.allReduceSum(2.25, label: "test") == 2.25)
    }

    @Test func gathersAndBroadcastsReturnTheRanksOwnData() {
        #expect(communicator.allGather([Float(1), 2], label: "test") == [1, 2])
        #expect(communicator.allGather([UInt64(42)], label: "test") == [42])
        #expect(communicator.allGather("config", label: "test") == ["config"])
        #expect(communicator.allGather([UInt8](), label: "test") == [[]])
        #expect(communicator.broadcast("hello", root: 0, label: "test") == "hello")
        #expect(communicator.broadcast([1, 2, 3] as [UInt8], root: 0, label: "test") == [1, 2, 3])
        var floats: [Float] = [4, 5]
        floats.withUnsafeMutableBufferPointer { communicator.broadcast($0, root: 0, label: "test") }
        #expect(floats == [4, 5])
    }

    @Test func reduceScatterKeepsTheWholeSum() {
        let send: [Float] = [1, 2, 3]
        var receive = [Float](repeating: 0, count: 3)
        send.withUnsafeBufferPointer { s in
            receive.withUnsafeMutableBufferPointer { communicator.reduceScatterSum(s, into: $0, label: "test") }
        }
        #expect(receive == send)
        communicator.barrier(label: "test")
    }
}
