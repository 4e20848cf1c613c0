import Foundation
import RLHFTestSupport
import Testing

/// `mpirun -np 2 rlhf bench collectives`: rank 0 alone reports every operation at every size, with positive times and
/// bandwidths; one process is refused with one line. Needs OpenMPI and `RLHF_MPI_TESTS=1`.
@Suite(.serialized, .enabled(if: MPIRun.skipReason() == nil, "\(MPIRun.skipReason() ?? "")"))
struct CollectivesBenchCommandTests {
    @Test func rankZeroReportsEveryOperationAndSize() throws {
        let result = try RLHFProcess.run(
            MPIRun.options + ["-np", "2", "-x", "RLHF_NUM_THREADS=1", RLHFProcess.executable!]
                + ["bench", "collectives", "--json", "--repeats", "1", "--floats", "1000", "65536"],
            executable: MPIRun.mpirun!)
        #expect(result.status == 0, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n").map {
            try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
        #expect(lines.count == 6, "\(result.standardOutput)")
        #expect(Set(lines.map { $0["operation"] as! String }) == ["allreduce", "allgather", "broadcast"])
        #expect(Set(lines.map { $0["floats"] as! Int }) == [1000, 65536])
        #expect(lines.allSatisfy { ($0["ranks"] as? Int) == 2 && ($0["bus_gb_per_s"] as! Double) > 0 })
        #expect(result.standardError.components(separatedBy: "machine:").count == 2, "one rank announces")
    }

    @Test func oneProcessIsRefused() throws {
        let result = try RLHFProcess.run(["bench", "collectives"], executable: RLHFProcess.executable!)
        #expect(result.status != 0)
        #expect(result.standardError.contains("run it as `mpirun -np 2 rlhf bench collectives`"))
    }
}
