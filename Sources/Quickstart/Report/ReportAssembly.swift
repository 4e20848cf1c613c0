import Alignment
import Foundation

extension QuickstartPipeline {
    /// The report from the finished stages' results.
    func assembleReport(ablations: Bool) throws -> QuickstartReport {
        let sft = try run.readResult(SFTResult.self, stage: "sft")
        let annotation = try run.readResult(AnnotationResult.self, stage: "annotation")
        let rm = try run.readResult(RewardModelResult.self, stage: "rm")
        let ppo = try run.readResult(PPOResult.self, stage: "ppo")
        let dpo = try run.readResult(DPOResult.self, stage: "dpo")
        let evaluation = try run.readResult(EvaluationResult.self, stage: "evaluation")
        guard var sftInfo = evaluation.policies["sft"], var ppoInfo = evaluation.policies["ppo"],
              var dpoInfo = evaluation.policies["dpo"] else {
            throw QuickstartError("\(run.folder("evaluation").path): the evaluation lacks a policy; pass --restart to start over")
        }
        sftInfo.curves = ["loss": sft.loss]
        ppoInfo.curves = ppo.curves
        dpoInfo.curves = dpo.curves
        let seconds = run.stageSeconds
        return QuickstartReport(
            run: .init(id: run.runID, mode: settings.mode, seed: settings.seed, stageSeconds: seconds,
                       totalSeconds: seconds.values.reduce(0, +), model: modelDescription(parameters: sft.parameters, vocabulary: try loadTokenizer().vocabularySize)),
            task: .init(sftExamples: splits.sft.examples.count, preferencePrompts: splits.preference.count,
                        rlPrompts: splits.rl.count, evalPrompts: splits.eval.count,
                        categories: TaskCategory.allCases.map(\.rawValue)),
            annotation: .init(annotators: annotation.annotators, tasks: annotation.tasks, labels: annotation.labels,
                              labelsPerSecond: Double(annotation.labels) / max(annotation.labellingSeconds, 1e-9),
                              oracleAgreement: annotation.oracleAgreement, pairsAfterFilter: rm.pairsAfterFilter,
                              pairsAfterBalancing: rm.pairsAfterBalancing),
            rm: .init(accuracy: rm.oracleAccuracy, oracleAgreement: annotation.oracleAgreement,
                      labelAccuracy: rm.labelAccuracy, lengthCorrelation: rm.lengthCorrelation,
                      perCategory: rm.perCategory, trainPairs: rm.trainPairs, evalPairs: rm.evalPairs, loss: rm.loss),
            sft: sftInfo, ppo: ppoInfo, dpo: dpoInfo,
            ablations: ablations ? try run.readResult(QuickstartReport.Ablations.self, stage: "ablations") : nil)
    }
}
