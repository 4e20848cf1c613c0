import AtomicFiles

/// Runs `body` with the file an export writes — `path` written atomically, or standard output for `-` — and
/// commits it; a failed write is a `PreferenceDataError.io` naming the file, and leaves an existing file as it was.
func writingExport<T>(to path: String, _ body: (AtomicFile) throws -> T) throws -> T {
    do {
        let output = path == "-" ? AtomicFile.standardOutput() : try AtomicFile(path: path)
        let result = try body(output)
        try output.commit()
        return result
    } catch let error as AtomicFileError {
        throw PreferenceDataError.io(path: error.path, problem: error.reason)
    }
}
