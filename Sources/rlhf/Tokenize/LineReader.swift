import Foundation

/// Reads a file handle (standard input, a training file) as lines, a block at a time, without loading it all.
struct LineReader {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    /// 1-based number of the next line returned.
    private(set) var nextLineNumber = 1

    init(handle: FileHandle) { self.handle = handle }

    /// Up to `maxLines` lines or about `maxBytes` bytes of lines (each without its "\n" and a final "\r"), with their
    /// line numbers; nil at the end of the input.
    mutating func nextBlock(maxLines: Int, maxBytes: Int) -> [(number: Int, bytes: [UInt8])]? {
        var lines: [(number: Int, bytes: [UInt8])] = []
        var taken = 0
        while lines.count < maxLines, taken < maxBytes {
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                lines.append((nextLineNumber, Self.trimmed(buffer[start..<newline])))
                nextLineNumber += 1
                taken += newline - start
                start = newline + 1
            } else if atEnd {
                if start < buffer.count {
                    lines.append((nextLineNumber, Self.trimmed(buffer[start...])))
                    nextLineNumber += 1
                    start = buffer.count
                }
                break
            } else {
                buffer.removeFirst(start)
                start = 0
                let chunk = handle.readData(ofLength: 1 << 20)
                if chunk.isEmpty { atEnd = true } else { buffer.append(contentsOf: chunk) }
            }
        }
        return lines.isEmpty && atEnd ? nil : lines
    }

    private static func trimmed(_ line: ArraySlice<UInt8>) -> [UInt8] {
        Array(line.last == 0x0D ? line.dropLast() : line)
    }
}
