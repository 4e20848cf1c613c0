import Foundation

/// Writes a file under a temporary name beside its destination and renames it into place on `commit()`, so the
/// destination is either untouched or complete: never half-written, even if the process dies mid-way.
/// The path `-` writes to standard output instead (a stream: no renaming).
package final class AtomicFileWriter {
    /// Where the file ends up.
    package let path: String
    private let temporaryPath: String?
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var finished = false
    private static let bufferLimit = 1 << 20

    /// Creates the temporary file. Throws if the destination's directory cannot be written.
    package init(path: String) throws {
        self.path = path
        buffer.reserveCapacity(Self.bufferLimit + 4096)
        if path == "-" {
            temporaryPath = nil
            descriptor = STDOUT_FILENO
            return
        }
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let name = url.lastPathComponent
        let temporary = directory + "/." + name + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        temporaryPath = temporary
        descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if descriptor < 0 {
            throw PreferenceDataError.io(path: path, problem: "cannot create: " + String(cString: strerror(errno)))
        }
    }

    deinit {
        if !finished { abandon() }
    }

    /// Appends bytes.
    package func write(_ bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.bufferLimit { try flush() }
    }

    /// Appends a string's UTF-8 bytes.
    package func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.bufferLimit { try flush() }
    }

    /// Flushes, syncs to disk and renames the temporary file to `path`.
    package func commit() throws {
        try flush()
        guard let temporaryPath else {
            finished = true
            return
        }
        if fsync(descriptor) != 0 { throw failure("cannot sync") }
        close(descriptor)
        finished = true
        if rename(temporaryPath, path) != 0 {
            let problem = "cannot rename into place: " + String(cString: strerror(errno))
            unlink(temporaryPath)
            throw PreferenceDataError.io(path: path, problem: problem)
        }
    }

    /// Deletes the temporary file; the destination is left as it was.
    package func abandon() {
        guard !finished else { return }
        finished = true
        guard let temporaryPath else { return }
        close(descriptor)
        unlink(temporaryPath)
    }

    private func flush() throws {
        var written = 0
        while written < buffer.count {
            let result = buffer.withUnsafeBytes { raw in
                writeBytes(descriptor, raw.baseAddress! + written, raw.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw failure("cannot write")
            }
            written += result
        }
        buffer.removeAll(keepingCapacity: true)
    }

    private func failure(_ what: String) -> PreferenceDataError {
        let problem = what + ": " + String(cString: strerror(errno))
        abandon()
        return .io(path: path, problem: problem)
    }
}

/// POSIX `write`, named apart from `AtomicFileWriter.write`, which would shadow it inside the class.
private func writeBytes(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
