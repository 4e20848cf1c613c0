import ArgumentParser
import PreferenceData

extension TaskCreationOptions.Pairs: ExpressibleByArgument {}

/// `rlhf annotate create-tasks`: makes annotation tasks from the responses in the store.
struct CreateTasksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-tasks",
        abstract: "Make annotation tasks: comparisons of response pairs for people to label.",
        discussion: """
            Every pair of responses to a prompt becomes a comparison (--pairs existing: only comparisons already in the \
            store), and every comparison without judgements a task (--include-judged: those with judgements too), \
            for prompts the quality step did not flag (--include-flagged: all). Tasks that exist are left as they are. \
            Each task is handed out until --labels-per-task different people have labelled it.
            """)

    @OptionGroup var store: AnnotateStore

    @Option(help: "How many different people label each task.")
    var labelsPerTask = 1

    @Option(
        name: .customLong("prompt-id"),
        help: ArgumentHelp("Only this prompt (repeatable); default: every prompt.", valueName: "id"))
    var promptIDs: [Int64] = []

    @Option(help: "all: every pair of a prompt's responses; existing: only comparisons already in the store.")
    var pairs: TaskCreationOptions.Pairs = .all

    @Flag(help: "Also make tasks of comparisons that already have judgements (e.g. imported labels).")
    var includeJudged = false

    @Flag(help: "Also use prompts the quality step flagged.")
    var includeFlagged = false

    func validate() throws {
        if !(1...1000).contains(labelsPerTask) {
            throw ValidationError("--labels-per-task must be between 1 and 1000, got \(labelsPerTask)")
        }
    }

    func run() throws {
        let preferences = try store.open()
        let options = TaskCreationOptions(
            labelsPerTask: labelsPerTask, promptIDs: promptIDs.isEmpty ? nil : promptIDs.map(PromptID.init),
            pairs: pairs, includeJudged: includeJudged, includeFlaggedPrompts: includeFlagged)
        do {
            let report = try preferences.createTasks(options)
            print(
                "created \(report.tasksCreated) tasks (\(report.comparisonsCreated) new comparisons); \(report.tasksTotal) tasks in all"
            )
        } catch let error as PreferenceDataError {
            throw CommandFailure(error.description)
        }
    }
}
