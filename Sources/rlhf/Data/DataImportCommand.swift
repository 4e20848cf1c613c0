import ArgumentParser
import PreferenceData

/// `rlhf data import`: adds a JSON Lines file to the store, all or nothing.
struct DataImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a JSON Lines file of preferences into the store (created if missing).",
        discussion: """
            Formats (--format, default: told from the fields):
              pairs   {"prompt", "chosen", "rejected"}; the prompt may be a string, an HH transcript or a list of
                      {"role", "content"} messages ending with the user's; optional "category".
              hh      Anthropic HH-RLHF {"chosen", "rejected"}: whole "\\n\\nHuman: …\\n\\nAssistant: …" dialogues that
                      differ only in the final answer; earlier turns become the prompt's context.
              rated   {"prompt", "completions": [{"text", "score", "model"?, "tokens"?}, …]}: every two completions
                      are compared (higher score preferred; equal scores a tie).
              native  this store's format, one comparison per line with every field (what `export` writes).
            Every line is checked before anything is written, and the import is one transaction: if any line is
            invalid (bad JSON, a missing field, a wrong type, invalid UTF-8) the error names the file and line and the
            store is unchanged. --skip-invalid imports the valid lines and lists the others on standard error.
            Judgements of pairs/hh/rated files are attributed to a dataset annotator named by --source, so importing
            the same data again adds nothing. Another process importing at the same time is waited for.
            Compressed files: decompress to standard input, e.g. `gzip -dc train.jsonl.gz | rlhf data import -`.
            """
    )

    @OptionGroup var location: StoreLocation

    @Argument(help: ArgumentHelp("The JSON Lines file; - reads standard input.", valueName: "file"))
    var file: String

    @Option(help: "The record format: pairs, hh, rated or native (default: told from the fields of the first lines).")
    var format: RecordFormat?

    @Option(help: "Dataset name for the file's judgements and prompts (default: the file name without extensions).")
    var source: String?

    @Option(help: "Model that produced responses that do not name one (default: none).")
    var model: String?

    @Flag(help: "Import the valid lines and list the invalid ones instead of importing nothing.")
    var skipInvalid = false

    @Flag(help: "Check every line and report; change nothing.")
    var dryRun = false

    @Flag(help: "Print the report as one JSON object.")
    var json = false

    func validate() throws {
        if let source, source.allSatisfy(\.isWhitespace) { throw ValidationError("--source must not be empty") }
    }

    func run() throws {
        let options = ImportOptions(
            format: format, source: source, model: model, skipInvalid: skipInvalid, dryRun: dryRun)
        let importer = JSONLinesImporter(options: options)
        // Read and check the whole file before the store is opened (or created).
        let decoded = try importer.decodeFile(atPath: file)
        let report = try importer.add(decoded, to: dryRun ? nil : try location.open(create: true))
        for issue in report.skipped { printError((dryRun ? "invalid " : "skipped ") + issue.description) }
        if json {
            printJSON(report.json)
            return
        }
        let format = report.format?.rawValue ?? "empty"
        if dryRun {
            print(
                "checked \(report.file) (\(format)): \(report.records) valid records, \(report.skipped.count) invalid lines"
            )
            return
        }
        let added = report.added
        print(
            "imported \(report.file) (\(format), source \(report.source)): \(report.records) records → "
                + "\(added.promptsAdded) prompts, \(added.responsesAdded) responses, \(added.comparisonsAdded) comparisons, "
                + "\(added.judgementsAdded) judgements added (\(added.judgementsAlreadyPresent) already present)"
                + (report.skipped.isEmpty ? "" : "; skipped \(report.skipped.count) invalid lines"))
    }
}

extension RecordFormat: ExpressibleByArgument {}
