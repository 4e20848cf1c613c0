import Collectives
import TensorEngine

/// Megatron-style tensor parallelism: the ranks of `group` each hold a slice of every block — their attention heads
/// and their part of the MLP — and exchange activations twice per block in each direction.
///
/// A block's q/k/v and gate/up projections are split by output (column-parallel): each rank computes its heads from
/// the whole input, so the input enters the shards unchanged (`enteringShards`), and its gradient — each rank's part
/// of it — is summed over the ranks on the way back. The o and down projections are split by input (row-parallel):
/// each rank's product is a partial sum of the output, summed over the ranks on the way forward (`summingShards`),
/// after which every rank holds the whole output and the gradient passes back unchanged. Embeddings, norms and the LM
/// head are replicated, and so are their gradients (complete on every rank, not partial).
public final class TensorParallelism: @unchecked Sendable {
    /// The ranks that share one model (`Communicator.parallelGroups`).
    public let group: any Communicator

    /// Tensor parallelism over `group`'s ranks.
    public init(group: any Communicator) {
        self.group = group
    }

    /// This rank's place in the group: which slice it holds.
    public var rank: Int { group.rank }
    /// The number of slices.
    public var size: Int { group.size }

    /// The input of a column-parallel layer: the same values (Megatron's f), whose gradient is summed over the ranks
    /// in the backward pass — each rank's heads contribute their part of d(loss)/d(input).
    func enteringShards(_ x: Tensor) -> Tensor {
        Tensor.customOp("tensor-parallel input", inputs: [x], result: x.detached()) { [self] g in
            [sumOverRanks(g, label: "tensor-parallel input gradient")]
        }
    }

    /// The output of a row-parallel layer: each rank's partial product summed over the ranks (Megatron's g); the
    /// gradient passes back unchanged, since every rank holds the whole output.
    func summingShards(_ x: Tensor) -> Tensor {
        Tensor.customOp(
            "tensor-parallel output", inputs: [x], result: sumOverRanks(x, label: "tensor-parallel output")
        ) { g in [g] }
    }

    /// The sum over the ranks of each rank's `x`, added in rank order on every rank. An all-gather and a local sum
    /// rather than MPI's all-reduce, whose order of addition may differ between ranks: the replicated activations and
    /// weights must stay bit for bit the same on every rank (greedy decoding takes the same token everywhere, and a
    /// replicated weight's update is the same everywhere).
    private func sumOverRanks(_ x: Tensor, label: String) -> Tensor {
        let n = x.count, sum = Tensor.zeros(x.shape)
        let all = x.withUnsafeBufferPointer { local in
            [Float](unsafeUninitializedCapacity: n * size) { buffer, initialized in
                group.allGather(
                    UnsafeRawBufferPointer(local), into: UnsafeMutableRawBufferPointer(buffer), label: label)
                initialized = n * size
            }
        }
        sum.withUnsafeMutableBufferPointer { out in
            all.withUnsafeBufferPointer { blocks in
                for r in 0..<size {
                    let block = blocks.baseAddress! + r * n
                    for i in 0..<n { out[i] += block[i] }
                }
            }
        }
        return sum
    }
}

/// How a layer's weight is split over the tensor-parallel ranks.
public enum TensorParallelSplit: Sendable {
    /// By output (q, k, v, gate, up): each rank holds a block of the weight's rows [out, in] and of the bias.
    case outputs
    /// By input (o, down): each rank holds a block of the weight's columns; the bias, whole, is added once, after
    /// the ranks' partial outputs are summed.
    case inputs
}
