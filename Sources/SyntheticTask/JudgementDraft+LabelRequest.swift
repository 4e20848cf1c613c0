import Foundation
import PreferenceData

extension JudgementDraft {
    /// The body of `POST /api/v1/labels` (docs/annotation-api.yaml, `NewLabel`) for this judgement of task `taskID`:
    /// the overall choice, the dimensions given, and the comment if any.
    public func labelRequestBody(taskID: Int) throws -> Data {
        var body: [String: Any] = ["task_id": taskID, "choice": overall.rawValue]
        if !dimensions.isEmpty {
            body["dimensions"] = Dictionary(
                uniqueKeysWithValues: dimensions.map { ($0.key.rawValue, $0.value.rawValue) })
        }
        if let comment { body["comment"] = comment }
        return try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
    }
}
