/// What the launcher tells a process about its place in the run, read from the environment before MPI starts:
/// OpenMPI's `mpirun` sets `OMPI_COMM_WORLD_SIZE` and `OMPI_COMM_WORLD_RANK` (and PMIx's `PMIX_RANK`).
public struct LaunchEnvironment: Sendable, Equatable {
    /// The number of ranks, when the launcher says (nil: not launched by mpirun, or it did not say).
    public var size: Int?
    /// This process's rank, when the launcher says.
    public var rank: Int?

    /// The launch described by `environment` (the process's by default).
    public init(_ environment: [String: String]) {
        size = environment["OMPI_COMM_WORLD_SIZE"].flatMap { Int($0) }
        rank = (environment["OMPI_COMM_WORLD_RANK"] ?? environment["PMIX_RANK"]).flatMap { Int($0) }
    }

    /// Whether the run has (or may have) more than one process, so that MPI must start: a size above 1, or a PMIx
    /// rank without a size (only MPI can tell the size then).
    public var needsMPI: Bool {
        if let size { return size > 1 }
        return rank != nil
    }

    /// The rank to name in messages before MPI starts (0 when not launched by mpirun).
    public var displayRank: Int { rank ?? 0 }
}
