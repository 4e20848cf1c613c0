import JSONSupport

/// The JSON Lines formats the store imports and exports.
public enum RecordFormat: String, Sendable, Hashable, CaseIterable {
    /// `{"prompt", "chosen", "rejected"}`: one human preference per line. The prompt may be a string, an HH
    /// transcript or a list of messages; optional `category`.
    case pairs
    /// Anthropic HH-RLHF: `{"chosen", "rejected"}`, each a whole `\n\nHuman: …\n\nAssistant: …` dialogue that differs
    /// only in the final Assistant turn.
    case hh
    /// Several rated responses: `{"prompt", "completions": [{"text", "score", "model"?}, …]}`; every two completions
    /// make a comparison (the higher score preferred, equal scores a tie).
    case rated
    /// This store's own format: one comparison per line with every field (see `NativeFormat`).
    case native

    /// Tells the format from the fields of a record, or nil if they do not say (a native prompt-only line, say, or
    /// another kind of file).
    public static func detect(fields: [String]) -> RecordFormat? {
        let keys = Set(fields)
        if keys.contains("completions") { return .rated }
        if keys.contains("response_a") || keys.contains("judgements") { return .native }
        if keys.contains("chosen") && keys.contains("rejected") { return keys.contains("prompt") ? .pairs : .hh }
        return nil
    }
}

/// What a decoder needs besides the line: who the judgements are attributed to and the responses' model.
package struct DecodingContext: Sendable {
    /// The dataset annotator that judgements without a named annotator are attributed to.
    package var source: String
    /// The model that produced responses that do not name one.
    package var model: String?

    /// The dataset annotator named by `source`.
    package var datasetAnnotator: AnnotatorReference { AnnotatorReference(name: source, kind: .dataset) }
}

extension RecordFormat {
    /// Decodes one line's object into a record.
    package func decode(_ object: JSONObject, context: DecodingContext) throws(FieldError) -> PreferenceRecord {
        switch self {
        case .pairs: return try PairsFormat.decode(object, context: context)
        case .hh: return try HHFormat.decode(object, context: context)
        case .rated: return try RatedFormat.decode(object, context: context)
        case .native: return try NativeFormat.decode(object, context: context)
        }
    }
}
