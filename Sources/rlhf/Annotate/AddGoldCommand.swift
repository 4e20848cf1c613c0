import ArgumentParser
import PreferenceData

extension Choice: ExpressibleByArgument {}

/// `rlhf annotate add-gold`: marks a task as a gold task with its known answer.
struct AddGoldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-gold",
        abstract: "Mark annotation tasks as gold tasks: comparisons whose right answer is known.",
        discussion: """
            The answer is relative to the stored responses: a (the comparison's response A, the lower id), b, tie or \
            both_bad (the ids and responses are in `rlhf annotate export`). `rlhf annotate serve` mixes gold tasks \
            into every person's queue at --gold-rate, never showing them as gold; each person answers each once. \
            Their accuracy shows on the admin dashboard, and `rlhf data filter --min-gold-accuracy` leaves out the \
            labels of people below a threshold. Marking a task again replaces its answer.
            """)

    @OptionGroup var store: AnnotateStore

    @Option(name: .customLong("task"), help: ArgumentHelp("The task to mark (repeatable).", valueName: "id"))
    var tasks: [Int64]

    @Option(help: "The known answer: a, b, tie or both_bad (one for all the --task given).")
    var answer: Choice

    func validate() throws {
        if let bad = tasks.first(where: { $0 < 1 }) { throw ValidationError("--task must be a task id, got \(bad)") }
    }

    func run() throws {
        let preferences = try store.open()
        for task in tasks {
            do {
                let gold = try preferences.markGold(task: AnnotationTaskID(task), answer: answer)
                print("task \(gold.taskID) is a gold task with answer \(gold.answer.rawValue)")
            } catch let error as PreferenceDataError {
                throw CommandFailure("\(store.db): \(error.description)")
            }
        }
    }
}
