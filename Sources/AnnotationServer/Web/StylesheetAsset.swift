/// The pages' stylesheet, served from `/static/app.css` (no CDN, no web fonts: the UI works offline).
enum StylesheetAsset {
    static let text = """
        :root { --ink: #1d232b; --muted: #5d6875; --line: #d8dde3; --paper: #ffffff; --ground: #f3f5f7;
                --accent: #2d5fc4; --accent-soft: #e4ecfb; --warn: #b3261e; --ok: #1f7a3a; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
               background: var(--ground); }
        header.top { display: flex; align-items: center; justify-content: space-between; gap: 1rem; padding: .6rem 1.2rem;
                     background: var(--paper); border-bottom: 1px solid var(--line); }
        .brand { font-weight: 600; color: var(--ink); text-decoration: none; }
        nav.account { display: flex; align-items: center; gap: 1rem; flex-wrap: wrap; }
        nav.account .progress { color: var(--muted); font-variant-numeric: tabular-nums; }
        a { color: var(--accent); }
        main { max-width: 1280px; margin: 0 auto; padding: 1rem 1.2rem 3rem; }
        h1 { font-size: 1.4rem; margin: 0 0 .8rem; }
        h2 { font-size: 1rem; margin: 0 0 .5rem; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
        .card { background: var(--paper); border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.2rem; margin: 1rem 0; }
        .narrow { max-width: 32rem; margin: 3rem auto; }
        .notice { background: #e6f4ea; color: var(--ok); border-radius: 6px; padding: .4rem .8rem; }
        .error { background: #fbe9e7; color: var(--warn); border-radius: 6px; padding: .4rem .8rem; }
        .conversation { background: var(--paper); border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.2rem; }
        .task-id { font-weight: 400; text-transform: none; letter-spacing: 0; }
        .turn { border-left: 3px solid var(--line); padding: .2rem 0 .2rem .8rem; margin: .6rem 0; }
        .turn-user { border-color: var(--accent); }
        .turn-assistant { border-color: #8a94a0; }
        .turn-system { border-color: #c9a227; }
        .turn.final { background: var(--accent-soft); border-radius: 0 6px 6px 0; padding: .5rem .8rem; }
        .role { font-size: .8rem; font-weight: 600; color: var(--muted); text-transform: uppercase; }
        .prose { white-space: pre-wrap; overflow-wrap: anywhere; margin: .3rem 0; }
        pre.code { background: #f6f8fa; border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; overflow-x: auto;
                   font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; margin: .5rem 0; }
        .responses { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; margin-top: 1rem; }
        .response { background: var(--paper); border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.2rem; min-width: 0; }
        @media (max-width: 800px) { .responses { grid-template-columns: 1fr; } }
        fieldset.choice-row { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 .6rem; padding: .4rem .8rem;
                              display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; align-items: center; }
        fieldset.choice-row.active { border-color: var(--accent); box-shadow: 0 0 0 2px var(--accent-soft); }
        fieldset.choice-row legend { font-weight: 600; padding: 0 .3rem; }
        .hint { color: var(--muted); font-weight: 400; font-size: .85rem; }
        label { cursor: pointer; }
        .comment-label { display: block; margin: .6rem 0 .2rem; font-weight: 600; }
        textarea, input[type=password] { width: 100%; font: inherit; padding: .4rem .5rem; border: 1px solid var(--line); border-radius: 6px; }
        button { font: inherit; background: var(--accent); color: #fff; border: 0; border-radius: 6px; padding: .45rem 1rem; cursor: pointer; margin-top: .6rem; }
        button.link { background: none; color: var(--accent); padding: 0; margin: 0; text-decoration: underline; }
        form.inline { display: inline; }
        .actions { display: flex; align-items: baseline; gap: 1rem; flex-wrap: wrap; }
        kbd { font: 11px ui-monospace, monospace; border: 1px solid var(--line); border-bottom-width: 2px; border-radius: 4px;
              padding: 0 .3rem; background: #fafbfc; color: var(--muted); }
        details summary { cursor: pointer; font-weight: 600; }
        .prose-page { max-width: 52rem; margin: 1rem auto; }
        .prose-page h2 { margin-top: 1.2rem; }
        input[type=text], select { font: inherit; padding: .35rem .5rem; border: 1px solid var(--line); border-radius: 6px; }
        input[type=text] { width: 100%; }
        dl.stats { display: flex; flex-wrap: wrap; gap: .6rem 2rem; margin: 0 0 .8rem; }
        dl.stats dt { color: var(--muted); font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; }
        dl.stats dd { margin: 0; font-size: 1.1rem; font-variant-numeric: tabular-nums; }
        figure.chart { margin: .4rem 0; }
        figure.chart svg { width: 100%; max-width: 720px; height: auto; display: block; }
        figure.chart figcaption { color: var(--muted); font-size: .85rem; }
        .table-scroll { overflow-x: auto; }
        table.data { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
        table.data th, table.data td { text-align: left; padding: .3rem .6rem; border-bottom: 1px solid var(--line); white-space: nowrap; }
        table.data th { color: var(--muted); font-weight: 600; font-size: .85rem; }
        table.data tr.flagged td { background: #fff4e5; }
        table.data tr.inactive td { color: var(--muted); }

        """
}
