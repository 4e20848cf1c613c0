import Foundation

/// Where OpenMPI's `mpirun` is, and whether the multi-rank tests run here.
public enum MPIRun {
    /// `mpirun` on the PATH, or nil.
    public static var mpirun: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/mpirun" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    /// Why the multi-rank tests do not run (nil: they do): they need `RLHF_MPI_TESTS=1`, `mpirun`, and (with
    /// `needsBinary`) the built `rlhf`.
    public static func skipReason(needsBinary: Bool = true) -> String? {
        if ProcessInfo.processInfo.environment["RLHF_MPI_TESTS"] != "1" { return "set RLHF_MPI_TESTS=1 to run" }
        if mpirun == nil { return "mpirun is not installed (apt-get install openmpi-bin libopenmpi-dev)" }
        if needsBinary && RLHFProcess.executable == nil { return "the rlhf executable is not built" }
        return nil
    }

    /// The options every test run of mpirun takes: as root it needs --allow-run-as-root, and 2 ranks on fewer cores
    /// need --oversubscribe.
    public static let options = ["--allow-run-as-root", "--oversubscribe"]

    /// Runs this test binary's tests matching `filter` on `ranks` ranks (one thread each), for tests that run on every
    /// rank (gated on `Collectives.launch.needsMPI`).
    public static func runTestBinary(ranks: Int, filter: String) throws -> RLHFProcess.Result {
        let binary = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        return try RLHFProcess.run(
            options + [
                "-np", "\(ranks)", "-x", "RLHF_NUM_THREADS=1", "-x", "RLHF_COLLECTIVE_TIMEOUT=60", binary,
                "--testing-library", "swift-testing", "--filter", filter,
            ], executable: mpirun!)
    }
}
