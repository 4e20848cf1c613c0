/// Every template by the name pages and partials use.
enum PageTemplates {
    static let all: [(name: String, text: String)] = [
        ("layout", LayoutTemplates.layout),
        ("account_nav", LayoutTemplates.accountNav),
        ("block", LayoutTemplates.block),
        ("message", LayoutTemplates.message),
        ("sign_in", SignInTemplate.text),
        ("sign_in_link", SignInTemplate.link),
        ("annotate", AnnotateTemplate.text),
        ("all_done", AnnotateTemplate.allDone),
        ("guidelines", GuidelinesTemplate.text),
    ]
}
