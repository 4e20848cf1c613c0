import CollectivesShim
import Foundation

/// The communicator over OpenMPI's MPI_COMM_WORLD, for a run launched with `mpirun -np N`.
///
/// Every collective is MPI's non-blocking form, polled until it completes or `timeout` seconds pass; then the rank
/// asks the others where they are (`StallReport`), prints one line naming the operation, itself and the ranks that did
/// not arrive, and ends every rank with MPI_Abort. So a rank that dies or hangs never leaves the others waiting forever.
/// Calls are serialised by a lock (MPI is started at MPI_THREAD_SERIALIZED).
public final class MPICommunicator: Communicator, @unchecked Sendable {
    public let rank: Int
    public let size: Int
    /// Seconds a collective may take before the run is ended.
    public let timeout: Double
    private let lock = NSLock()
    private var probes: ProbeResponder!
    /// Collectives started so far, and the one in progress (what a probe is answered with).
    private var sequence = 0
    private var current = ""
    /// Elements per MPI call: MPI counts are Int32.
    private static let chunk = 1 << 28

    /// Starts MPI (the library must be loaded). Ends the process with one line if MPI_Init fails.
    init(timeout: Double) {
        var provided: Int32 = 0
        var rank: Int32 = 0, size: Int32 = 1
        let rankHint = LaunchEnvironment(ProcessInfo.processInfo.environment).displayRank
        for (code, what) in [
            (rlhf_mpi_init(&provided), "MPI_Init"), (rlhf_mpi_rank(&rank), "MPI_Comm_rank"),
            (rlhf_mpi_size(&size), "MPI_Comm_size"),
        ] where code != 0 {
            Collectives.fail("rank \(rankHint): \(what) failed: \(MPILibrary.message(code))", abort: false)
        }
        self.rank = Int(rank)
        self.size = Int(size)
        self.timeout = timeout
        self.probes = ProbeResponder(rank: self.rank, size: self.size)
    }

    public func allReduceSum(_ buffer: UnsafeMutableRawBufferPointer, type: CollectiveElement, label: String) {
        let count = buffer.count / type.stride
        let shim = Self.shimType(type)
        for start in stride(from: 0, to: max(count, 1), by: Self.chunk) where count > 0 {
            let n = min(Self.chunk, count - start)
            run("allreduce (\(label))") {
                rlhf_mpi_iallreduce_sum(buffer.baseAddress! + start * type.stride, Int32(n), shim, &$0)
            }
        }
    }

    public func broadcast(_ buffer: UnsafeMutableRawBufferPointer, root: Int, label: String) {
        for start in stride(from: 0, to: buffer.count, by: Self.chunk) {
            let n = min(Self.chunk, buffer.count - start)
            run("broadcast (\(label))") {
                rlhf_mpi_ibcast(buffer.baseAddress! + start, Int32(n), RLHF_MPI_BYTE, Int32(root), &$0)
            }
        }
    }

    public func allGather(_ send: UnsafeRawBufferPointer, into receive: UnsafeMutableRawBufferPointer, label: String) {
        precondition(receive.count == send.count * size, "allGather: \(receive.count) bytes for \(size) ranks")
        precondition(send.count <= Int(Int32.max), "allGather: \(send.count) bytes per rank is too many for MPI")
        guard send.count > 0 else { return barrier(label: label) }
        run("allgather (\(label))") {
            rlhf_mpi_iallgather(send.baseAddress, receive.baseAddress, Int32(send.count), RLHF_MPI_BYTE, &$0)
        }
    }

    public func reduceScatterSum(
        _ send: UnsafeRawBufferPointer, into receive: UnsafeMutableRawBufferPointer, type: CollectiveElement,
        label: String
    ) {
        precondition(send.count == receive.count * size, "reduceScatter: \(send.count) bytes for \(size) ranks")
        let count = receive.count / type.stride
        precondition(count <= Int(Int32.max), "reduceScatter: \(count) elements per rank is too many for MPI")
        guard count > 0 else { return barrier(label: label) }
        run("reduce-scatter (\(label))") {
            rlhf_mpi_ireduce_scatter_sum(
                send.baseAddress, receive.baseAddress, Int32(count), Self.shimType(type), &$0)
        }
    }

    public func barrier(label: String) {
        run("barrier (\(label))") { rlhf_mpi_ibarrier(&$0) }
    }

    /// Cancels the probe receives; call before MPI_Finalize.
    func close() {
        lock.lock()
        defer { lock.unlock() }
        probes.close()
    }

    /// Starts one non-blocking operation and polls it to completion, answering other ranks' probes meanwhile.
    private func run(_ what: String, _ start: (inout rlhf_mpi_request?) -> Int32) {
        lock.lock()
        defer { lock.unlock() }
        sequence += 1
        current = what
        defer { current = "" }
        var request: rlhf_mpi_request? = nil
        check(start(&request), what)
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(timeout * 1e9)
        var polls = 0
        while true {
            var done: Int32 = 0
            check(rlhf_mpi_test(&request, &done), what)
            if done != 0 { return }
            probes.answer(sequence: sequence, operation: what)
            polls += 1
            // Spin briefly (a step's collectives are usually quick), then sleep between polls: a waiting rank must
            // not take a core from the ranks still computing.
            if polls > 100 {
                if DispatchTime.now().uptimeNanoseconds > deadline { stalled(what) }
                usleep(polls > 1000 ? 1000 : 50)
            }
        }
    }

    /// Asks every other rank where it is, then ends the run with one line.
    private func stalled(_ what: String) -> Never {
        let grace = min(5, max(1, timeout / 2))
        let answers = probes.ask(sequence: sequence, operation: what, grace: grace)
        let report = StallReport(
            rank: rank, size: size, operation: what, sequence: sequence, timeout: timeout, answers: answers)
        Collectives.fail(report.line, abort: true)
    }

    private func check(_ code: Int32, _ what: String) {
        if code != 0 { Collectives.fail("rank \(rank): \(what) failed: \(MPILibrary.message(code))", abort: true) }
    }

    private static func shimType(_ type: CollectiveElement) -> rlhf_mpi_type {
        switch type {
        case .float: return RLHF_MPI_FLOAT
        case .double: return RLHF_MPI_DOUBLE
        case .int64: return RLHF_MPI_INT64
        case .byte: return RLHF_MPI_BYTE
        case .bfloat16: return RLHF_MPI_BFLOAT16
        }
    }
}
