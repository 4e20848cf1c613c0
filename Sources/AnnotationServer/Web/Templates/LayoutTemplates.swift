/// The page frame every page inherits, and the partials several pages share.
///
/// Templates live in Swift strings, not files, so the binary carries them (no resource bundle to install, works
/// offline). Every value goes through `{{name}}`, which HTML-escapes it; no template uses the unescaped `{{{ }}}` or
/// `{{& }}` forms (a test checks), so no stored text can become markup.
enum LayoutTemplates {
    /// The frame: head, header with a navigation slot, main content slot.
    static let layout = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{$title}}Annotation{{/title}} · rlhf annotate</title>
        <link rel="stylesheet" href="/static/app.css">
        <script src="/static/app.js" defer></script>
        </head>
        <body>
        <header class="top">
        <a class="brand" href="/annotate">rlhf annotate</a>
        {{$nav}}{{/nav}}
        </header>
        <main>
        {{$body}}{{/body}}
        </main>
        </body>
        </html>

        """

    /// The navigation of a signed-in annotator: progress, guidelines, sign out (a CSRF-protected form).
    static let accountNav = """
        <nav class="account" aria-label="Account">
        <span class="progress" title="Tasks you labelled · tasks still open for you">{{account.labelled}} labelled · {{account.open}} open</span>
        <a href="/annotate">Annotate</a>
        <a href="/guidelines">Guidelines</a>
        <form method="post" action="/sign-out" class="inline">
        <input type="hidden" name="csrf" value="{{account.csrf}}">
        <button type="submit" class="link">Sign out ({{account.name}})</button>
        </form>
        </nav>
        """

    /// One block of text: prose keeps its line breaks (CSS `pre-wrap`), code is monospaced and scrolls sideways.
    static let block = """
        {{#isCode}}<pre class="code"{{#language}} data-language="{{language}}"{{/language}}><code>{{text}}</code></pre>{{/isCode}}{{^isCode}}<div class="prose">{{text}}</div>{{/isCode}}
        """

    /// A short message with a link onwards (errors, refusals).
    static let message = """
        {{<layout}}
        {{$title}}{{heading}}{{/title}}
        {{$nav}}{{#account}}{{>account_nav}}{{/account}}{{/nav}}
        {{$body}}
        <section class="card narrow">
        <h1>{{heading}}</h1>
        <p>{{message}}</p>
        <p><a href="{{linkURL}}">{{linkText}}</a></p>
        </section>
        {{/body}}
        {{/layout}}
        """
}
