import AnnotationServer
import ArgumentParser

/// `rlhf annotate progress`: what GET /api/v1/admin/progress reports, read from the store directly.
struct AnnotateProgressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "progress",
        abstract: "Print the annotation's progress as one JSON object: tasks, labels, leases, labels per annotator.")

    @OptionGroup var store: AnnotateStore

    func run() throws {
        printJSON(AnnotationServer.progressJSON(try store.open().annotationProgress()))
    }
}
