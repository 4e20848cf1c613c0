import Foundation

/// A file written under a temporary name beside its destination and renamed over it on `commit()` after an fsync,
/// so the destination holds either its old content or the whole new one — never a half-written file, even if the
/// process dies or the disk fills mid-way. Released without a commit, the temporary file is deleted.
///
/// Every file the project writes goes through here (models, tokenizers, GGUF, exports, run manifests, reports).
public final class AtomicFile {
    /// Where the file ends up.
    public let path: String
    private let temporaryPath: String?
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var finished = false
    /// Small writes are gathered up to this many bytes; larger ones go straight to the file.
    private static let bufferLimit = 1 << 20

    /// Creates the temporary file beside `path`. Throws if the destination's directory cannot be written.
    public init(path: String) throws(AtomicFileError) {
        self.path = path
        let url = URL(fileURLWithPath: path)
        let temporary =
            url.deletingLastPathComponent().path + "/." + url.lastPathComponent
            + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        temporaryPath = temporary
        descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if descriptor < 0 { throw AtomicFileError(path: path, step: .create, code: errno) }
    }

    /// Standard output in place of a file (what a `-` path means to the commands): written as a stream, with
    /// nothing to rename.
    public static func standardOutput() -> AtomicFile { AtomicFile() }

    private init() {
        path = "-"
        temporaryPath = nil
        descriptor = STDOUT_FILENO
    }

    deinit {
        if !finished { abandon() }
    }

    /// Appends bytes.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(AtomicFileError) {
        if buffer.count + bytes.count > Self.bufferLimit { try flush() }
        if bytes.count >= Self.bufferLimit {
            try writeAll(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    /// Appends bytes.
    public func write(_ bytes: [UInt8]) throws(AtomicFileError) {
        try Self.withRawBytes(of: bytes) { raw throws(AtomicFileError) in try write(raw) }
    }

    /// Appends a string's UTF-8 bytes.
    public func write(_ text: String) throws(AtomicFileError) {
        try write(Array(text.utf8))
    }

    /// Flushes, syncs to disk and renames the temporary file to `path`.
    public func commit() throws(AtomicFileError) {
        try flush()
        guard let temporaryPath else {
            finished = true
            return
        }
        // fsync before rename: otherwise a crash can leave the new name pointing at unwritten blocks.
        if fsync(descriptor) != 0 { throw failure(.sync) }
        close(descriptor)
        finished = true
        if rename(temporaryPath, path) != 0 {
            let error = AtomicFileError(path: path, step: .rename, code: errno)
            unlink(temporaryPath)
            throw error
        }
    }

    /// Deletes the temporary file; the destination is left as it was.
    public func abandon() {
        guard !finished else { return }
        finished = true
        guard let temporaryPath else { return }
        close(descriptor)
        unlink(temporaryPath)
    }

    /// Writes `bytes` to `path` in one go (temporary file, fsync, rename).
    public static func write(_ bytes: [UInt8], to path: String) throws(AtomicFileError) {
        let file = try AtomicFile(path: path)
        try file.write(bytes)
        try file.commit()
    }

    /// Writes `data` to `url` in one go (temporary file, fsync, rename).
    public static func write(_ data: Data, to url: URL) throws(AtomicFileError) {
        let file = try AtomicFile(path: url.path)
        try withRawBytes(of: data) { raw throws(AtomicFileError) in try file.write(raw) }
        try file.commit()
    }

    private func flush() throws(AtomicFileError) {
        guard !buffer.isEmpty else { return }
        try Self.withRawBytes(of: buffer) { raw throws(AtomicFileError) in try writeAll(raw) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// `body` on the bytes of `value`, keeping its error's type (`withUnsafeBytes` rethrows it as `any Error`).
    private static func withRawBytes(
        of value: some ContiguousBytes,
        _ body: (UnsafeRawBufferPointer) throws(AtomicFileError) -> Void
    ) throws(AtomicFileError) {
        var failure: AtomicFileError?
        value.withUnsafeBytes { raw in
            do throws(AtomicFileError) { try body(raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Writes every byte, retrying short writes and interrupted calls.
    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws(AtomicFileError) {
        var written = 0
        while written < bytes.count {
            let result = systemWrite(descriptor, bytes.baseAddress! + written, min(bytes.count - written, 1 << 30))
            if result < 0 && errno == EINTR { continue }
            if result < 0 { throw failure(.write) }
            if result == 0 { throw failure(.write, code: EIO) }
            written += result
        }
    }

    /// The error of a failed step, with `errno` read before the cleanup can change it; abandons the file.
    private func failure(_ step: AtomicFileError.Step, code: Int32 = errno) -> AtomicFileError {
        let error = AtomicFileError(path: path, step: step, code: code)
        abandon()
        return error
    }
}

/// POSIX `write`, named apart from `AtomicFile.write`, which would shadow it inside the class.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
