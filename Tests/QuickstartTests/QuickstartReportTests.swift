import Foundation
import TensorEngine
import Testing

@testable import Quickstart

@Suite struct QuickstartReportTests {
    @Test func encodesSnakeCaseKeysAndKeepsCategoryNames() throws {
        let report = QuickstartReport.example()
        let object = try #require(try JSONSerialization.jsonObject(with: report.jsonData()) as? [String: Any])
        let ppo = try #require(object["ppo"] as? [String: Any])
        #expect(ppo["win_minus_loss"] as? Double == report.ppo.winMinusLoss)
        let perCategory = try #require(ppo["per_category"] as? [String: Any])
        #expect(Set(perCategory.keys) == ["open_qa", "role_play"])
        let rm = try #require(object["rm"] as? [String: Any])
        #expect(rm["oracle_agreement"] as? Double == 0.8)
        #expect(try QuickstartReport.decode(report.jsonData()) == report)
    }
}

extension QuickstartReport {
    /// A small report with every field set, for the encoding and rendering tests.
    static func example() -> QuickstartReport {
        let outcome = Outcome(win: 0.5, tie: 0.2, loss: 0.3, count: 10)
        let policy = PolicyInfo(
            sampling: Sampling(temperature: 1), win: 0.5, tie: 0.2, loss: 0.3, winMinusLoss: 20,
            perCategory: ["open_qa": outcome, "role_play": outcome],
            oracleScore: 0.7, helpfulness: 0.6, harmlessness: 0.9, fluency: 0.8, meanLength: 12.5,
            curves: ["reward": [0.1, 0.2, 0.4], "kl": [0, 0.5, 1.0]],
            samples: [
                Sample(
                    category: "open_qa", prompt: "What is <b>?", response: "It is b.",
                    sftResponse: "Sorry.", verdict: "win")
            ])
        let ablation = Ablation(
            on: [["length_correlation": 0.1], ["length_correlation": 0.2]],
            off: [["length_correlation": 0.5], ["length_correlation": 0.6]],
            paperMeasures: ["length_correlation": .lower],
            curvesOn: ["response_length": [10, 11]], curvesOff: ["response_length": [10, 14]],
            subject: "Balancing")
        var greedy = policy, bestOf = policy
        greedy.sampling = Sampling(temperature: 0)
        bestOf.sampling = Sampling(temperature: 1, candidates: 4)
        return QuickstartReport(
            run: RunInfo(
                id: "r1", mode: "fast", seed: 1, stageSeconds: ["sft": 10, "ppo": 20], totalSeconds: 30, model: "tiny",
                machine: MachineDescription(
                    cpuModel: "Test CPU", vectorUnit: "AVX2", kernelWidth: 8, gemmBackend: "portable Swift GEMM",
                    bfloat16Products: "widened to f32", threads: 2)),
            task: TaskInfo(
                sftExamples: 100, preferencePrompts: 50, rlPrompts: 40, evalPrompts: 10,
                categories: ["open_qa", "role_play"]),
            annotation: AnnotationInfo(
                annotators: 3, tasks: 50, labels: 50, labelsPerSecond: 100, oracleAgreement: 0.8,
                pairsAfterFilter: 40, pairsAfterBalancing: 30),
            rm: RewardModelInfo(
                accuracy: 0.75, oracleAgreement: 0.8, oraclePairs: 8, labelAccuracy: 0.7, lengthCorrelation: 0.2,
                perCategory: ["open_qa": 0.7], trainPairs: 30, evalPairs: 10, loss: [0.69, 0.5]),
            baselineSampling: Sampling(temperature: 1), sft: policy, sftGreedy: greedy, bestOfN: bestOf, ppo: policy,
            dpo: policy,
            ablations: Ablations(lengthBalancing: ablation, referenceBaseline: ablation, ptx: ablation))
    }
}
