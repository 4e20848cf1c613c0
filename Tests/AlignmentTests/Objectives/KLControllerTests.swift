import Foundation
import Testing

@testable import Alignment

/// The adaptive (Ziegler) KL controller against rl.json "adaptive_kl" (1e-5 relative + 1e-6 absolute), the fixed
/// one, the error bound, and checkpointing.
@Suite struct KLControllerTests {
    @Test func adaptiveUpdateMatchesTheReference() throws {
        let f = try RLFixtures.load().adaptiveKl
        var controller = KLController.adaptive(initialCoefficient: f.coefBefore, target: f.target, horizon: f.horizon)
        controller.update(currentKL: f.currentKl, steps: f.nSteps)
        expectClose(controller.coefficient, f.coefAfter, "coefficient")
    }

    @Test func theProportionalErrorIsBounded() {
        var high = KLController.adaptive(initialCoefficient: 1, target: 1, horizon: 100)
        high.update(currentKL: 1000, steps: 10)
        expectClose(high.coefficient, 1.02, "far above target")
        var low = KLController.adaptive(initialCoefficient: 1, target: 1, horizon: 100)
        low.update(currentKL: 0, steps: 10)
        expectClose(low.coefficient, 0.98, "far below target")
    }

    @Test func aFixedCoefficientNeverMoves() {
        var fixed = KLController.fixed(coefficient: 0.05)
        fixed.update(currentKL: 100, steps: 1000)
        #expect(fixed.coefficient == 0.05 && fixed.adaptation == nil)
    }

    @Test func aRestoredControllerContinuesTheSameWay() throws {
        var controller = KLController.adaptive()
        controller.update(currentKL: 9, steps: 256)
        let saved = try JSONEncoder().encode(controller)
        var restored = try JSONDecoder().decode(KLController.self, from: saved)
        #expect(restored == controller)
        controller.update(currentKL: 3, steps: 512)
        restored.update(currentKL: 3, steps: 512)
        #expect(restored.coefficient == controller.coefficient)
        let fixed = KLController.fixed(coefficient: 0.01)
        #expect(try JSONDecoder().decode(KLController.self, from: JSONEncoder().encode(fixed)) == fixed)
    }
}
