import Alignment
import Foundation
import SyntheticTask

extension QuickstartPipeline {
    /// The report from the finished stages' results.
    func assembleReport(ablations: Bool) throws -> QuickstartReport {
        let sft = try run.readResult(SFTResult.self, stage: .sft)
        let annotation = try run.readResult(AnnotationResult.self, stage: .annotation)
        let rm = try run.readResult(RewardModelResult.self, stage: .mainRewardModel)
        let ppo = try run.readResult(PPOResult.self, stage: .mainPPO)
        let dpo = try run.readResult(DPOResult.self, stage: .dpo)
        let evaluation = try run.readResult(EvaluationResult.self, stage: .evaluation)
        guard var sftInfo = evaluation.policies["sft"], let greedyInfo = evaluation.policies["sft-greedy"],
            let bestOfInfo = evaluation.policies["best-of-n"], var ppoInfo = evaluation.policies["ppo"],
            var dpoInfo = evaluation.policies["dpo"]
        else {
            throw QuickstartError(
                "\(run.folder(.evaluation).path): the evaluation lacks a policy; pass --restart to start over")
        }
        sftInfo.curves = ["loss": sft.loss]
        ppoInfo.curves = ppo.curves
        dpoInfo.curves = dpo.curves
        let seconds = run.stageSeconds
        var tunedInfo = evaluation.policies["tuned-sft"]
        tunedInfo?.curves = ["loss": sft.loss]
        var report = QuickstartReport(
            run: .init(
                id: run.runID, mode: settings.mode.rawValue, seed: settings.seed, stageSeconds: seconds,
                totalSeconds: seconds.values.reduce(0, +),
                stagePeakResidentBytes: run.stagePeakResidentBytes.isEmpty ? nil : run.stagePeakResidentBytes,
                model: try sft.model
                    ?? modelDescription(parameters: sft.parameters, vocabulary: loadTokenizer().vocabularySize),
                machine: machine),
            task: .init(
                sftExamples: splits.sft.examples.count, preferencePrompts: splits.preference.count,
                rlPrompts: splits.rl.count, evalPrompts: splits.eval.count,
                categories: TaskCategory.allCases.map(\.rawValue)),
            annotation: .init(
                annotators: annotation.annotators, tasks: annotation.tasks, labels: annotation.labels,
                labelsPerSecond: Double(annotation.labels) / max(annotation.labellingSeconds, 1e-9),
                oracleAgreement: annotation.oracleAgreement, pairsAfterFilter: rm.pairsAfterFilter,
                pairsAfterBalancing: rm.pairsAfterBalancing),
            rm: Self.rewardModelInfo(rm),
            baselineSampling: evalSampling, sft: sftInfo, sftGreedy: greedyInfo, bestOfN: bestOfInfo, ppo: ppoInfo,
            dpo: dpoInfo,
            ablations: ablations ? try run.readResult(QuickstartReport.Ablations.self, stage: .ablations) : nil)
        if startsFromRealModel {
            report.startingModel = settings.model
            report.sftOnTaskAnswers = tunedInfo
            report.forgetting = evaluation.generalTextLoss.map(QuickstartReport.Forgetting.init)
            report.sft.curves = [:]
        }
        return report
    }

    /// The reward model's part of the report. Its oracle agreement and the annotators' are both counted on the reward
    /// model's held-out pairs, so the annotators' rate is the ceiling of the same comparison.
    static func rewardModelInfo(_ rm: RewardModelResult) -> QuickstartReport.RewardModelInfo {
        QuickstartReport.RewardModelInfo(
            accuracy: rm.oracleAccuracy, oracleAgreement: rm.annotatorOracleAgreement,
            oraclePairs: rm.oracleDecidedPairs,
            labelAccuracy: rm.labelAccuracy, lengthCorrelation: rm.lengthCorrelation, perCategory: rm.perCategory,
            trainPairs: rm.trainPairs, evalPairs: rm.evalPairs, loss: rm.loss)
    }
}
