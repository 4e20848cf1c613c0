/// Decodes metadata values, including nested arrays, from a cursor.
enum GGUFValueReader {
    /// Arrays may nest; deeper nesting than this is treated as corruption rather than risking the stack.
    static let maximumNesting = 8

    static func readValue(_ cursor: inout ByteCursor, key: String) throws -> GGUFValue {
        let tag = try cursor.read(UInt32.self, "the type of metadata \(key)")
        guard let type = GGUFValueType(rawValue: tag) else {
            throw cursor.fail("corrupt: metadata \(key) has unknown value type \(tag)")
        }
        return try read(type, &cursor, key: key, depth: 0)
    }

    private static func read(_ type: GGUFValueType, _ cursor: inout ByteCursor, key: String, depth: Int) throws
        -> GGUFValue
    {
        let what = "the value of metadata \(key)"
        switch type {
        case .uint8: return .uint8(try cursor.read(UInt8.self, what))
        case .int8: return .int8(try cursor.read(Int8.self, what))
        case .uint16: return .uint16(try cursor.read(UInt16.self, what))
        case .int16: return .int16(try cursor.read(Int16.self, what))
        case .uint32: return .uint32(try cursor.read(UInt32.self, what))
        case .int32: return .int32(try cursor.read(Int32.self, what))
        case .uint64: return .uint64(try cursor.read(UInt64.self, what))
        case .int64: return .int64(try cursor.read(Int64.self, what))
        case .float32: return .float32(Float(bitPattern: try cursor.read(UInt32.self, what)))
        case .float64: return .float64(Double(bitPattern: try cursor.read(UInt64.self, what)))
        case .bool:
            let byte = try cursor.read(UInt8.self, what)
            guard byte <= 1 else { throw cursor.fail("corrupt: metadata \(key) is a bool stored as \(byte)") }
            return .bool(byte == 1)
        case .string: return .string(try cursor.readString(what))
        case .array:
            guard depth < maximumNesting else { throw cursor.fail("corrupt: metadata \(key) nests arrays too deeply") }
            let tag = try cursor.read(UInt32.self, "the element type of metadata \(key)")
            guard let elementType = GGUFValueType(rawValue: tag) else {
                throw cursor.fail("corrupt: metadata \(key) is an array of unknown value type \(tag)")
            }
            let count = try cursor.readCount("the length of metadata \(key)")
            guard count <= cursor.remaining / elementType.minimumEncodedSize else {
                throw cursor.fail(
                    "truncated: metadata \(key) declares \(count) elements but only \(cursor.remaining) bytes remain")
            }
            var elements: [GGUFValue] = []
            elements.reserveCapacity(count)
            for _ in 0..<count {
                elements.append(try read(elementType, &cursor, key: key, depth: depth + 1))
            }
            return .array(elementType, elements)
        }
    }
}
