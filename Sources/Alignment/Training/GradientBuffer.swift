import Collectives
import TensorEngine

/// A model's gradients in one flat buffer, so that data parallelism all-reduces them with one call per step.
///
/// Each trainable parameter's `grad` is a window of the buffer (`Tensor.window`): backward adds into an existing
/// gradient in place, so the micro-batches' gradients accumulate straight into the buffer, with no packing copy
/// before the all-reduce and no unpacking after it; clipping and AdamW's fused pass then read the windows. Each
/// parameter starts on a 64-byte boundary (16 floats) so the kernels see aligned gradients as before.
final class GradientBuffer {
    /// The whole buffer (padding included: zero, and never written by backward).
    let flat: Tensor
    private let parameters: [Tensor]
    private let windows: [Tensor]

    /// A buffer laid out for `parameters` (in order).
    init(parameters: [Tensor]) {
        var offsets: [Int] = []
        var total = 0
        for p in parameters {
            offsets.append(total)
            total += (p.count + 15) / 16 * 16
        }
        let flat = Tensor.zeros([total])
        self.flat = flat
        self.parameters = parameters
        windows = zip(parameters, offsets).map { p, offset in flat.window(offset: offset, shape: p.shape) }
    }

    /// Zeroes the buffer and makes each parameter's gradient its window: what the step's backward passes add into.
    func attach() {
        flat.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        for (p, window) in zip(parameters, windows) { p.grad = window }
    }

    /// Sums the gradients over the ranks, in place.
    func allReduce(_ communicator: any Communicator, step: Int) {
        flat.withUnsafeMutableBufferPointer { communicator.allReduceSum($0, label: "gradients at step \(step)") }
    }
}
