import Foundation
import TensorEngine
import Testing

@testable import Alignment

/// A wrong shape or mask stops the process with a message naming the function and what was wrong, as the
/// engine's ops do.
@Suite struct ObjectiveArgumentErrorTests {
    func stderrText(_ result: ExitTest.Result?) -> String {
        String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    }

    @Test func mismatchedMaskNamesTheLossAndBothShapes() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let x = Tensor.zeros([2, 5])
            _ = ppoPolicyLoss(logProbs: x, oldLogProbs: x, advantages: x, mask: Tensor.ones([2, 4]))
        }
        let text = stderrText(result)
        #expect(text.contains("ppoPolicyLoss") && text.contains("[2, 4]") && text.contains("[2, 5]"), "\(text)")
    }

    @Test func aMaskMustHoldZerosAndOnes() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = maskedMean(Tensor.zeros([3]), mask: Tensor([1, 0.5, 0]))
        }
        #expect(stderrText(result).contains("maskedMean: mask of shape [3] must hold only 0 and 1, found 0.5"))
    }

    @Test func aResponseWithoutTokensCannotReceiveItsScore() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let logp = Tensor.zeros([2, 3])
            _ = shapedRewards(
                scores: Tensor([1, 2]), logProbs: logp, referenceLogProbs: logp,
                mask: Tensor(shape: [2, 3], scalars: [1, 1, 0, 0, 0, 0]), klCoefficient: 0.1)
        }
        #expect(stderrText(result).contains("shapedRewards: row 1"), "\(stderrText(result))")
    }
}
