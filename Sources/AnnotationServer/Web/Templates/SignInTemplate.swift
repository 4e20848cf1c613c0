/// The sign-in pages: one field for the annotator's token, and the confirmation of a sign-in link; both post with
/// the form's CSRF token.
enum SignInTemplate {
    static let text = """
        {{<layout}}
        {{$title}}Sign in{{/title}}
        {{$body}}
        <section class="card narrow">
        <h1>Sign in</h1>
        <p>Enter the annotator token your admin gave you, or open the sign-in link they sent.</p>
        {{>token_form}}
        </section>
        {{/body}}
        {{/layout}}
        """

    /// The form of a token (the annotator's or the admin's): posts to `action` with the form's CSRF token.
    static let tokenForm = """
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <form method="post" action="{{action}}" autocomplete="off">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="token">{{tokenLabel}}</label>
        <input id="token" name="token" type="password" required autofocus spellcheck="false">
        <button type="submit">Sign in</button>
        </form>
        """

    /// What a sign-in link shows: only its button signs in (a link preview that fetches the page does not).
    static let link = """
        {{<layout}}
        {{$title}}Sign in{{/title}}
        {{$body}}
        <section class="card narrow">
        <h1>Sign in</h1>
        <p>This link signs you in as <strong>{{name}}</strong>. It works once.</p>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <form method="post" action="{{action}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <button type="submit">Sign in as {{name}}</button>
        </form>
        </section>
        {{/body}}
        {{/layout}}
        """
}
