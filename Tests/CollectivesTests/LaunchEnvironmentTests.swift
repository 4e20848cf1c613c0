import Testing

@testable import Collectives

/// Reading mpirun's variables, the checksum used to compare ranks, and the timeout's one line.
struct LaunchEnvironmentTests {
    @Test func detectsMPIRunFromTheEnvironment() {
        #expect(!LaunchEnvironment([:]).needsMPI)
        #expect(LaunchEnvironment([:]).displayRank == 0)
        let one = LaunchEnvironment(["OMPI_COMM_WORLD_SIZE": "1", "OMPI_COMM_WORLD_RANK": "0"])
        #expect(!one.needsMPI)
        let two = LaunchEnvironment(["OMPI_COMM_WORLD_SIZE": "2", "OMPI_COMM_WORLD_RANK": "1"])
        #expect(two.needsMPI && two.size == 2 && two.displayRank == 1)
        let pmix = LaunchEnvironment(["PMIX_RANK": "3"])
        #expect(pmix.needsMPI && pmix.displayRank == 3)
    }

    @Test func libraryCandidatesPreferTheVariable() {
        #expect(MPILibrary.candidates(["RLHF_MPI_LIBRARY": "/opt/mpi/libmpi.so"]) == ["/opt/mpi/libmpi.so"])
        #expect(Array(MPILibrary.candidates([:]).prefix(2)) == ["libmpi.so.40", "libmpi.so"])
        #expect(MPILibrary.load(["RLHF_MPI_LIBRARY": "/nonexistent/libmpi.so.40"]) != nil)
    }

    @Test func checksumSeesEveryBit() {
        func checksum(_ values: [Float]) -> UInt64 {
            var c = BufferChecksum()
            values.withUnsafeBufferPointer { c.combine($0) }
            return c.value
        }
        let values: [Float] = (0..<37).map { Float($0) * 0.37 }
        #expect(checksum(values) == checksum(values))
        var flipped = values
        flipped[20] = Float(bitPattern: flipped[20].bitPattern ^ 1)
        #expect(checksum(flipped) != checksum(values))
        #expect(checksum(Array(values.dropLast())) != checksum(values))
        var a = BufferChecksum(), b = BufferChecksum()
        a.combine("lr 1e-4")
        b.combine("lr 1e-3")
        #expect(a.value != b.value)
    }

    @Test func probeAnswersRoundTrip() {
        let slot = UnsafeMutablePointer<UInt8>.allocate(capacity: ProbeResponder.answerBytes)
        defer { slot.deallocate() }
        ProbeResponder.encode(sequence: 37, operation: "allreduce (gradients at step 12)", into: slot)
        #expect(ProbeResponder.decode(slot) == ProbeAnswer(sequence: 37, operation: "allreduce (gradients at step 12)"))
    }

    @Test func stallReportNamesTheRanksThatDidNotArrive() {
        let answers: [Int: ProbeAnswer?] = [
            1: nil, 2: ProbeAnswer(sequence: 9, operation: "allreduce (gradients at step 3)"),
            3: ProbeAnswer(sequence: 8, operation: "barrier (x)"),
        ]
        let report = StallReport(
            rank: 0, size: 4, operation: "allreduce (gradients at step 3)", sequence: 9, timeout: 5, answers: answers)
        #expect(report.missing == [1, 3])
        #expect(
            report.line
                == "rank 0 of 4: allreduce (gradients at step 3) did not complete within 5 s (collective #9); "
                + "did not arrive: rank 1 did not answer (hung, stopped or dead), rank 3 waits in barrier (x) "
                + "(collective #8); ending every rank (RLHF_COLLECTIVE_TIMEOUT sets the timeout)")
    }
}
