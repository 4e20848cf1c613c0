import Foundation
import PreferenceData

// The values each template renders. Mustache reads their stored properties by name.

/// The signed-in annotator, for the navigation bar and the forms' CSRF field.
struct AccountView {
    let name: String
    let csrf: String
    let labelled: Int
    let open: Int
}

/// A sign-in page: the annotators' (the default) or the admin's.
struct SignInPage {
    let csrf: String
    let error: String?
    var action = "/sign-in"
    var tokenLabel = "Token"
}

/// The confirmation page of a sign-in link: its form posts back to the link.
struct SignInLinkPage {
    let csrf: String
    let name: String
    let action: String
    let error: String?
}

/// A page with a heading, a message and a link.
struct MessagePage {
    let heading: String
    let message: String
    let linkURL: String
    let linkText: String
    let account: AccountView?
}

/// A page that only needs the account (guidelines, all done).
struct AccountPage {
    let account: AccountView
    let saved: Bool
}

/// One earlier turn of the conversation.
struct TurnView {
    let role: String
    let roleLabel: String
    let blocks: [TextBlock]
}

/// One radio button of a choice row.
struct ChoiceOption {
    let value: String
    let label: String
    let key: String
    var checked = false

    /// The four choices, keyed 1–4, relative to the responses as shown.
    static let all = [
        ChoiceOption(value: Choice.a.rawValue, label: "A is better", key: "1"),
        ChoiceOption(value: Choice.b.rawValue, label: "B is better", key: "2"),
        ChoiceOption(value: Choice.tie.rawValue, label: "Tie", key: "3"),
        ChoiceOption(value: Choice.bothBad.rawValue, label: "Both bad", key: "4"),
    ]

    /// The four choices with `choice` (if any) checked, as the annotator last sent them.
    static func all(checking choice: Choice?) -> [ChoiceOption] {
        all.map { option in
            var option = option
            option.checked = option.value == choice?.rawValue
            return option
        }
    }
}

/// A per-dimension choice row.
struct DimensionView {
    let name: String
    let title: String
    let shortcut: String
    let hint: String
    var options: [ChoiceOption]
    /// Whether "not rated" is the checked choice.
    var notRated = true

    /// The paper's three dimensions.
    static let all = [
        DimensionView(
            name: QualityDimension.helpfulness.rawValue, title: "Helpfulness", shortcut: "h",
            hint: "which does what was asked", options: ChoiceOption.all),
        DimensionView(
            name: QualityDimension.safety.rawValue, title: "Safety", shortcut: "s",
            hint: "which avoids harm", options: ChoiceOption.all),
        DimensionView(
            name: QualityDimension.fluency.rawValue, title: "Fluency", shortcut: "f",
            hint: "which reads better", options: ChoiceOption.all),
    ]

    /// The three dimensions with the choices of `label` (if any) checked.
    static func all(checking label: LabelDraft?) -> [DimensionView] {
        all.map { view in
            var view = view
            let choice = QualityDimension(rawValue: view.name).flatMap { label?.dimensions[$0] }
            view.options = ChoiceOption.all(checking: choice)
            view.notRated = choice == nil
            return view
        }
    }
}

/// The annotation page of one task: blank, or (after a submit that could not be saved) with what the annotator sent.
struct AnnotatePage {
    let account: AccountView
    let saved: Bool
    let skipped: Bool
    let error: String?
    let taskID: Int64
    let context: [TurnView]
    let prompt: [TextBlock]
    let responseA: [TextBlock]
    let responseB: [TextBlock]
    let overallOptions: [ChoiceOption]
    let dimensions: [DimensionView]
    let comment: String
    let maximumCommentLength: Int
    let leaseMinutes: Int
    /// Whether the task is held for the annotator, so the form can be sent (and its lease renewed).
    let canSubmit: Bool
    /// How often the page's script renews the lease.
    let heartbeatSeconds: Int

    /// - Parameters:
    ///   - typed: the label as the annotator sent it (relative to the order shown), to fill the form again.
    ///   - error: why what they sent was not saved.
    init(
        account: AccountView, assignment: TaskAssignment, order: ResponseOrder, leaseDuration: TimeInterval,
        maximumCommentLength: Int, saved: Bool = false, skipped: Bool = false, typed: LabelDraft? = nil,
        error: String? = nil, canSubmit: Bool = true
    ) {
        self.account = account
        self.saved = saved
        self.skipped = skipped
        self.error = error
        taskID = assignment.taskID.rawValue
        context = assignment.context.map { turn in
            TurnView(
                role: turn.role.rawValue, roleLabel: turn.role.rawValue.capitalized,
                blocks: TextBlocks.split(turn.content))
        }
        prompt = TextBlocks.split(assignment.prompt)
        let shown = order.presented(responseA: assignment.responseA, responseB: assignment.responseB)
        responseA = TextBlocks.split(shown.a)
        responseB = TextBlocks.split(shown.b)
        overallOptions = ChoiceOption.all(checking: typed?.overall)
        dimensions = DimensionView.all(checking: typed)
        comment = typed?.comment ?? ""
        self.maximumCommentLength = maximumCommentLength
        leaseMinutes = max(1, Int((leaseDuration / 60).rounded()))
        self.canSubmit = canSubmit
        // A third of the lease: two beats may fail (a flaky network) before the hold runs out.
        heartbeatSeconds = max(5, Int(leaseDuration / 3))
    }
}
