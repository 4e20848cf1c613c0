import Foundation

/// How far the annotation has come: tasks, labels, leases, and each annotator's share.
public struct AnnotationProgress: Sendable, Hashable {
    /// Every ordinary task (gold tasks are counted apart).
    public var tasks: Int
    /// Tasks that have all the labels they want.
    public var tasksComplete: Int
    /// Labels wanted in all (the sum of each task's `labelsWanted`).
    public var labelsWanted: Int
    /// Labels given (human judgements of task comparisons, at most `labelsWanted` counted per task).
    public var labelsDone: Int
    /// Tasks currently held for an annotator.
    public var activeLeases: Int
    /// Gold tasks (known answers mixed into the queues).
    public var goldTasks: Int
    /// Labels of gold tasks.
    public var goldLabels: Int
    /// Task labels (gold ones included) given in the hour before the report.
    public var labelsLastHour: Int
    /// Every annotator who can sign in (has a token), by name.
    public var annotators: [AnnotatorProgress]
}

/// One annotator's share of the work.
public struct AnnotatorProgress: Sendable, Hashable {
    /// The annotator.
    public var id: AnnotatorID
    /// Their name.
    public var name: String
    /// Tasks they labelled.
    public var labels: Int
    /// When they last labelled one, if ever.
    public var lastLabelAt: Date?
    /// Whether they may sign in (not deactivated).
    public var isActive: Bool
}

/// How to turn responses into annotation tasks (`PreferenceStore.createTasks`).
public struct TaskCreationOptions: Sendable, Hashable {
    /// Which response pairs of a prompt become comparisons to label.
    public enum Pairs: String, Sendable, Hashable, CaseIterable {
        /// Every pair of the prompt's responses (comparisons are created as needed).
        case all
        /// Only comparisons already in the store (e.g. imported pairs).
        case existing
    }

    /// How many different people should label each task. Default: 1.
    public var labelsPerTask: Int
    /// Only these prompts; nil for every prompt. Default: nil.
    public var promptIDs: [PromptID]?
    /// Which pairs. Default: `.all`.
    public var pairs: Pairs
    /// Also make tasks of comparisons that already have judgements (e.g. imported labels). Default: false.
    public var includeJudged: Bool
    /// Also use prompts the quality step flagged. Default: false.
    public var includeFlaggedPrompts: Bool

    /// Creates options; every argument has the default documented on its property.
    public init(
        labelsPerTask: Int = 1, promptIDs: [PromptID]? = nil, pairs: Pairs = .all, includeJudged: Bool = false,
        includeFlaggedPrompts: Bool = false
    ) {
        self.labelsPerTask = labelsPerTask
        self.promptIDs = promptIDs
        self.pairs = pairs
        self.includeJudged = includeJudged
        self.includeFlaggedPrompts = includeFlaggedPrompts
    }
}

/// What `PreferenceStore.createTasks` did.
public struct TaskCreationReport: Sendable, Hashable {
    /// New comparisons made from response pairs.
    public var comparisonsCreated = 0
    /// New tasks.
    public var tasksCreated = 0
    /// Tasks in the store afterwards.
    public var tasksTotal = 0

    /// Creates an empty report.
    public init() {}
}
