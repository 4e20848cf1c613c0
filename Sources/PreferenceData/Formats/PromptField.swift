import JSONSupport

/// Reads a record's prompt, which datasets give in three shapes: a plain string; a string in HH transcript form
/// (`\n\nHuman: …\n\nAssistant:`); or a list of `{"role", "content"}` messages ending with the user's. The last user
/// message becomes the prompt text and everything before it the context.
package enum PromptField {
    /// The prompt (text and context) of `value`.
    package static func decode(_ value: JSONValue, field: String = "prompt") throws(FieldError) -> (
        text: String, context: [Turn]
    ) {
        switch value {
        case .string(let text):
            guard HHTranscript.looksLikeTranscript(text) else { return (text, []) }
            var turns: [Turn]
            do throws(FieldError) { turns = try HHTranscript.turns(text) } catch {
                throw FieldError("field \"\(field)\": \(error.message)")
            }
            // A transcript prompt usually ends with an empty "Assistant:" waiting for the response.
            if let last = turns.last, last.role == .assistant, last.content.isEmpty { turns.removeLast() }
            return try split(turns, field: field)
        case .array:
            let turns: [Turn]
            do throws(FieldError) { turns = try Turn.turns(from: value) } catch {
                throw FieldError("field \"\(field)\": \(error.message)")
            }
            return try split(turns, field: field)
        default:
            throw FieldError(
                "field \"\(field)\" must be a string or an array of messages, got \(value.typeDescription)")
        }
    }

    /// The prompt of a conversation that must end with the user's message.
    package static func split(_ turns: [Turn], field: String) throws(FieldError) -> (text: String, context: [Turn]) {
        guard let last = turns.last else { throw FieldError("field \"\(field)\" has no messages") }
        guard last.role == .user else {
            throw FieldError("field \"\(field)\" must end with a user (Human) message, not \(last.role.rawValue)")
        }
        return (last.content, Array(turns.dropLast()))
    }

    /// A response given as a string or as a one-message list `[{"role": "assistant", "content": …}]`.
    package static func response(_ reader: FieldReader, _ key: String) throws(FieldError) -> String {
        let value = try reader.value(key)
        switch value {
        case .string(let text):
            return text
        case .array(let elements):
            let turns: [Turn]
            do throws(FieldError) { turns = try Turn.turns(from: value) } catch {
                throw FieldError("field \(reader.name(key)): \(error.message)")
            }
            guard elements.count == 1, turns[0].role == .assistant else {
                throw FieldError("field \(reader.name(key)) must be a string or a single assistant message")
            }
            return turns[0].content
        default:
            throw reader.wrongType(key, expected: "a string or a single assistant message", got: value)
        }
    }
}
