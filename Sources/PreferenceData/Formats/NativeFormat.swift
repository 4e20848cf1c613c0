import Foundation
import JSONSupport

/// The store's own JSON Lines format: one comparison per line carrying every field, so export → import reproduces
/// the store's prompts, compared responses, comparisons and judgements.
///
/// ```json
/// {"prompt": "…", "context": [{"role": "user", "content": "…"}, …], "category": "writing", "source": "hh",
///  "quality_flags": ["too_short"],
///  "response_a": {"text": "…", "model": "sft-v1", "tokens": 120}, "response_b": {"text": "…"},
///  "judgements": [{"annotator": "alice", "annotator_kind": "human", "overall": "a", "helpfulness": "a",
///                  "safety": "tie", "fluency": "b", "score_a": 1.5, "score_b": -0.5, "comment": "…",
///                  "time": "2024-05-01T10:00:00.000Z"}]}
/// ```
/// Only `prompt` is required: a line without responses is a prompt alone, and a comparison without judgements is
/// a task still to annotate. `annotator_kind` is `human` (default), `model` or `dataset`; choices are `a`, `b`,
/// `tie` or `both_bad`; times are ISO 8601. An annotation export asked for every revision gives each judgement a
/// `revisions` array of its earlier versions, oldest first (`overall`, dimensions, `comment`, `time`, `replaced_at`);
/// import reads the current values and ignores it.
package enum NativeFormat {
    /// The record of one line's object; the error names the field that is missing or wrong.
    package static func decode(_ object: JSONObject, context: DecodingContext) throws(FieldError) -> PreferenceRecord {
        let reader = FieldReader(object)
        var flags: PromptQualityFlags = []
        for (position, element) in (try reader.optionalArray("quality_flags") ?? []).enumerated() {
            guard case .string(let name) = element, let flag = PromptQualityFlags(name: name) else {
                throw FieldError(
                    "quality flag \(position + 1) must be one of "
                        + PromptQualityFlags.named.map(\.name).joined(separator: ", "))
            }
            flags.insert(flag)
        }
        var turns: [Turn] = []
        if let contextValue = object["context"], contextValue != .null {
            do throws(FieldError) { turns = try Turn.turns(from: contextValue) } catch {
                throw FieldError("field \"context\": \(error.message)")
            }
        }
        let prompt = PromptDraft(
            text: try reader.string("prompt"), context: turns,
            category: try reader.optionalString("category"),
            source: try reader.optionalString("source"), qualityFlags: flags)
        let hasA = object["response_a"].map { $0 != .null } ?? false
        let hasB = object["response_b"].map { $0 != .null } ?? false
        guard hasA || hasB else {
            if let judgements = try reader.optionalArray("judgements"), !judgements.isEmpty {
                throw FieldError("judgements need \"response_a\" and \"response_b\"")
            }
            return PreferenceRecord(prompt: prompt)
        }
        let responses = [try response(reader, "response_a"), try response(reader, "response_b")]
        var judgements: [JudgementDraft] = []
        for (position, element) in (try reader.optionalArray("judgements") ?? []).enumerated() {
            guard case .object(let fields) = element else {
                throw FieldError("judgement \(position + 1) must be an object, got \(element.typeDescription)")
            }
            judgements.append(try judgement(FieldReader(fields, path: "judgement \(position + 1)")))
        }
        return PreferenceRecord(
            prompt: prompt, responses: responses,
            comparisons: [ComparisonDraft(responseA: 0, responseB: 1, judgements: judgements)])
    }

    private static func response(_ reader: FieldReader, _ key: String) throws(FieldError) -> ResponseDraft {
        let fields = FieldReader(try reader.object(key), path: "\"\(key)\"")
        return ResponseDraft(
            text: try fields.string("text"), model: try fields.optionalString("model"),
            tokenCount: try fields.optionalCount("tokens"))
    }

    private static func judgement(_ reader: FieldReader) throws(FieldError) -> JudgementDraft {
        let kindText = try reader.optionalString("annotator_kind") ?? AnnotatorKind.human.rawValue
        guard let kind = AnnotatorKind(rawValue: kindText) else {
            throw FieldError(
                "field \(reader.name("annotator_kind")) is \"\(kindText)\"; expected human, model or dataset")
        }
        guard let overall = try reader.optionalChoice("overall") else {
            throw FieldError("missing field \(reader.name("overall"))")
        }
        var dimensions: [QualityDimension: Choice] = [:]
        for dimension in QualityDimension.allCases {
            dimensions[dimension] = try reader.optionalChoice(dimension.rawValue)
        }
        var judgedAt: Date?
        if let time = try reader.optionalString("time") {
            guard let date = Timestamp.date(from: time) else {
                throw FieldError("field \(reader.name("time")) is \"\(time)\", not an ISO 8601 date-time")
            }
            judgedAt = date
        }
        return JudgementDraft(
            annotator: AnnotatorReference(name: try reader.string("annotator"), kind: kind),
            overall: overall, dimensions: dimensions, scoreA: try reader.optionalNumber("score_a"),
            scoreB: try reader.optionalNumber("score_b"), comment: try reader.optionalString("comment"),
            judgedAt: judgedAt)
    }

    /// A judgement with its annotator, as the exporter reads it.
    package struct ExportedJudgement {
        var judgement: Judgement
        var annotatorName: String
        var annotatorKind: AnnotatorKind
        /// Earlier versions, oldest first; nil leaves `revisions` out of the line.
        var revisions: [LabelRevision]? = nil
    }

    /// The line of a prompt alone, or of a comparison with its judgements. Absent values are left out.
    package static func encode(
        prompt: Prompt, responseA: Response?, responseB: Response?,
        judgements: [ExportedJudgement]
    ) -> JSONValue {
        var fields: [(key: String, value: JSONValue)] = [("prompt", .string(prompt.text))]
        if !prompt.context.isEmpty { fields.append(("context", Turn.json(prompt.context))) }
        if let category = prompt.category { fields.append(("category", .string(category))) }
        if let source = prompt.source { fields.append(("source", .string(source))) }
        if !prompt.qualityFlags.isEmpty {
            fields.append(("quality_flags", .array(prompt.qualityFlags.names.map { .string($0) })))
        }
        guard let responseA, let responseB else { return .object(JSONObject(fields)) }
        fields.append(("response_a", encode(responseA)))
        fields.append(("response_b", encode(responseB)))
        fields.append(("judgements", .array(judgements.map(encode))))
        return .object(JSONObject(fields))
    }

    private static func encode(_ response: Response) -> JSONValue {
        var fields: [(key: String, value: JSONValue)] = [("text", .string(response.text))]
        if let model = response.model { fields.append(("model", .string(model))) }
        if let tokens = response.tokenCount { fields.append(("tokens", .number(Double(tokens)))) }
        return .object(JSONObject(fields))
    }

    private static func encode(_ exported: ExportedJudgement) -> JSONValue {
        let judgement = exported.judgement
        var fields: [(key: String, value: JSONValue)] = [
            ("annotator", .string(exported.annotatorName)),
            ("annotator_kind", .string(exported.annotatorKind.rawValue)),
            ("overall", .string(judgement.overall.rawValue)),
        ]
        for dimension in QualityDimension.allCases {
            if let choice = judgement.dimensions[dimension] {
                fields.append((dimension.rawValue, .string(choice.rawValue)))
            }
        }
        if let score = judgement.scoreA { fields.append(("score_a", .number(score))) }
        if let score = judgement.scoreB { fields.append(("score_b", .number(score))) }
        if let comment = judgement.comment { fields.append(("comment", .string(comment))) }
        if let time = judgement.judgedAt { fields.append(("time", .string(Timestamp.string(from: time)))) }
        if let revisions = exported.revisions { fields.append(("revisions", .array(revisions.map(encode)))) }
        return .object(JSONObject(fields))
    }

    private static func encode(_ revision: LabelRevision) -> JSONValue {
        var fields: [(key: String, value: JSONValue)] = [("overall", .string(revision.label.overall.rawValue))]
        for dimension in QualityDimension.allCases {
            if let choice = revision.label.dimensions[dimension] {
                fields.append((dimension.rawValue, .string(choice.rawValue)))
            }
        }
        if let comment = revision.label.comment { fields.append(("comment", .string(comment))) }
        if let time = revision.judgedAt { fields.append(("time", .string(Timestamp.string(from: time)))) }
        fields.append(("replaced_at", .string(Timestamp.string(from: revision.replacedAt))))
        return .object(JSONObject(fields))
    }
}
