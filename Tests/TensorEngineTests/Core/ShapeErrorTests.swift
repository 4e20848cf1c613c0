import Foundation
import Testing

@testable import TensorEngine

/// A programmer error inside the engine stops the process with a message naming the op and both shapes.
@Suite struct ShapeErrorTests {
    func stderrText(_ result: ExitTest.Result?) -> String {
        String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    }

    @Test func matmulMismatchNamesOpAndShapes() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = matmul(Tensor.zeros([2, 3]), Tensor.zeros([4, 5]))
        }
        let text = stderrText(result)
        #expect(text.contains("matmul") && text.contains("[2, 3]") && text.contains("[4, 5]"), "\(text)")
    }

    @Test func broadcastMismatchNamesOpAndShapes() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 3]) + Tensor.zeros([4])
        }
        let text = stderrText(result)
        #expect(text.contains("add") && text.contains("[2, 3]") && text.contains("[4]"), "\(text)")
    }

    @Test func attentionMismatchNamesShapes() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = scaledDotProductAttention(
                q: Tensor.zeros([1, 3, 4, 8]), k: Tensor.zeros([1, 2, 4, 8]), v: Tensor.zeros([1, 2, 4, 8]))
        }
        let text = stderrText(result)
        #expect(text.contains("attention") && text.contains("[1, 3, 4, 8]") && text.contains("[1, 2, 4, 8]"), "\(text)")
    }
}
