#!/usr/bin/env bash
# Checks the annotation page in a real browser: starts `rlhf annotate serve` on a temporary store (one task whose
# response is `<script>alert(1)</script>`, a code block and a multi-turn context), signs in through a single-use
# sign-in link (headless Chromium, Debian package `chromium`, opens it and presses its button, driven by
# scripts/browse-annotation-page.py), takes a screenshot of the page it lands on and dumps its DOM, and checks the
# DOM: the task and form are there, the script is text, not an element.
# Usage: scripts/check-annotation-page.sh [RLHF_BINARY] [SCREENSHOT.png]   (defaults: .build/release or .build/debug
#        rlhf; annotation-page.png in the current directory). Exits non-zero with a message if a check fails.
set -euo pipefail
name=check-annotation-page
source "$(dirname "$0")/annotation-check-support.sh" "${1:-}" "${2:-annotation-page.png}"

# One prompt with earlier turns, two responses: one hostile, one with a fenced code block.
cat > "$work/task.jsonl" <<'JSON'
{"prompt": "How do I print a greeting in Python? Keep it short.", "context": [{"role": "system", "content": "You are a helpful assistant."}, {"role": "user", "content": "Hi! I am learning Python."}, {"role": "assistant", "content": "Welcome! Ask me anything about Python."}], "response_a": {"text": "<script>alert(1)</script>"}, "response_b": {"text": "Use the print function:\n\n```python\nprint(\"Hello, world!\")\n```\n\nRun it with python3 hello.py.\nThat prints the greeting on its own line."}}
JSON
db="$work/store.sqlite"
"$rlhf" data import --store "$db" "$work/task.jsonl" > /dev/null
"$rlhf" annotate create-tasks --db "$db" > /dev/null
"$rlhf" annotate add-annotator --db "$db" --name alice > /dev/null 2>&1
RLHF_ADMIN_TOKEN="$("$rlhf" annotate new-admin-token)"
export RLHF_ADMIN_TOKEN

# --no-shuffle: response A (the script) is on the left, as the checks below expect.
start_server --db "$db" --no-shuffle

# A fresh single-use sign-in link for alice (the admin API), so the browser needs no token typed in.
sign_in_link() {
    python3 - "$base" <<'PY'
import json, os, sys, urllib.request
request = urllib.request.Request(sys.argv[1] + "/api/v1/admin/sign-in-links", data=b'{"annotator": "alice"}', method="POST",
                                 headers={"Authorization": "Bearer " + os.environ["RLHF_ADMIN_TOKEN"], "Content-Type": "application/json"})
with urllib.request.urlopen(request, timeout=10) as response:
    print(sys.argv[1] + json.load(response)["url"])
PY
}

timeout 120 python3 "$root/scripts/browse-annotation-page.py" "$browser" "$(sign_in_link)" "$screenshot" "$work/dom.html" \
    "${flags[@]}" --user-data-dir="$work/profile" 2> "$work/chromium.log" || { cat "$work/chromium.log" >&2; exit 1; }

dom="$work/dom.html"
check "the screenshot is a PNG" test "$(head -c 8 "$screenshot" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a"
check "the browser shows the annotation form, not the sign-in page" grep -q 'id="label-form"' "$dom"
check "the prompt is shown" grep -q 'How do I print a greeting in Python?' "$dom"
check "the earlier turns are shown" grep -q 'Hi! I am learning Python.' "$dom"
check "the hostile response is text" grep -qF '&lt;script&gt;alert(1)&lt;/script&gt;' "$dom"
check "the hostile response is no element" bash -c "! grep -qF '<script>alert(1)' '$dom'"
check "the only script is the server's own" test "$(grep -o '<script' "$dom" | wc -l)" = 1
check "the code block is a code block" grep -qF '<pre class="code" data-language="python"><code>print("Hello, world!")' "$dom"
check "every choice row is there" bash -c "grep -c 'name=\"\\(overall\\|helpfulness\\|safety\\|fluency\\)\" value=\"both_bad\"' '$dom' | grep -qx 4"
check "the progress count is shown" grep -q '0 labelled · 1 open' "$dom"
finish "$dom"
echo "annotation page OK in $("$browser" --version 2>/dev/null | head -n 1); screenshot: $screenshot"
