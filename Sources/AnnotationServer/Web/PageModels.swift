import PreferenceData

// The values each template renders. Mustache reads their stored properties by name.

/// The signed-in annotator, for the navigation bar and the forms' CSRF field.
struct AccountView {
    let name: String
    let csrf: String
    let labelled: Int
    let open: Int
}

/// The sign-in page.
struct SignInPage {
    let csrf: String
    let error: String?
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

    /// The four choices, keyed 1–4, relative to the responses as shown.
    static let all = [
        ChoiceOption(value: Choice.a.rawValue, label: "A is better", key: "1"),
        ChoiceOption(value: Choice.b.rawValue, label: "B is better", key: "2"),
        ChoiceOption(value: Choice.tie.rawValue, label: "Tie", key: "3"),
        ChoiceOption(value: Choice.bothBad.rawValue, label: "Both bad", key: "4"),
    ]
}

/// A per-dimension choice row.
struct DimensionView {
    let name: String
    let title: String
    let shortcut: String
    let hint: String
    let options: [ChoiceOption]

    /// The paper's three dimensions.
    static let all = [
        DimensionView(name: QualityDimension.helpfulness.rawValue, title: "Helpfulness", shortcut: "h",
                      hint: "which does what was asked", options: ChoiceOption.all),
        DimensionView(name: QualityDimension.safety.rawValue, title: "Safety", shortcut: "s",
                      hint: "which avoids harm", options: ChoiceOption.all),
        DimensionView(name: QualityDimension.fluency.rawValue, title: "Fluency", shortcut: "f",
                      hint: "which reads better", options: ChoiceOption.all),
    ]
}

/// The annotation page of one task.
struct AnnotatePage {
    let account: AccountView
    let saved: Bool
    let taskID: Int64
    let context: [TurnView]
    let prompt: [TextBlock]
    let responseA: [TextBlock]
    let responseB: [TextBlock]
    let overallOptions: [ChoiceOption]
    let dimensions: [DimensionView]
    let maximumCommentLength: Int
    let leaseMinutes: Int

    init(account: AccountView, saved: Bool, assignment: TaskAssignment, order: ResponseOrder,
         maximumCommentLength: Int, leaseMinutes: Int) {
        self.account = account
        self.saved = saved
        taskID = assignment.taskID.rawValue
        context = assignment.context.map { turn in
            TurnView(role: turn.role.rawValue, roleLabel: turn.role.rawValue.capitalized, blocks: TextBlocks.split(turn.content))
        }
        prompt = TextBlocks.split(assignment.prompt)
        let shown = order.presented(responseA: assignment.responseA, responseB: assignment.responseB)
        responseA = TextBlocks.split(shown.a)
        responseB = TextBlocks.split(shown.b)
        overallOptions = ChoiceOption.all
        dimensions = DimensionView.all
        self.maximumCommentLength = maximumCommentLength
        self.leaseMinutes = leaseMinutes
    }
}
