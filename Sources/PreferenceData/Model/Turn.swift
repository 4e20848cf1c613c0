import JSONSupport

/// One message of a conversation.
public struct Turn: Sendable, Hashable {
    /// Who speaks.
    public enum Role: String, Sendable, Hashable, CaseIterable {
        case system
        case user
        case assistant
    }

    /// Who speaks.
    public var role: Role
    /// What is said.
    public var content: String

    /// Creates a turn.
    public init(role: Role, content: String) {
        self.role = role
        self.content = content
    }
}

extension Turn {
    /// The JSON array of `turns` as `[{"role":…,"content":…}, …]` (how the store keeps prompt context).
    package static func json(_ turns: [Turn]) -> JSONValue {
        .array(
            turns.map { .object(JSONObject([("role", .string($0.role.rawValue)), ("content", .string($0.content))])) })
    }

    /// The turns of a JSON array of `{"role", "content"}` objects; the error says which element is wrong.
    package static func turns(from value: JSONValue) throws(FieldError) -> [Turn] {
        guard case .array(let elements) = value else {
            throw FieldError("must be an array of {\"role\", \"content\"} messages, got \(value.typeDescription)")
        }
        var turns: [Turn] = []
        turns.reserveCapacity(elements.count)
        for (position, element) in elements.enumerated() {
            guard case .object(let object) = element else {
                throw FieldError("message \(position + 1) must be an object, got \(element.typeDescription)")
            }
            let reader = FieldReader(object, path: "message \(position + 1)")
            let roleText = try reader.string("role")
            guard let role = Role(rawValue: roleText) ?? (roleText == "human" ? .user : nil) else {
                throw FieldError("message \(position + 1) has role \"\(roleText)\"; expected system, user or assistant")
            }
            turns.append(Turn(role: role, content: try reader.string("content")))
        }
        return turns
    }

    /// Decodes context text as stored in the `prompt.context` column.
    package static func decodeStored(_ text: String?) -> [Turn] {
        guard let text, !text.isEmpty, let value = try? JSONParser.parse(text, options: .preferenceData),
            let turns = try? turns(from: value)
        else { return [] }
        return turns
    }

    /// Encodes context for the `prompt.context` column (nil for a single-turn prompt).
    package static func encodeStored(_ turns: [Turn]) -> String? {
        turns.isEmpty ? nil : JSONWriter.string(json(turns))
    }
}
