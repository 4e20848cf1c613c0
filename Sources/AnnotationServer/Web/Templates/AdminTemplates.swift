/// The admin pages: sign-in, dashboard, people, tasks (gold and assignment), guidelines. Every form posts the
/// admin session's CSRF token; every value goes through the escaping `{{name}}`.
enum AdminTemplates {
    /// The admin navigation: the pages and the sign-out form.
    static let nav = """
        <nav class="account" aria-label="Admin">
        <a href="/admin">Dashboard</a>
        <a href="/admin/people">People</a>
        <a href="/admin/tasks">Tasks &amp; gold</a>
        <a href="/admin/guidelines">Guidelines</a>
        <form method="post" action="/admin/sign-out" class="inline">
        <input type="hidden" name="csrf" value="{{admin.csrf}}">
        <button type="submit" class="link">Sign out (admin)</button>
        </form>
        </nav>
        """

    static let signIn = """
        {{<layout}}
        {{$title}}Admin sign-in{{/title}}
        {{$body}}
        <section class="card narrow">
        <h1>Admin sign-in</h1>
        <p>Enter the admin token (the server's <code>RLHF_ADMIN_TOKEN</code>).</p>
        {{>token_form}}
        </section>
        {{/body}}
        {{/layout}}
        """

    static let message = """
        {{<layout}}
        {{$title}}{{heading}}{{/title}}
        {{$nav}}{{#admin}}{{>admin_nav}}{{/admin}}{{/nav}}
        {{$body}}
        <section class="card narrow">
        <h1>{{heading}}</h1>
        <p>{{message}}</p>
        <p><a href="/admin">Back to the dashboard</a></p>
        </section>
        {{/body}}
        {{/layout}}
        """

    static let dashboard = """
        {{<layout}}
        {{$title}}Dashboard{{/title}}
        {{$nav}}{{>admin_nav}}{{/nav}}
        {{$body}}
        <h1>Annotation dashboard</h1>
        <section class="card" aria-label="Progress" id="progress">
        <h2>Progress</h2>
        <dl class="stats">
        <div><dt>Tasks</dt><dd>{{progress.tasksComplete}} of {{progress.tasks}} complete</dd></div>
        <div><dt>Labels</dt><dd>{{progress.labelsDone}} of {{progress.labelsWanted}} ({{progress.percentDone}})</dd></div>
        <div><dt>Active leases</dt><dd>{{progress.activeLeases}}</dd></div>
        <div><dt>Labels in the last hour</dt><dd>{{progress.labelsLastHour}}</dd></div>
        <div><dt>Gold tasks</dt><dd>{{progress.goldTasks}} ({{progress.goldLabels}} answers)</dd></div>
        </dl>
        {{#chart}}
        <figure class="chart">
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="{{viewBox}}" role="img" aria-label="Labels per hour, at most {{most}}">
        <line x1="0" y1="{{baseline}}" x2="{{widthText}}" y2="{{baseline}}" stroke="#d8dde3"/>
        {{#bars}}<rect class="bar" x="{{x}}" y="{{y}}" width="{{width}}" height="{{height}}" fill="#2d5fc4"><title>{{title}}</title></rect>{{/bars}}
        <text x="0" y="{{labelY}}" font-size="11" fill="#5d6875">{{firstHour}}</text>
        {{#spansHours}}<text x="{{lastLabelX}}" y="{{labelY}}" font-size="11" fill="#5d6875" text-anchor="end">{{lastHour}}</text>{{/spansHours}}
        </svg>
        <figcaption>Labels per hour (highest: {{most}})</figcaption>
        </figure>
        {{/chart}}
        <p class="hint">Export every task with its labels: <a href="/admin/export?format=native">native</a> ·
        resolved pairs (majority, ties and cycles dropped): <a href="/admin/export?format=pairs">pairs</a> ·
        <a href="/admin/export?format=hh">HH</a> (JSON Lines, streamed)</p>
        </section>
        <section class="card" aria-label="Annotators">
        <h2>Annotators, best first</h2>
        <div class="table-scroll">
        <table class="data" id="annotators">
        <thead><tr><th>#</th><th>Name</th><th>Labels</th><th>Median time</th>
        <th title="Choices as the person saw the responses: A is the left one">A</th><th>B</th><th>Tie</th><th>Both bad</th>
        <th title="Share of labels matching the majority of the others">Agrees with majority</th>
        <th title="Mean Cohen's kappa with each other person">Mean κ</th>
        <th>Gold accuracy</th><th title="Cohen's kappa against the gold answers">Gold κ</th></tr></thead>
        <tbody>
        {{#annotators}}<tr class="{{#flagged}}flagged{{/flagged}}{{^active}} inactive{{/active}}"><td>{{rank}}</td><td><span class="name">{{name}}</span>{{^active}} <span class="hint">(deactivated)</span>{{/active}}</td><td>{{labels}}</td><td>{{medianSeconds}}</td>
        <td>{{shareA}}</td><td>{{shareB}}</td><td>{{shareTie}}</td><td>{{shareBothBad}}</td><td>{{majority}}</td><td>{{meanKappa}}</td><td>{{goldAccuracy}}</td><td>{{goldKappa}}</td></tr>
        {{/annotators}}
        {{^annotators}}<tr><td colspan="12">Nobody can sign in yet: add people on the <a href="/admin/people">people page</a>.</td></tr>{{/annotators}}
        </tbody>
        </table>
        </div>
        <p class="hint">Highlighted rows are worth a look: under 60% right on gold tasks, or 80% or more of the choices on one side as shown.</p>
        </section>
        <section class="card" aria-label="Agreement between annotators">
        <h2>Agreement between annotators (Cohen's κ)</h2>
        {{#hasPairs}}
        <table class="data" id="pairs">
        <thead><tr><th>Annotator</th><th>Annotator</th><th>Shared tasks</th><th>Agreement</th><th>κ</th></tr></thead>
        <tbody>
        {{#pairs}}<tr><td>{{first}}</td><td>{{second}}</td><td>{{shared}}</td><td>{{agreement}}</td><td>{{kappa}}</td></tr>
        {{/pairs}}
        </tbody>
        </table>
        {{/hasPairs}}
        {{^pairs}}<p>No two people have labelled the same tasks yet.</p>{{/pairs}}
        </section>
        {{/body}}
        {{/layout}}
        """

