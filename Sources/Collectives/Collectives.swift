import CollectivesShim
import Foundation

/// The process's place in a run of several processes, and how the process ends.
///
/// A process launched by `mpirun -np N` (N > 1) gets an `MPICommunicator` over MPI_COMM_WORLD, started on first use of
/// `world`; any other process gets a `SingleProcessCommunicator` and never touches MPI, so nothing needs MPI
/// installed until a run asks for several processes. When one does and libmpi cannot be loaded, the process ends with
/// one line saying so.
public enum Collectives {
    /// What the launcher said (read once, before MPI starts).
    public static let launch = LaunchEnvironment(ProcessInfo.processInfo.environment)

    /// The run's communicator, started on first use.
    public static var world: any Communicator { state.world }

    /// Whether this process should stay quiet (a rank other than 0): it writes no files, progress or reports. Known
    /// from the environment, without starting MPI.
    public static var isQuietRank: Bool { launch.displayRank != 0 }

    /// Seconds a collective may take before the run ends: `RLHF_COLLECTIVE_TIMEOUT`, default 300.
    public static let timeout: Double = {
        let text = ProcessInfo.processInfo.environment["RLHF_COLLECTIVE_TIMEOUT"] ?? ""
        if text.isEmpty { return 300 }
        guard let seconds = Double(text), seconds > 0, seconds.isFinite else {
            fail("RLHF_COLLECTIVE_TIMEOUT must be a positive number of seconds, got '\(text)'", abort: false)
        }
        return seconds
    }()

    /// Whether this process started MPI (it is one of several ranks and has used `world`).
    public static var startedMPI: Bool { state.startedMPI != nil }

    /// Records that the error this process is about to report was reached by every rank together (e.g. settings that
    /// differ across ranks, found by a collective check), so that `end` shuts MPI down cleanly instead of aborting.
    public static func noteAgreedFailure() {
        state.agreedFailure = true
    }

    /// Shuts MPI down, if it was started: MPI_Finalize after success or an agreed failure, otherwise MPI_Abort, which
    /// ends every other rank at once instead of leaving them to time out. Call once, as the process ends.
    public static func end(success: Bool) {
        guard let mpi = state.startedMPI else { return }
        if success || state.agreedFailure {
            mpi.close()
            _ = rlhf_mpi_finalize()
        } else {
            _ = rlhf_mpi_abort(1)
        }
    }

    /// Prints `Error: <message>` as one line on standard error and ends the process (every rank, with `abort`).
    static func fail(_ message: String, abort: Bool) -> Never {
        FileHandle.standardError.write(Data("Error: \(message)\n".utf8))
        if abort && state.startedMPI != nil { _ = rlhf_mpi_abort(1) }
        exit(1)
    }

    private static let state = WorldState()
}

/// The communicator once created, and whether a failure was agreed.
private final class WorldState: @unchecked Sendable {
    private let lock = NSLock()
    private var communicator: (any Communicator)?
    private var agreed = false

    var world: any Communicator {
        lock.lock()
        defer { lock.unlock() }
        if let communicator { return communicator }
        let made = Self.make()
        communicator = made
        return made
    }

    var startedMPI: MPICommunicator? {
        lock.lock()
        defer { lock.unlock() }
        return communicator as? MPICommunicator
    }

    var agreedFailure: Bool {
        get { lock.withLock { agreed } }
        set { lock.withLock { agreed = newValue } }
    }

    private static func make() -> any Communicator {
        let launch = Collectives.launch
        guard launch.needsMPI else { return SingleProcessCommunicator() }
        let environment = ProcessInfo.processInfo.environment
        if let problem = MPILibrary.load(environment) {
            let size = launch.size.map { " of \($0)" } ?? ""
            Collectives.fail(
                "rank \(launch.displayRank)\(size) was launched by mpirun but cannot load OpenMPI's libmpi (\(problem)); "
                    + "install openmpi-bin and libopenmpi-dev, or set RLHF_MPI_LIBRARY", abort: false)
        }
        return MPICommunicator(timeout: Collectives.timeout)
    }
}
