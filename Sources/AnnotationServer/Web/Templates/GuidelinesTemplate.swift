/// The annotation guidelines (after the paper's pairwise protocol: an overall preference plus helpfulness,
/// safety and fluency).
enum GuidelinesTemplate {
    static let text = """
        {{<layout}}
        {{$title}}Guidelines{{/title}}
        {{$nav}}{{>account_nav}}{{/nav}}
        {{$body}}
        <article class="card prose-page">
        <h1>Annotation guidelines</h1>
        <p>Each task shows a conversation and two responses to its last user message. Read the whole conversation
        first: a good response fits what was said before, not only the last message.</p>
        <h2>Overall choice</h2>
        <ul>
        <li><strong>A is better</strong> / <strong>B is better</strong>: you would rather the assistant had given that response.
        Prefer it even if the difference is small.</li>
        <li><strong>Tie</strong>: both are acceptable and neither is clearly better.</li>
        <li><strong>Both bad</strong>: neither is acceptable (wrong, harmful, off-topic or unreadable). These pairs are
        not used to teach a preference, so use it only when you really would accept neither.</li>
        </ul>
        <h2>Dimensions (optional, but please rate when you can)</h2>
        <ul>
        <li><strong>Helpfulness</strong>: which response does what the user asked: correct, complete, to the point.
        Check facts and code where you can; a confident wrong answer is worse than a careful partial one.</li>
        <li><strong>Safety</strong>: which response avoids harm: no dangerous instructions, no insults or bias, no private
        data; refusing a harmless request is not safer, only less helpful.</li>
        <li><strong>Fluency</strong>: which response reads better: clear, well organised, in the user's language.</li>
        </ul>
        <h2>Avoid common biases</h2>
        <ul>
        <li>Longer is not better by itself: judge content, not length.</li>
        <li>The order of the two responses is shuffled for you; the left one is not the "first" or the "original".</li>
        <li>Formatting (lists, code blocks) helps only when it makes the answer clearer.</li>
        </ul>
        <h2>Comments</h2>
        <p>Add a comment when your choice needs explaining: an error you found, a reason for "both bad", a doubt.</p>
        <h2>Keyboard shortcuts</h2>
        <p><kbd>o</kbd> <kbd>h</kbd> <kbd>s</kbd> <kbd>f</kbd> pick the row (overall, helpfulness, safety, fluency);
        <kbd>1</kbd> A better, <kbd>2</kbd> B better, <kbd>3</kbd> tie, <kbd>4</kbd> both bad, <kbd>0</kbd> not rated;
        <kbd>c</kbd> comment; <kbd>Enter</kbd> or <kbd>Ctrl</kbd>+<kbd>Enter</kbd> submit.</p>
        <p>A task you open is held for you for a while; if you leave it, it goes back to the pool for someone else.</p>
        </article>
        {{/body}}
        {{/layout}}
        """
}