    static let people = """
        {{<layout}}
        {{$title}}People{{/title}}
        {{$nav}}{{>admin_nav}}{{/nav}}
        {{$body}}
        <h1>People</h1>
        {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
        {{#newToken}}<section class="card" id="new-token"><p><strong>{{newName}}</strong> signs in with this token. It is shown once: copy it now.</p>
        <pre class="code"><code>{{newToken}}</code></pre></section>{{/newToken}}
        <section class="card">
        <table class="data" id="people">
        <thead><tr><th>Name</th><th>Status</th><th>Labels</th><th>Last label</th><th></th></tr></thead>
        <tbody>
        {{#people}}<tr><td class="name">{{name}}</td><td>{{#active}}active{{/active}}{{^active}}deactivated{{/active}}</td><td>{{labels}}</td><td>{{lastLabel}}</td>
        <td><form method="post" action="/admin/people/{{id}}/{{#active}}deactivate{{/active}}{{^active}}reactivate{{/active}}" class="inline">
        <input type="hidden" name="csrf" value="{{admin.csrf}}">
        <button type="submit" class="link">{{#active}}Deactivate{{/active}}{{^active}}Reactivate{{/active}}</button>
        </form></td></tr>
        {{/people}}
        </tbody>
        </table>
        <p class="hint">Deactivating someone signs them out at once and their token stops working; their labels are kept.</p>
        </section>
        <section class="card">
        <h2>Add a person</h2>
        <form method="post" action="/admin/people">
        <input type="hidden" name="csrf" value="{{admin.csrf}}">
        <label for="name">Name</label>
        <input id="name" name="name" type="text" required maxlength="200">
        <button type="submit">Add</button>
        </form>
        </section>
        {{/body}}
        {{/layout}}
        """

