import JSONSupport

/// Anthropic HH-RLHF lines: `{"chosen": dialogue, "rejected": dialogue}` (and `tie: true` on exported ties).
package enum HHFormat {
    /// The record of one line's object; the error names the field that is missing or wrong.
    package static func decode(_ object: JSONObject, context: DecodingContext) throws(FieldError) -> PreferenceRecord {
        let reader = FieldReader(object)
        let chosen = try dialogue(reader, "chosen")
        let rejected = try dialogue(reader, "rejected")
        let sharedCount = chosen.count - 1
        guard rejected.count - 1 == sharedCount, Array(chosen.dropLast()) == Array(rejected.dropLast()) else {
            let firstDifference = Array(zip(chosen.dropLast(), rejected.dropLast())).firstIndex(where: { $0 != $1 }).map
            { $0 + 1 }
            let detail = firstDifference.map { " (turn \($0))" } ?? " (different numbers of turns)"
            throw FieldError("\"chosen\" and \"rejected\" differ before the final Assistant turn\(detail)")
        }
        let prompt: (text: String, context: [Turn])
        do throws(FieldError) { prompt = try PromptField.split(Array(chosen.dropLast()), field: "chosen") } catch {
            throw FieldError("the dialogue before the final answer must end with a Human turn")
        }
        return PreferenceRecord(
            prompt: PromptDraft(text: prompt.text, context: prompt.context, source: context.source),
            responses: [
                ResponseDraft(text: chosen.last!.content, model: context.model),
                ResponseDraft(text: rejected.last!.content, model: context.model),
            ],
            comparisons: [
                ComparisonDraft(
                    responseA: 0, responseB: 1,
                    judgements: [
                        JudgementDraft(
                            annotator: context.datasetAnnotator, overall: try PairsFormat.tieFlag(reader) ? .tie : .a)
                    ])
            ])
    }

    private static func dialogue(_ reader: FieldReader, _ key: String) throws(FieldError) -> [Turn] {
        let text = try reader.string(key)
        let turns: [Turn]
        do throws(FieldError) { turns = try HHTranscript.turns(text) } catch {
            throw FieldError("field \"\(key)\": \(error.message)")
        }
        guard turns.count >= 2, turns.last!.role == .assistant else {
            throw FieldError("field \"\(key)\" must be a dialogue ending with an Assistant turn")
        }
        return turns
    }

    /// The line of a resolved pair: both dialogues in full.
    package static func encode(_ pair: PreferencePair) -> JSONValue {
        let prefix = pair.context + [Turn(role: .user, content: pair.prompt)]
        var fields: [(key: String, value: JSONValue)] = [
            ("chosen", .string(HHTranscript.transcript(prefix + [Turn(role: .assistant, content: pair.chosen)]))),
            ("rejected", .string(HHTranscript.transcript(prefix + [Turn(role: .assistant, content: pair.rejected)]))),
        ]
        if pair.isTie { fields.append(("tie", .bool(true))) }
        return .object(JSONObject(fields))
    }
}
