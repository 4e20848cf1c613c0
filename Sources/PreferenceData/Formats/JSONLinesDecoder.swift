import Foundation
import JSONSupport
import Parallelism

/// A record decoded from a line of a file.
package struct DecodedLine: Sendable {
    /// Line number, counting from 1.
    package var line: Int
    /// The record.
    package var record: PreferenceRecord
}

/// Every line of a JSON Lines file, decoded: the records of the valid lines and the problems of the others.
package struct DecodedFile: Sendable {
    /// The format the lines were read as (nil if the file has no non-blank lines and none was given).
    package var format: RecordFormat?
    /// Records of valid lines, in file order.
    package var records: [DecodedLine] = []
    /// Problems of invalid lines, in file order.
    package var issues: [LineIssue] = []
    /// Lines that are not blank.
    package var lineCount = 0
}

/// Splits JSON Lines data into lines and decodes them in parallel. Blank lines are skipped; `\r\n` endings and a
/// leading byte-order mark are accepted.
package enum JSONLinesDecoder {
    /// How many lines auto-detection reads looking for one whose fields tell the format.
    static let detectionLineLimit = 1000

    /// Decodes `data` (named `name` in messages) as `format`, or the format its first telling line shows.
    package static func decode(_ data: Data, name: String, format: RecordFormat?, context: DecodingContext) throws
        -> DecodedFile
    {
        let lines = lineRanges(of: data)
        var file = DecodedFile(format: format, lineCount: lines.count)
        guard !lines.isEmpty else { return file }
        let resolved = try format ?? detectFormat(data, lines: lines, name: name)
        file.format = resolved

        let chunks = Parallel.map(count: lines.count) { range -> (records: [DecodedLine], issues: [LineIssue]) in
            var records: [DecodedLine] = []
            var issues: [LineIssue] = []
            records.reserveCapacity(range.count)
            data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
                let all = raw.bindMemory(to: UInt8.self)
                for index in range {
                    let line = lines[index]
                    do throws(FieldError) {
                        let object = try parseObject(UnsafeBufferPointer(rebasing: all[line.bytes]))
                        let record = try resolved.decode(object, context: context)
                        if let problem = record.problem() { throw FieldError(problem) }
                        records.append(DecodedLine(line: line.number, record: record))
                    } catch {
                        issues.append(LineIssue(file: name, line: line.number, problem: error.message))
                    }
                }
            }
            return (records, issues)
        }
        for chunk in chunks {
            file.records.append(contentsOf: chunk.records)
            file.issues.append(contentsOf: chunk.issues)
        }
        return file
    }

    /// A non-blank line: its number and its bytes (without the line ending).
    package struct Line: Sendable {
        var number: Int
        var bytes: Range<Int>
    }

    /// The non-blank lines of `data`.
    package static func lineRanges(of data: Data) -> [Line] {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> [Line] in
            let bytes = raw.bindMemory(to: UInt8.self)
            var lines: [Line] = []
            var start = 0
            if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
            var number = 1
            while start <= bytes.count {
                var end = start
                if let base = bytes.baseAddress, start < bytes.count,
                    let newline = memchr(base + start, 0x0A, bytes.count - start)
                {
                    end = base.distance(to: newline.assumingMemoryBound(to: UInt8.self))
                } else {
                    end = bytes.count
                }
                var contentEnd = end
                if contentEnd > start && bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
                var blank = true
                for index in start..<contentEnd where !(bytes[index] == 0x20 || bytes[index] == 0x09) {
                    blank = false
                    break
                }
                if !blank { lines.append(Line(number: number, bytes: start..<contentEnd)) }
                if end >= bytes.count { break }
                start = end + 1
                number += 1
            }
            return lines
        }
    }

    /// Checks UTF-8, parses the JSON and requires an object.
    package static func parseObject(_ bytes: UnsafeBufferPointer<UInt8>) throws(FieldError) -> JSONObject {
        let value: JSONValue
        do throws(JSONParseError) { value = try JSONParser.parse(bytes, options: .preferenceData) } catch {
            switch error.kind {
            case .invalidUTF8: throw FieldError("invalid UTF-8 at column \(error.column)")
            case .syntax: throw FieldError("invalid JSON at column \(error.column): \(error.message)")
            }
        }
        guard case .object(let object) = value else {
            throw FieldError("expected a JSON object, got \(value.typeDescription)")
        }
        return object
    }

    private static func detectFormat(_ data: Data, lines: [Line], name: String) throws -> RecordFormat {
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws -> RecordFormat in
            let all = raw.bindMemory(to: UInt8.self)
            var firstFields: (line: Int, keys: [String])?
            var firstProblem: LineIssue?
            for line in lines.prefix(detectionLineLimit) {
                do throws(FieldError) {
                    let object = try parseObject(UnsafeBufferPointer(rebasing: all[line.bytes]))
                    if let format = RecordFormat.detect(fields: object.keys) { return format }
                    if firstFields == nil { firstFields = (line.number, object.keys) }
                } catch {
                    if firstProblem == nil {
                        firstProblem = LineIssue(file: name, line: line.number, problem: error.message)
                    }
                }
            }
            guard let firstFields else {
                // Not one line is a JSON object: report the first, as any invalid line is reported.
                throw PreferenceDataError.importRejected(first: firstProblem!, invalidLines: lines.count)
            }
            throw PreferenceDataError.invalidArgument(
                "\(name):\(firstFields.line): cannot tell the record format from the fields ("
                    + firstFields.keys.joined(separator: ", ") + "); give --format pairs, hh, rated or native")
        }
    }
}
