import Foundation
import Testing

@testable import TensorEngine

@Suite("LRSchedule")
struct LRScheduleTests {
    func expectRates(_ schedule: LRSchedule, _ cases: [(Int, Float)], base: Float = 2e-3) {
        for (step, factor) in cases {
            let got = schedule.learningRate(base: base, step: step)
            #expect(abs(got - base * factor) <= 1e-6 * base, "\(schedule) step \(step): \(got) vs \(base * factor)")
        }
    }

    @Test("constant")
    func constant() {
        expectRates(.constant, [(0, 1), (1, 1), (1_000_000, 1)])
    }

    @Test("constant with warmup")
    func constantWithWarmup() {
        expectRates(.constantWithWarmup(warmupSteps: 4), [(0, 0), (1, 0.25), (3, 0.75), (4, 1), (10_000, 1)])
    }

    @Test("warmup then cosine decay to the floor")
    func warmupCosine() {
        let s = LRSchedule.warmupCosine(warmupSteps: 10, totalSteps: 110, minRatio: 0.1)
        let quarter = Float(0.1 + 0.9 * 0.5 * (1 + cos(Double.pi / 4)))
        expectRates(
            s,
            [
                (-1, 0), (0, 0), (5, 0.5), (10, 1), (35, quarter), (60, 0.55), (110, 0.1), (111, 0.1), (5_000, 0.1),
            ])
    }

    @Test("warmup then linear decay to the floor")
    func warmupLinear() {
        let s = LRSchedule.warmupLinear(warmupSteps: 10, totalSteps: 110, minRatio: 0.1)
        expectRates(s, [(0, 0), (5, 0.5), (10, 1), (35, 0.775), (60, 0.55), (110, 0.1), (5_000, 0.1)])
    }

    @Test("no warmup, and totals not beyond the warmup")
    func edgeCases() {
        expectRates(
            .warmupCosine(warmupSteps: 0, totalSteps: 100, minRatio: 0), [(0, 1), (50, 0.5), (100, 0), (101, 0)])
        expectRates(.warmupLinear(warmupSteps: 5, totalSteps: 5, minRatio: 0.2), [(4, 0.8), (5, 0.2), (6, 0.2)])
    }

    @Test("round-trips through JSON")
    func codable() throws {
        let all: [LRSchedule] = [
            .constant, .constantWithWarmup(warmupSteps: 3),
            .warmupCosine(warmupSteps: 10, totalSteps: 100, minRatio: 0.1),
            .warmupLinear(warmupSteps: 0, totalSteps: 7, minRatio: 0),
        ]
        let data = try JSONEncoder().encode(all)
        #expect(try JSONDecoder().decode([LRSchedule].self, from: data) == all)
    }
}
