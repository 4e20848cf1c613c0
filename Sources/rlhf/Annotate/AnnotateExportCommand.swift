import ArgumentParser
import PreferenceData

/// `rlhf annotate export`: the annotation tasks with their labels, as native JSON Lines.
struct AnnotateExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract:
            "Export the annotation tasks with every label as native JSON Lines (what GET /api/v1/admin/export returns).",
        discussion: """
            One line per task comparison: prompt, context, both responses and all judgements (people's labels carry \
            annotator, overall, helpfulness, safety, fluency, comment, time). A corrected label appears with its \
            latest values; --all-revisions adds to each judgement a "revisions" array of its earlier versions. `rlhf data \
            import` reads it back. Lines are written one at a time into a temporary file that is renamed when complete; \
            --output - writes standard output.
            """)

    @OptionGroup var store: AnnotateStore

    @Option(help: ArgumentHelp("The output file (- for standard output).", valueName: "file"))
    var output: String

    @Flag(help: "Also write every earlier version of each corrected label (a \"revisions\" array per judgement).")
    var allRevisions = false

    func run() throws {
        let preferences = try store.open()
        do {
            let lines = try preferences.exportAnnotations(to: output, versions: allRevisions ? .all : .latest)
            if output != "-" { print("wrote \(lines) lines to \(output)") }
        } catch let error as PreferenceDataError {
            throw CommandFailure(error.description)
        }
    }
}
