import JSONSupport

/// `{"prompt", "chosen", "rejected"}` lines, with optional `category` (and `tie: true` on exported ties).
package enum PairsFormat {
    /// The record of one line's object; the error names the field that is missing or wrong.
    package static func decode(_ object: JSONObject, context: DecodingContext) throws(FieldError) -> PreferenceRecord {
        let reader = FieldReader(object)
        let prompt = try PromptField.decode(try reader.value("prompt"))
        let chosen = try PromptField.response(reader, "chosen")
        let rejected = try PromptField.response(reader, "rejected")
        let isTie = try tieFlag(reader)
        return PreferenceRecord(
            prompt: PromptDraft(
                text: prompt.text, context: prompt.context, category: try reader.optionalString("category"),
                source: context.source),
            responses: [
                ResponseDraft(text: chosen, model: context.model), ResponseDraft(text: rejected, model: context.model),
            ],
            comparisons: [
                ComparisonDraft(
                    responseA: 0, responseB: 1,
                    judgements: [
                        JudgementDraft(annotator: context.datasetAnnotator, overall: isTie ? .tie : .a)
                    ])
            ])
    }

    /// The optional `tie` field that exported ties carry.
    static func tieFlag(_ reader: FieldReader) throws(FieldError) -> Bool {
        guard let tie = reader.object["tie"], tie != .null else { return false }
        guard case .bool(let flag) = tie else { throw reader.wrongType("tie", expected: "a boolean", got: tie) }
        return flag
    }

    /// The line of a resolved pair. A prompt with context is written as a list of messages.
    package static func encode(_ pair: PreferencePair) -> JSONValue {
        var fields: [(key: String, value: JSONValue)] = []
        if pair.context.isEmpty {
            fields.append(("prompt", .string(pair.prompt)))
        } else {
            fields.append(("prompt", Turn.json(pair.context + [Turn(role: .user, content: pair.prompt)])))
        }
        fields.append(("chosen", .string(pair.chosen)))
        fields.append(("rejected", .string(pair.rejected)))
        if pair.isTie { fields.append(("tie", .bool(true))) }
        if let category = pair.category { fields.append(("category", .string(category))) }
        return .object(JSONObject(fields))
    }
}
