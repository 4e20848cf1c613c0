import JSONSupport

/// `{"prompt", "completions": [{"text", "score", "model"?, "tokens"?}, …]}`: every two completions are compared by
/// score (higher preferred, equal a tie), and the scores are kept with the judgement.
package enum RatedFormat {
    /// The record of one line's object; the error names the field that is missing or wrong.
    package static func decode(_ object: JSONObject, context: DecodingContext) throws(FieldError) -> PreferenceRecord {
        let reader = FieldReader(object)
        let prompt = try PromptField.decode(try reader.value("prompt"))
        let completions = try reader.array("completions")
        guard completions.count >= 2 else {
            throw FieldError("field \"completions\" needs at least 2 completions to compare, got \(completions.count)")
        }
        var responses: [ResponseDraft] = []
        var scores: [Double] = []
        var firstIndexOfText: [String: Int] = [:]
        for (position, element) in completions.enumerated() {
            let path = "completion \(position + 1)"
            guard case .object(let completion) = element else {
                throw FieldError("\(path) must be an object, got \(element.typeDescription)")
            }
            let fields = FieldReader(completion, path: path)
            let text = try fields.string("text")
            if let earlier = firstIndexOfText[text] {
                throw FieldError("completions \(earlier + 1) and \(position + 1) have the same text")
            }
            firstIndexOfText[text] = position
            scores.append(try fields.number("score"))
            responses.append(
                ResponseDraft(
                    text: text, model: try fields.optionalString("model") ?? context.model,
                    tokenCount: try fields.optionalCount("tokens")))
        }
        var comparisons: [ComparisonDraft] = []
        for first in 0..<responses.count {
            for second in (first + 1)..<responses.count {
                let overall: Choice = scores[first] > scores[second] ? .a : scores[first] < scores[second] ? .b : .tie
                comparisons.append(
                    ComparisonDraft(
                        responseA: first, responseB: second,
                        judgements: [
                            JudgementDraft(
                                annotator: context.datasetAnnotator, overall: overall,
                                scoreA: scores[first], scoreB: scores[second])
                        ]))
            }
        }
        return PreferenceRecord(
            prompt: PromptDraft(
                text: prompt.text, context: prompt.context, category: try reader.optionalString("category"),
                source: context.source),
            responses: responses, comparisons: comparisons)
    }
}
