/// The sign-in page: one field for the annotator's token, posted with the form's CSRF token.
enum SignInTemplate {
    static let text = """
        {{<layout}}
        {{$title}}Sign in{{/title}}
        {{$body}}
        <section class="card narrow">
        <h1>Sign in</h1>
        <p>Enter the annotator token your admin gave you, or open the sign-in link they sent.</p>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <form method="post" action="/sign-in" autocomplete="off">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="token">Token</label>
        <input id="token" name="token" type="password" required autofocus spellcheck="false">
        <button type="submit">Sign in</button>
        </form>
        </section>
        {{/body}}
        {{/layout}}
        """
}
