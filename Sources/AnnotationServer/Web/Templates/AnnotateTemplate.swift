/// The annotation page: the conversation, the two responses side by side, and the label form.
enum AnnotateTemplate {
    static let text = """
        {{<layout}}
        {{$title}}Task {{taskID}}{{/title}}
        {{$nav}}{{>account_nav}}{{/nav}}
        {{$body}}
        {{#saved}}<p class="notice" role="status">Saved. Here is your next task.</p>{{/saved}}
        {{#skipped}}<p class="notice" role="status">Skipped. Here is your next task.</p>{{/skipped}}
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <section class="conversation" aria-label="Conversation">
        <h2>Conversation <span class="task-id">task {{taskID}}</span></h2>
        {{#context}}
        <div class="turn turn-{{role}}"><div class="role">{{roleLabel}}</div>{{#blocks}}{{>block}}{{/blocks}}</div>
        {{/context}}
        <div class="turn turn-user final"><div class="role">User</div>{{#prompt}}{{>block}}{{/prompt}}</div>
        </section>
        <section class="responses" aria-label="Responses">
        <article class="response" id="response-a"><h2>Response A</h2><div class="response-body">{{#responseA}}{{>block}}{{/responseA}}</div></article>
        <article class="response" id="response-b"><h2>Response B</h2><div class="response-body">{{#responseB}}{{>block}}{{/responseB}}</div></article>
        </section>
        <form id="label-form" method="post" action="/annotate" class="card"{{#canSubmit}} data-heartbeat-seconds="{{heartbeatSeconds}}"{{/canSubmit}}>
        <input type="hidden" name="csrf" value="{{account.csrf}}">
        <input type="hidden" name="task_id" value="{{taskID}}">
        <fieldset class="choice-row active" id="row-overall" data-row="overall">
        <legend>Overall <kbd>o</kbd></legend>
        {{#overallOptions}}<label><input type="radio" name="overall" value="{{value}}" required{{#checked}} checked{{/checked}}> {{label}} <kbd>{{key}}</kbd></label>
        {{/overallOptions}}
        </fieldset>
        {{#dimensions}}
        <fieldset class="choice-row" id="row-{{name}}" data-row="{{name}}">
        <legend>{{title}} <kbd>{{shortcut}}</kbd> <span class="hint">{{hint}}</span></legend>
        <label><input type="radio" name="{{name}}" value=""{{#notRated}} checked{{/notRated}}> Not rated <kbd>0</kbd></label>
        {{#options}}<label><input type="radio" name="{{name}}" value="{{value}}"{{#checked}} checked{{/checked}}> {{label}} <kbd>{{key}}</kbd></label>
        {{/options}}
        </fieldset>
        {{/dimensions}}
        <label for="comment" class="comment-label">Comment (optional) <kbd>c</kbd></label>
        <textarea id="comment" name="comment" rows="3" maxlength="{{maximumCommentLength}}">{{comment}}</textarea>
        {{#canSubmit}}<div class="actions"><button type="submit">Submit label</button> <span class="hint">Ctrl+Enter submits from anywhere; this task is held for you while this page is open, and for {{leaseMinutes}} minutes after.</span></div>{{/canSubmit}}
        {{^canSubmit}}<div class="actions"><a href="/annotate">Go to your next task</a></div>{{/canSubmit}}
        <p id="lease-status" class="error" role="alert" hidden>This task is no longer held for you, so a label may not be saved: copy anything you typed.</p>
        </form>
        {{#canSubmit}}<form method="post" action="/annotate/skip" class="inline">
        <input type="hidden" name="csrf" value="{{account.csrf}}">
        <input type="hidden" name="task_id" value="{{taskID}}">
        <button type="submit" class="link">Skip this task</button> <span class="hint">(you will not be given it again)</span>
        </form>{{/canSubmit}}
        <details id="shortcuts" class="card">
        <summary>Keyboard shortcuts <kbd>?</kbd></summary>
        <ul>
        <li><kbd>o</kbd> <kbd>h</kbd> <kbd>s</kbd> <kbd>f</kbd> pick the row: overall, helpfulness, safety, fluency</li>
        <li><kbd>1</kbd> A is better · <kbd>2</kbd> B is better · <kbd>3</kbd> tie · <kbd>4</kbd> both bad · <kbd>0</kbd> not rated (dimensions)</li>
        <li><kbd>c</kbd> write a comment · <kbd>Esc</kbd> leave the comment box</li>
        <li><kbd>Enter</kbd> or <kbd>Ctrl</kbd>+<kbd>Enter</kbd> submit</li>
        </ul>
        </details>
        {{/body}}
        {{/layout}}
        """

    /// The page when no task is left for the annotator.
    static let allDone = """
        {{<layout}}
        {{$title}}All done{{/title}}
        {{$nav}}{{>account_nav}}{{/nav}}
        {{$body}}
        {{#saved}}<p class="notice" role="status">Saved.</p>{{/saved}}
        <section class="card narrow">
        <h1>Nothing left to label</h1>
        <p>There is no task for you right now: you labelled {{account.labelled}}. Thank you!</p>
        <p>New tasks may arrive later; <a href="/annotate">check again</a>.</p>
        </section>
        {{/body}}
        {{/layout}}
        """
}
