import AtomicFiles
import Foundation
import Testing

@Suite struct AtomicFileTests {
    /// A fresh directory, removed when the test ends.
    final class Scratch {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rlhf-atomic-\(UUID().uuidString)")
            .path
        init() throws { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(atPath: path) }
        func file(_ name: String) -> String { path + "/" + name }
        var contents: [String] { (try? FileManager.default.contentsOfDirectory(atPath: path).sorted()) ?? [] }
    }

    @Test func commitPutsTheWholeFileInPlace() throws {
        let directory = try Scratch()
        let path = directory.file("out.jsonl")
        let writer = try AtomicFile(path: path)
        try writer.write("first\n")
        #expect(!FileManager.default.fileExists(atPath: path))
        try writer.write(Array(repeating: UInt8(ascii: "x"), count: 3 << 20))
        try writer.write("last")
        try writer.commit()
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(data.count == 6 + (3 << 20) + 4)
        #expect(data.prefix(6) == Data("first\n".utf8) && data.suffix(4) == Data("last".utf8))
        #expect(directory.contents == ["out.jsonl"])
    }

    @Test func abandoningLeavesTheOldFileAndNoTemporary() throws {
        let directory = try Scratch()
        let path = directory.file("out.jsonl")
        try AtomicFile.write(Array("old\n".utf8), to: path)
        do {
            let writer = try AtomicFile(path: path)
            try writer.write("new, but never committed\n")
        }  // released without commit
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n")
        #expect(directory.contents == ["out.jsonl"])
    }

    @Test func unwritableDirectoryIsAnErrorNamingTheFile() {
        let error = #expect(throws: AtomicFileError.self) { try AtomicFile(path: "/nonexistent-dir/out.jsonl") }
        #expect(error?.step == .create)
        #expect(error?.description.hasPrefix("/nonexistent-dir/out.jsonl: cannot create") == true)
    }

    @Test func aFailedRenameRemovesTheTemporaryFile() throws {
        // The target is a non-empty directory: the temporary file is written, then the rename fails.
        let directory = try Scratch()
        let target = directory.file("model.bin")
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
        try Data([1]).write(to: URL(fileURLWithPath: target + "/keep"))
        let error = #expect(throws: AtomicFileError.self) { try AtomicFile.write([1, 2, 3], to: target) }
        #expect(error?.step == .rename)
        #expect(directory.contents == ["model.bin"])
    }

    @Test func aDirectoryIsReplacedWholeOrNotAtAll() throws {
        let directory = try Scratch()
        let target = URL(fileURLWithPath: directory.file("model"))
        try AtomicDirectory.write(target) { try Data("one".utf8).write(to: $0.appendingPathComponent("a")) }
        try AtomicDirectory.write(target) { try Data("two".utf8).write(to: $0.appendingPathComponent("b")) }
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: target.path) == ["b"], "the older directory is replaced"
        )
        struct Interrupted: Error {}
        #expect(throws: Interrupted.self) {
            try AtomicDirectory.write(target) { folder in
                try Data("three".utf8).write(to: folder.appendingPathComponent("c"))
                throw Interrupted()
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: target.path) == ["b"])
        #expect(directory.contents == ["model"], "no temporary directory is left behind")
    }
}
