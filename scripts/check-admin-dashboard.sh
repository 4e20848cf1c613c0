#!/usr/bin/env bash
# Checks the admin dashboard in a real browser: starts `rlhf annotate serve` on a temporary store (12 tasks, four of
# them gold tasks, three people: an honest one, one who always clicks the left answer, and one with a hostile name who
# clicks at random, all labelling through the API), signs in at /admin with the admin token in headless Chromium
# (Debian package `chromium`, driven by scripts/browse-admin-dashboard.py), takes a screenshot of the dashboard and
# dumps its DOM, and checks it: progress, the people ranked honest first, the hostile name as text, the chart.
# Usage: scripts/check-admin-dashboard.sh [RLHF_BINARY] [SCREENSHOT.png]   (defaults: .build/release or .build/debug
#        rlhf; admin-dashboard.png in the current directory). Exits non-zero with a message if a check fails.
set -euo pipefail
name=check-admin-dashboard
source "$(dirname "$0")/annotation-check-support.sh" "${1:-}" "${2:-admin-dashboard.png}"

# Twelve prompts; the good response is stored first (A) for even ones and second (B) for odd ones.
python3 - "$work/tasks.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as out:
    for i in range(12):
        good = {"text": f"Good answer to question {i}: correct and complete."}
        poor = {"text": f"Poor answer to question {i}."}
        a, b = (good, poor) if i % 2 == 0 else (poor, good)
        out.write(json.dumps({"prompt": f"Question {i}: explain topic {i}.", "response_a": a, "response_b": b}) + "\n")
PY
db="$work/store.sqlite"
"$rlhf" data import --store "$db" "$work/tasks.jsonl" > /dev/null
"$rlhf" annotate create-tasks --db "$db" --labels-per-task 3 --pairs existing > /dev/null
for task in 1 3; do "$rlhf" annotate add-gold --db "$db" --task "$task" --answer a > /dev/null; done
for task in 2 4; do "$rlhf" annotate add-gold --db "$db" --task "$task" --answer b > /dev/null; done
hostile='<script>alert(1)</script> eve'
{
    echo "honest $("$rlhf" annotate add-annotator --db "$db" --name honest 2> /dev/null)"
    echo "always-a $("$rlhf" annotate add-annotator --db "$db" --name always-a 2> /dev/null)"
    echo "random $("$rlhf" annotate add-annotator --db "$db" --name "$hostile" 2> /dev/null)"
} > "$work/people"
RLHF_ADMIN_TOKEN="$("$rlhf" annotate new-admin-token)"
export RLHF_ADMIN_TOKEN

start_server --db "$db" --gold-rate 0.5

# The three people label everything they are given, each in their own way; the admin sets guidelines.
python3 - "$base" "$work/people" <<'PY'
import json, os, random, sys, urllib.request
base = sys.argv[1]
def call(method, path, token, body=None):
    request = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read()
chooser = random.Random(7)
for line in open(sys.argv[2]):
    kind, token = line.split()
    while True:
        status, body = call("GET", "/api/v1/tasks/next", token)
        if status == 204:
            break
        task = json.loads(body)
        if kind == "honest":
            choice = "a" if task["response_a"].startswith("Good") else "b"
        elif kind == "always-a":
            choice = "a"
        else:
            choice = chooser.choice(["a", "b", "tie", "both_bad"])
        call("POST", "/api/v1/labels", token, {"task_id": task["task_id"], "choice": choice})
call("PUT", "/api/v1/admin/guidelines", os.environ["RLHF_ADMIN_TOKEN"], {"markdown": "# Rules\n<script>alert(2)</script>"})
PY

timeout 120 python3 "$root/scripts/browse-admin-dashboard.py" "$browser" "$base" "$screenshot" "$work/dom.html" \
    "${flags[@]}" --user-data-dir="$work/profile" 2> "$work/chromium.log" || { cat "$work/chromium.log" >&2; exit 1; }

dom="$work/dom.html"
rank() { grep -o '<span class="name">[^<]*</span>' "$dom" | head -n 3 | sed 's|<span class="name">\(.*\)</span>|\1|' | tr '\n' '|'; }
check "the screenshot is a PNG" test "$(head -c 8 "$screenshot" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a"
check "the browser shows the dashboard, not the sign-in page" grep -q 'id="annotators"' "$dom"
check "the progress is shown" grep -q '8 of 8 complete' "$dom"
check "the gold tasks are counted" grep -q 'Gold tasks</dt><dd>4 (' "$dom"
check "the honest person ranks first, the left-clicker second" test "$(rank)" = "honest|always-a|&lt;script&gt;alert(1)&lt;/script&gt; eve|"
check "the hostile name is text" grep -qF '&lt;script&gt;alert(1)&lt;/script&gt; eve' "$dom"
check "the hostile name is no element" bash -c "! grep -qF '<script>alert(1)' '$dom'"
check "the only script is the server's own" test "$(grep -o '<script' "$dom" | wc -l)" = 1
check "the left-clicker is flagged" grep -q '<tr class="flagged"><td>2</td><td><span class="name">always-a</span>' "$dom"
check "the chart of labels per hour is drawn" grep -q '<rect class="bar"' "$dom"
check "pairwise agreement is shown" grep -q 'id="pairs"' "$dom"
finish "$dom"
echo "admin dashboard OK in $("$browser" --version 2>/dev/null | head -n 1); screenshot: $screenshot"
