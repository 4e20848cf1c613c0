import JSONSupport
import PreferenceData

/// A label as the API and the web form send it: `choice` (a, b, tie, both_bad), optional per-dimension choices and an
/// optional comment, relative to the order the annotator was shown.
enum LabelInput {
    /// The spellings of a choice, for error messages.
    static let choiceNames = Choice.allCases.map(\.rawValue).joined(separator: ", ")

    /// The label of a JSON body's `choice`, `dimensions` and `comment` fields.
    static func label(from fields: JSONFields, maximumCommentLength: Int) throws -> LabelDraft {
        let overall = try choice(try fields.string("choice"), field: "choice")
        var dimensions: [QualityDimension: Choice] = [:]
        if let value = fields.object["dimensions"], !value.isNull {
            guard let object = value.object else {
                throw APIError.badRequest(
                    "field \"dimensions\" must be an object like {\"helpfulness\": \"a\"}, got \(value.typeDescription)"
                )
            }
            for (key, choiceValue) in object {
                guard let dimension = QualityDimension(rawValue: key) else {
                    throw APIError.badRequest(
                        "unknown dimension \"\(key)\"; expected "
                            + QualityDimension.allCases.map(\.rawValue).joined(separator: ", "))
                }
                if choiceValue.isNull { continue }
                guard let text = choiceValue.string else {
                    throw APIError.badRequest(
                        "dimension \"\(key)\" must be one of \(choiceNames), got \(choiceValue.typeDescription)")
                }
                dimensions[dimension] = try choice(text, field: "dimensions.\(key)")
            }
        }
        let comment = try self.comment(try fields.optionalString("comment"), maximumLength: maximumCommentLength)
        return LabelDraft(overall: overall, dimensions: dimensions, comment: comment)
    }

    /// The choice a spelling names; 400 otherwise.
    static func choice(_ text: String, field: String) throws -> Choice {
        guard let choice = Choice(text: text) else {
            throw APIError.badRequest("\"\(field)\" must be one of \(choiceNames), got \"\(text.prefix(40))\"")
        }
        return choice
    }

    /// A comment trimmed of surrounding white space (nil if empty); 400 if longer than the limit.
    static func comment(_ text: String?, maximumLength: Int) throws -> String? {
        guard let text else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.count > maximumLength {
            throw APIError.badRequest("the comment is \(trimmed.count) characters long; the limit is \(maximumLength)")
        }
        return trimmed.isEmpty ? nil : trimmed
    }
}
