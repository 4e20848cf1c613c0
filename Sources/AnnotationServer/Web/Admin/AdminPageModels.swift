import Foundation
import PreferenceData

// The values the admin templates render. Mustache reads their stored properties by name; every text is escaped.

/// The admin navigation bar: the sign-out form needs the session's CSRF token.
struct AdminNav {
    let csrf: String

    init(_ admin: AdminSignedIn) { csrf = admin.csrf }
}

/// A short message with a link back to the dashboard.
struct AdminMessagePage {
    let admin: AdminNav?
    let heading: String
    let message: String
}

/// One person on the people page.
struct PersonRow {
    let id: Int64
    let name: String
    let active: Bool
    let labels: Int
    let lastLabel: String
}

/// The people page: everyone who can sign in, and the form to add someone (with the new token, shown once).
struct PeoplePage {
    let admin: AdminNav
    let people: [PersonRow]
    let notice: String?
    let newToken: String?
    let newName: String?
}

/// One gold task on the tasks page.
struct GoldRow {
    let taskID: Int64
    let answer: String
    let labels: Int
    let correct: Int
}

/// One answer option of the gold form.
struct AnswerOption {
    let value: String
    let label: String

    static let all = [
        AnswerOption(value: Choice.a.rawValue, label: "A (stored response A) is better"),
        AnswerOption(value: Choice.b.rawValue, label: "B (stored response B) is better"),
        AnswerOption(value: Choice.tie.rawValue, label: "Tie"),
        AnswerOption(value: Choice.bothBad.rawValue, label: "Both bad"),
    ]
}

/// The tasks page: gold tasks and their forms, and assignment of tasks to people.
struct TasksPage {
    let admin: AdminNav
    let gold: [GoldRow]
    let answers: [AnswerOption]
    let goldRatePercent: String
    let notice: String?
    let error: String?
}

/// The guidelines editor: the Markdown as stored, and its rendering.
struct GuidelinesEditPage {
    let admin: AdminNav
    let markdown: String
    let blocks: [MarkdownBlock]
    let isDefault: Bool
    let saved: Bool
}

/// The annotators' guidelines page when the store has guidelines of its own.
struct StoreGuidelinesPage {
    let account: AccountView
    let blocks: [MarkdownBlock]
}
