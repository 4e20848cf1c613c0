import Foundation
import Testing

@testable import AnnotationServer
@testable import PreferenceData

/// The load and kill -9 tests: they run only when `RLHF_SLOW_TESTS=1` (CI sets it; together under a minute), one
/// after the other so that neither disturbs the other's numbers. Their tests are in LoadTests.swift and
/// DurabilityTests.swift.
@Suite(
    .serialized, .enabled(if: ProcessInfo.processInfo.environment["RLHF_SLOW_TESTS"] == "1", "set RLHF_SLOW_TESTS=1"))
struct AnnotationSlowTests {}

/// A store file for a server process: `prompts` prompts of two responses each, one task per prompt wanting
/// `labelsPerTask` labels, then `goldTasks` more tasks marked gold (answer "a"), and `annotators` people; returns
/// their tokens in order.
func makeServerStore(at path: String, prompts: Int, labelsPerTask: Int, annotators: Int, goldTasks: Int = 0) throws
    -> [String]
{
    let store = try PreferenceStore(path: path)
    // `count` prompts named `name` with two answers each, and a task of each pair.
    func addTasks(_ count: Int, _ name: String, labelsPerTask: Int) throws {
        try store.add(
            (0..<count).map { index in
                PreferenceRecord(
                    prompt: PromptDraft(text: "\(name) prompt \(index): which answer is better?"),
                    responses: [
                        ResponseDraft(text: "First answer to \(index)."),
                        ResponseDraft(text: "Second answer to \(index)."),
                    ])
            })
        try store.createTasks(TaskCreationOptions(labelsPerTask: labelsPerTask))
    }
    try addTasks(prompts, "Load", labelsPerTask: labelsPerTask)
    if goldTasks > 0 {
        try addTasks(goldTasks, "Gold", labelsPerTask: 1)
        for task in try store.tasks().suffix(goldTasks) { try store.markGold(task: task.id, answer: .a) }
    }
    return try (0..<annotators).map { index in
        let token = AccessToken.generate()
        try store.addAnnotator(name: "annotator-\(index)", kind: .human, tokenHash: AccessToken.hash(token))
        return token
    }
}

/// A label body for `task` with a choice that depends on the task (so a mixed-up label would show).
func labelBody(task: Int) -> String {
    let choices = ["a", "b", "tie", "both_bad"]
    return
        #"{"task_id": \#(task), "choice": "\#(choices[task % 4])", "dimensions": {"helpfulness": "a"}, "comment": "label of \#(task)"}"#
}
