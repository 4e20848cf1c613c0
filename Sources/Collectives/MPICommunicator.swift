import CollectivesShim
import Foundation

/// The communicator over OpenMPI's MPI_COMM_WORLD, for a run launched with `mpirun -np N`, or over a group split
/// from it (`split(color:key:)`).
///
/// Every collective is MPI's non-blocking form, polled until it completes or `timeout` seconds pass; then the rank
/// asks the others where they are (`StallReport`), prints one line naming the operation, itself and the ranks that did
/// not arrive, and ends every rank with MPI_Abort. So a rank that dies or hangs never leaves the others waiting forever.
/// Calls on every communicator of the process are serialised by one lock (MPI is started at MPI_THREAD_SERIALIZED).
public final class MPICommunicator: Communicator, @unchecked Sendable {
    public let rank: Int
    public let size: Int
    /// Seconds a collective may take before the run is ended.
    public let timeout: Double
    /// Each rank's world rank (nil for the world itself), to name processes as mpirun numbers them.
    public let worldRanks: [Int]?
    private let comm: rlhf_mpi_comm?
    private var probes: ProbeResponder!
    /// Collectives started so far, and the one in progress (what a probe is answered with).
    private var sequence = 0
    private var current = ""
    /// Elements per MPI call: MPI counts are Int32.
    private static let chunk = 1 << 28
    /// One lock for every communicator: MPI_THREAD_SERIALIZED allows one MPI call at a time in the process.
    private static let lock = NSLock()
    /// Every communicator made so far: a rank waiting in one collective answers the probes of all of them, so a
    /// rank stuck in a group's collective is reported as waiting there, not as dead.
    nonisolated(unsafe) private static var live: [MPICommunicator] = []
    /// Every communicator's completed operations (guarded by `lock`).
    nonisolated(unsafe) private static var counted = CommunicationTally()

    /// The tally of every communicator's completed operations.
    static var tally: CommunicationTally { lock.withLock { counted } }

    /// Starts MPI (the library must be loaded). Ends the process with one line if MPI_Init fails.
    init(timeout: Double) {
        var provided: Int32 = 0
        let rankHint = LaunchEnvironment(ProcessInfo.processInfo.environment).displayRank
        let code = rlhf_mpi_init(&provided)
        if code != 0 {
            Collectives.fail("rank \(rankHint): MPI_Init failed: \(MPILibrary.message(code))", abort: false)
        }
        comm = rlhf_mpi_world()
        (rank, size) = Self.place(in: comm, rankHint: rankHint)
        self.timeout = timeout
        worldRanks = nil
        probes = ProbeResponder(comm: comm, rank: rank, size: size)
        Self.lock.withLock { Self.live.append(self) }
    }

    /// A communicator over `comm`, made by `split`.
    private init(comm: rlhf_mpi_comm?, timeout: Double, worldRanks: [Int]) {
        self.comm = comm
        (rank, size) = Self.place(in: comm, rankHint: worldRanks.first ?? 0)
        self.timeout = timeout
        self.worldRanks = worldRanks
        probes = ProbeResponder(comm: comm, rank: rank, size: size)
        Self.lock.withLock { Self.live.append(self) }
    }

    private static func place(in comm: rlhf_mpi_comm?, rankHint: Int) -> (Int, Int) {
        var rank: Int32 = 0, size: Int32 = 1
        for (code, what) in [
            (rlhf_mpi_rank(comm, &rank), "MPI_Comm_rank"), (rlhf_mpi_size(comm, &size), "MPI_Comm_size"),
        ]
        where code != 0 {
            Collectives.fail("rank \(rankHint): \(what) failed: \(MPILibrary.message(code))", abort: true)
        }
        return (Int(rank), Int(size))
    }

