import Foundation
import Testing
@testable import PreferenceData

@Suite struct AtomicFileWriterTests {
    @Test func commitPutsTheWholeFileInPlace() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("out.jsonl")
        let writer = try AtomicFileWriter(path: path)
        try writer.write("first\n")
        #expect(!FileManager.default.fileExists(atPath: path))
        try writer.write(Array(repeating: UInt8(ascii: "x"), count: 3 << 20))
        try writer.commit()
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(data.count == 6 + (3 << 20))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["out.jsonl"])
    }

    @Test func abandoningLeavesTheOldFileAndNoTemporary() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("out.jsonl", "old\n")
        do {
            let writer = try AtomicFileWriter(path: path)
            try writer.write("new, but never committed\n")
        }  // released without commit
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["out.jsonl"])
    }

    @Test func unwritableDirectoryIsAnError() {
        #expect(throws: PreferenceDataError.self) { try AtomicFileWriter(path: "/nonexistent-dir/out.jsonl") }
    }
}
