import Collectives
import TensorEngine

/// Says on standard error, before a long job's work, what it runs on: CPU, vector unit, GEMM backend and threads, and
/// the ranks under mpirun. A machine without OpenBLAS or with fewer threads than expected shows it here, before the
/// job's time does. Rank 0 alone prints. Commands call it once their inputs are checked, so that bad input still ends
/// with one line.
func printMachineLine() {
    let ranks = Collectives.launch.size.map { $0 > 1 ? ", \($0) ranks" : "" } ?? ""
    printError("machine: \(MachineDescription.current.summary)\(ranks)")
}
