/// Every template by the name pages and partials use.
enum PageTemplates {
    static let all: [(name: String, text: String)] = [
        ("layout", LayoutTemplates.layout),
        ("account_nav", LayoutTemplates.accountNav),
        ("block", LayoutTemplates.block),
        ("message", LayoutTemplates.message),
        ("sign_in", SignInTemplate.text),
        ("token_form", SignInTemplate.tokenForm),
        ("sign_in_link", SignInTemplate.link),
        ("annotate", AnnotateTemplate.text),
        ("all_done", AnnotateTemplate.allDone),
        ("guidelines", GuidelinesTemplate.text),
        ("admin_nav", AdminTemplates.nav),
        ("admin_sign_in", AdminTemplates.signIn),
        ("admin_message", AdminTemplates.message),
        ("admin_dashboard", AdminTemplates.dashboard),
        ("admin_people", AdminTemplates.people),
        ("admin_tasks", AdminTemplates.tasks),
        ("admin_guidelines", AdminTemplates.guidelines),
        ("store_guidelines", AdminTemplates.storeGuidelines),
        ("markdown", AdminTemplates.markdown),
        ("markdown_spans", AdminTemplates.markdownSpans),
    ]
}