    static let tasks = """
        {{<layout}}
        {{$title}}Tasks and gold{{/title}}
        {{$nav}}{{>admin_nav}}{{/nav}}
        {{$body}}
        <h1>Tasks and gold</h1>
        {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <section class="card">
        <h2>Gold tasks</h2>
        <p>A gold task has a known answer. About {{goldRatePercent}} of the tasks each person gets are gold tasks they have not answered yet; nothing shows them as gold.</p>
        <table class="data" id="gold">
        <thead><tr><th>Task</th><th>Answer (stored order)</th><th>Answers</th><th>Right</th></tr></thead>
        <tbody>
        {{#gold}}<tr><td>{{taskID}}</td><td>{{answer}}</td><td>{{labels}}</td><td>{{correct}}</td></tr>
        {{/gold}}
        {{^gold}}<tr><td colspan="4">No gold tasks yet.</td></tr>{{/gold}}
        </tbody>
        </table>
        <form method="post" action="/admin/gold">
        <input type="hidden" name="csrf" value="{{admin.csrf}}">
        <label for="gold-task">Task</label> <input id="gold-task" name="task_id" type="text" inputmode="numeric" required>
        <label for="gold-answer">Answer</label> <select id="gold-answer" name="answer">
        {{#answers}}<option value="{{value}}">{{label}}</option>{{/answers}}
        </select>
        <button type="submit">Mark as gold</button>
        </form>
        </section>
        <section class="card">
        <h2>Assign tasks</h2>
        <p>Tasks assigned to people go only to them; "everyone" removes the assignment.</p>
        <form method="post" action="/admin/assign">
        <input type="hidden" name="csrf" value="{{admin.csrf}}">
        <label for="assign-tasks">Tasks (e.g. <code>1-20, 25</code>)</label>
        <input id="assign-tasks" name="tasks" type="text" required>
        <label for="assign-people">People (names, comma-separated; empty: everyone)</label>
        <input id="assign-people" name="annotators" type="text">
        <button type="submit">Assign</button>
        </form>
        </section>
        {{/body}}
        {{/layout}}
        """

    static let guidelines = """
        {{<layout}}
        {{$title}}Guidelines{{/title}}
        {{$nav}}{{>admin_nav}}{{/nav}}
        {{$body}}
        <h1>Annotation guidelines</h1>
        {{#saved}}<p class="notice" role="status">Saved. Annotators see the new guidelines now.</p>{{/saved}}
        <section class="card">
        <p>Written in Markdown (headings, lists, <code>**bold**</code>, <code>*emphasis*</code>, <code>`code`</code>, fenced code); HTML is shown as text.
        {{#isDefault}}The store has no guidelines of its own: annotators see the built-in ones.{{/isDefault}} Save an empty text to go back to the built-in guidelines.</p>
        <form method="post" action="/admin/guidelines">
        <input type="hidden" name="csrf" value="{{admin.csrf}}">
        <textarea name="markdown" rows="16">{{markdown}}</textarea>
        <button type="submit">Save guidelines</button>
        </form>
        </section>
        {{^isDefault}}<section class="card prose-page" id="preview"><h2>Preview</h2>{{>markdown}}</section>{{/isDefault}}
        {{/body}}
        {{/layout}}
        """

    /// The guidelines annotators see when the store has its own.
    static let storeGuidelines = """
        {{<layout}}
        {{$title}}Guidelines{{/title}}
        {{$nav}}{{>account_nav}}{{/nav}}
        {{$body}}
        <article class="card prose-page" id="guidelines">
        {{>markdown}}
        </article>
        {{/body}}
        {{/layout}}
        """

    /// Markdown blocks (`SafeMarkdown`): only these elements, every text escaped.
    static let markdown = """
        {{#blocks}}{{#heading1}}<h1>{{>markdown_spans}}</h1>{{/heading1}}{{#heading2}}<h2>{{>markdown_spans}}</h2>{{/heading2}}{{#heading3}}<h3>{{>markdown_spans}}</h3>{{/heading3}}{{#paragraph}}<p>{{>markdown_spans}}</p>{{/paragraph}}{{#bullets}}<ul>{{#items}}<li>{{>markdown_spans}}</li>{{/items}}</ul>{{/bullets}}{{#numbered}}<ol>{{#items}}<li>{{>markdown_spans}}</li>{{/items}}</ol>{{/numbered}}{{#code}}<pre class="code"><code>{{codeText}}</code></pre>{{/code}}
        {{/blocks}}
        """

    static let markdownSpans = """
        {{#spans}}{{#strong}}<strong>{{text}}</strong>{{/strong}}{{#emphasis}}<em>{{text}}</em>{{/emphasis}}{{#code}}<code>{{text}}</code>{{/code}}{{#plain}}{{text}}{{/plain}}{{/spans}}
        """
}