    /// Splits the ranks by `color` (MPI_Comm_split); `key` orders each group. Every rank first states its color and
    /// key in a timed all-gather, so a missing rank ends the run with the usual line instead of blocking in MPI's
    /// split, which has no non-blocking form.
    public func split(color: Int, key: Int) -> any Communicator {
        let stated = allGather([UInt64(bitPattern: Int64(color)), UInt64(bitPattern: Int64(key))], label: "split")
        let all = (0..<size).map {
            (color: Int(Int64(bitPattern: stated[2 * $0])), key: Int(Int64(bitPattern: stated[2 * $0 + 1])), rank: $0)
        }
        let members = all.filter { $0.color == color }.sorted { ($0.key, $0.rank) < ($1.key, $1.rank) }.map(\.rank)
        var made: rlhf_mpi_comm? = nil
        Self.lock.withLock {
            check(rlhf_mpi_comm_split(comm, Int32(color), Int32(key), &made), "MPI_Comm_split")
        }
        return MPICommunicator(
            comm: made, timeout: timeout, worldRanks: members.map { worldRanks?[$0] ?? $0 })
    }

    public func allReduceSum(_ buffer: UnsafeMutableRawBufferPointer, type: CollectiveElement, label: String) {
        let count = buffer.count / type.stride
        let shim = Self.shimType(type)
        for start in stride(from: 0, to: max(count, 1), by: Self.chunk) where count > 0 {
            let n = min(Self.chunk, count - start)
            run("allreduce (\(label))", bytes: n * type.stride) {
                rlhf_mpi_iallreduce_sum(comm, buffer.baseAddress! + start * type.stride, Int32(n), shim, &$0)
            }
        }
    }

    public func broadcast(_ buffer: UnsafeMutableRawBufferPointer, root: Int, label: String) {
        for start in stride(from: 0, to: buffer.count, by: Self.chunk) {
            let n = min(Self.chunk, buffer.count - start)
            run("broadcast (\(label))", bytes: rank == root ? n : 0) {
                rlhf_mpi_ibcast(comm, buffer.baseAddress! + start, Int32(n), RLHF_MPI_BYTE, Int32(root), &$0)
            }
        }
    }

    public func allGather(_ send: UnsafeRawBufferPointer, into receive: UnsafeMutableRawBufferPointer, label: String) {
        precondition(receive.count == send.count * size, "allGather: \(receive.count) bytes for \(size) ranks")
        precondition(send.count <= Int(Int32.max), "allGather: \(send.count) bytes per rank is too many for MPI")
        guard send.count > 0 else { return barrier(label: label) }
        run("allgather (\(label))", bytes: send.count) {
            rlhf_mpi_iallgather(comm, send.baseAddress, receive.baseAddress, Int32(send.count), RLHF_MPI_BYTE, &$0)
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
        run("reduce-scatter (\(label))", bytes: send.count) {
            rlhf_mpi_ireduce_scatter_sum(
                comm, send.baseAddress, receive.baseAddress, Int32(count), Self.shimType(type), &$0)
        }
    }

    public func barrier(label: String) {
        run("barrier (\(label))", bytes: 0) { rlhf_mpi_ibarrier(comm, &$0) }
    }

    /// Cancels the probe receives of every communicator; call before MPI_Finalize.
    func close() {
        Self.lock.withLock { for communicator in Self.live { communicator.probes.close() } }
    }

    /// Starts one non-blocking operation and polls it to completion, answering other ranks' probes meanwhile.
    private func run(_ what: String, bytes: Int, _ start: (inout rlhf_mpi_request?) -> Int32) {
        Self.lock.lock()
        defer { Self.lock.unlock() }
        let started = DispatchTime.now().uptimeNanoseconds
        defer {
            Self.counted.operations += 1
            Self.counted.bytes += bytes
            Self.counted.seconds += Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        }
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
            for communicator in Self.live {
                // The others' probes learn what this rank waits in, and where (their sequence does not match).
                let elsewhere =
                    communicator === self ? what : what + (worldRanks == nil ? " on the world" : " in a group")
                communicator.probes.answer(sequence: communicator.sequence, operation: elsewhere)
            }
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
            rank: rank, size: size, operation: what, sequence: sequence, timeout: timeout, answers: answers,
            worldRanks: worldRanks)
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
