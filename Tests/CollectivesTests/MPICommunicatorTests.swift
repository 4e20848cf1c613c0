import Collectives
import Foundation
import RLHFTestSupport
import Testing

/// The MPI communicator's collectives on 2 real ranks: this test binary runs `MPICommunicatorRankTests` under
/// `mpirun -np 2` (needs `RLHF_MPI_TESTS=1` and OpenMPI).
@Suite(
    .enabled(
        if: MPIRun.skipReason(needsBinary: false) == nil && !Collectives.launch.needsMPI,
        "\(MPIRun.skipReason(needsBinary: false) ?? "")"))
struct MPICommunicatorTests {
    @Test func collectivesAgreeOnTwoRanks() throws {
        let result = try MPIRun.runTestBinary(ranks: 2, filter: "MPICommunicatorRankTests")
        #expect(result.status == 0, "\(result.standardOutput)\n\(result.standardError)")
        let passed = (result.standardOutput + result.standardError).components(
            separatedBy: "Test collectivesOnEveryRank() passed")
        #expect(passed.count == 3, "\(result.standardOutput)\n\(result.standardError)")
    }
}

/// Runs on each rank when this test binary is started by mpirun (see `MPICommunicatorTests`).
@Suite(.enabled(if: Collectives.launch.needsMPI, "runs only under mpirun"))
struct MPICommunicatorRankTests {
    @Test func collectivesOnEveryRank() {
        let world = Collectives.world
        let (r, n) = (world.rank, world.size)
        #expect(world is MPICommunicator && n == 2)
        var floats: [Float] = [Float(r + 1), 2]
        floats.withUnsafeMutableBufferPointer { world.allReduceSum($0, label: "floats") }
        #expect(floats == [Float(n * (n + 1) / 2), Float(2 * n)])
        var halves: [UInt16] = [0x3F80, 0x3FC0]  // bf16 1.0 and 1.5
        halves.withUnsafeMutableBufferPointer { world.allReduceSum(bfloat16: $0, label: "bf16") }
        #expect(halves == [0x4000, 0x4040])  // 2.0 and 3.0 on 2 ranks
        #expect(world.allReduceSum([r, 1], label: "ints") == [n * (n - 1) / 2, n])
        #expect(world.allReduceSum([0.25], label: "doubles") == [0.25 * Double(n)])
        #expect(world.broadcast("from rank \(r)", root: 0, label: "string") == "from rank 0")
        var values: [Float] = [Float(r), Float(r)]
        values.withUnsafeMutableBufferPointer { world.broadcast($0, root: 1, label: "floats") }
        #expect(values == [1, 1])
        let names = world.allGather("rank \(r)" + String(repeating: "!", count: r), label: "strings")
        #expect(names == (0..<n).map { "rank \($0)" + String(repeating: "!", count: $0) })
        #expect(world.allGather([Float(r)], label: "floats") == (0..<n).map(Float.init))
        let send = (0..<(2 * n)).map { Float($0 + r) }
        var receive: [Float] = [0, 0]
        send.withUnsafeBufferPointer { s in
            receive.withUnsafeMutableBufferPointer { world.reduceScatterSum(s, into: $0, label: "blocks") }
        }
        // Block r of the sum over ranks of [0 + q, 1 + q, …]: 2·(2r + i) + (0 + 1) for i = 0, 1.
        #expect(receive == [Float(2 * (2 * r) + 1), Float(2 * (2 * r + 1) + 1)])
        // Sub-communicators: a group of one per rank, and all ranks in reverse order.
        let alone = world.split(color: r, key: 0)
        #expect(alone.size == 1 && alone.rank == 0 && alone.allReduceSum([r + 1], label: "alone") == [r + 1])
        let reversed = world.split(color: 0, key: -r)
        #expect(reversed.size == n && reversed.rank == n - 1 - r)
        #expect(reversed.allGather([Float(r)], label: "reversed") == (0..<n).reversed().map(Float.init))
        let groups = world.parallelGroups(tensorParallel: 2)
        #expect(groups.tensor.size == 2 && groups.data.size == 1)
        world.barrier(label: "end")
        Collectives.end(success: true)
    }
}
