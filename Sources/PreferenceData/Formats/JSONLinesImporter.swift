import Foundation

/// How a JSON Lines file is imported.
public struct ImportOptions: Sendable, Hashable {
    /// The lines' format; nil (the default) tells it from the fields of the first lines.
    public var format: RecordFormat?
    /// The dataset annotator that judgements without a named annotator (all but the native format's) are attributed
    /// to, and the prompts' source. Default: the file name without directory and extensions (`stdin` for `-`).
    /// Importing the same data under the same source again adds nothing.
    public var source: String?
    /// The model of responses that do not name one. Default: none.
    public var model: String?
    /// Import the valid lines and list the others, instead of importing nothing when any line is invalid.
    /// Default: false.
    public var skipInvalid: Bool
    /// Check every line and report, but add nothing to the store. Default: false.
    public var dryRun: Bool

    /// Creates options; every argument has the default documented on its property.
    public init(
        format: RecordFormat? = nil, source: String? = nil, model: String? = nil, skipInvalid: Bool = false,
        dryRun: Bool = false
    ) {
        self.format = format
        self.source = source
        self.model = model
        self.skipInvalid = skipInvalid
        self.dryRun = dryRun
    }
}

/// What an import did.
public struct ImportReport: Sendable, Hashable {
    /// The file as named (`<stdin>` for standard input).
    public var file: String
    /// The format read (nil for a file with no records).
    public var format: RecordFormat?
    /// The source judgements were attributed to.
    public var source: String
    /// Non-blank lines read.
    public var lines: Int
    /// Records that were valid (and, unless a dry run, added).
    public var records: Int
    /// What was added to the store (empty for a dry run).
    public var added: IngestReport
    /// Lines left out, with why (only when skipping invalid lines; a dry run lists every invalid line here).
    public var skipped: [LineIssue]
}

/// A file read and checked, ready to add to a store.
public struct DecodedImport: Sendable {
    /// The file as named.
    public let file: String
    /// The source its judgements are attributed to.
    public let source: String
    /// Its lines, decoded.
    let decoded: DecodedFile

    /// Valid records.
    public var records: Int { decoded.records.count }
    /// Invalid lines, with why.
    public var issues: [LineIssue] { decoded.issues }
}

/// Imports JSON Lines files into a store, all or nothing by default: every line is decoded and checked before the
/// store is touched, and the records are added in one transaction.
public struct JSONLinesImporter: Sendable {
    /// How files are imported.
    public var options: ImportOptions

    /// Creates an importer.
    public init(options: ImportOptions = ImportOptions()) {
        self.options = options
    }

    /// Imports the file at `path` (`-` reads standard input) into `store` (which may be nil for a dry run).
    ///
    /// Throws `PreferenceDataError.importRejected` naming the first invalid line (file and line number) if any line
    /// is invalid and `skipInvalid` is off; the store is then unchanged.
    @discardableResult
    public func importFile(atPath path: String, into store: PreferenceStore?) throws -> ImportReport {
        let decoded = try decodeFile(atPath: path)
        return try add(decoded, to: store)
    }

    /// Imports JSON Lines `data`, named `name` in messages, into `store` (which may be nil for a dry run).
    @discardableResult
    public func importData(_ data: Data, named name: String, into store: PreferenceStore?) throws -> ImportReport {
        try add(try decode(data, named: name), to: store)
    }

    /// Reads and checks the file at `path` (`-`: standard input) without touching any store. Throws if the file
    /// cannot be read, its format cannot be told, or (unless skipping invalid lines or a dry run) a line is invalid.
    public func decodeFile(atPath path: String) throws -> DecodedImport {
        let name = path == "-" ? "<stdin>" : path
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
            } catch {
                let reason = (error as NSError).localizedFailureReason ?? error.localizedDescription
                throw PreferenceDataError.io(path: path, problem: "cannot read: \(reason)")
            }
        }
        return try decode(data, named: name)
    }

    /// Reads and checks JSON Lines `data`, named `name` in messages (see `decodeFile(atPath:)`).
    public func decode(_ data: Data, named name: String) throws -> DecodedImport {
        let source = options.source ?? Self.defaultSource(for: name)
        let decoded = try JSONLinesDecoder.decode(
            data, name: name, format: options.format,
            context: DecodingContext(source: source, model: options.model))
        if let first = decoded.issues.first, !options.skipInvalid, !options.dryRun {
            throw PreferenceDataError.importRejected(first: first, invalidLines: decoded.issues.count)
        }
        return DecodedImport(file: name, source: source, decoded: decoded)
    }

    /// Adds a decoded file to `store` in one transaction (nothing for a dry run, where `store` may be nil).
    @discardableResult
    public func add(_ decodedImport: DecodedImport, to store: PreferenceStore?) throws -> ImportReport {
        let decoded = decodedImport.decoded
        let name = decodedImport.file
        var report = ImportReport(
            file: name, format: decoded.format, source: decodedImport.source, lines: decoded.lineCount,
            records: decoded.records.count, added: IngestReport(), skipped: decoded.issues)
        if options.dryRun { return report }
        if let first = decoded.issues.first, !options.skipInvalid {
            throw PreferenceDataError.importRejected(first: first, invalidLines: decoded.issues.count)
        }
        guard let store else { throw PreferenceDataError.invalidArgument("no store to import into") }
        let provenance = ImportProvenance(
            file: name, format: decoded.format?.rawValue ?? "none", source: decodedImport.source,
            lines: decoded.lineCount, skippedLines: decoded.issues.count)
        do {
            report.added = try store.add(
                decoded.records.map(\.record), skipInvalid: options.skipInvalid,
                provenance: provenance)
        } catch PreferenceDataError.invalidRecord(let index, let problem) {
            throw PreferenceDataError.importRejected(
                first: LineIssue(file: name, line: decoded.records[index].line, problem: problem), invalidLines: 1)
        }
        if !report.added.rejected.isEmpty {
            report.skipped += report.added.rejected.map {
                LineIssue(file: name, line: decoded.records[$0.index].line, problem: $0.problem)
            }
            report.skipped.sort { $0.line < $1.line }
            report.records -= report.added.rejected.count
        }
        return report
    }

    /// The file name without directory and data extensions: `data/hh-helpful.train.jsonl` → `hh-helpful.train`.
    public static func defaultSource(for name: String) -> String {
        if name == "<stdin>" || name == "-" { return "stdin" }
        var stem = URL(fileURLWithPath: name).lastPathComponent
        for suffix in [".gz", ".jsonl", ".ndjson", ".json"] where stem.hasSuffix(suffix) && stem.count > suffix.count {
            stem.removeLast(suffix.count)
        }
        return stem
    }
}
