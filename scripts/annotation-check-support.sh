# Shared parts of the browser checks of the annotation server (check-annotation-page.sh, check-admin-dashboard.sh),
# sourced by them: finding rlhf and Chromium, a temporary folder, starting `rlhf annotate serve` on a free port, and
# the DOM checks' bookkeeping. Sets `root`, `rlhf`, `screenshot`, `browser`, `work`, `flags`; `start_server` sets
# `server_pid` and `base`.
# Usage (in a script with `set -euo pipefail`): name=check-…; source …/annotation-check-support.sh "${1:-}" "${2:-DEFAULT.png}"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rlhf="${1:-${RLHF_BINARY:-}}"
if [ -z "$rlhf" ]; then
    for candidate in "$root/.build/release/rlhf" "$root/.build/debug/rlhf"; do
        if [ -x "$candidate" ]; then rlhf="$candidate"; break; fi
    done
fi
[ -n "$rlhf" ] && [ -x "$rlhf" ] || { echo "$name: no rlhf binary (build it, or pass its path)" >&2; exit 1; }
screenshot="$(realpath -m "$2")"
browser="$(command -v chromium || command -v chromium-browser || true)"
[ -n "$browser" ] || { echo "$name: chromium is not installed (apt-get install chromium)" >&2; exit 1; }

work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

flags=(--headless --disable-gpu --disable-dev-shm-usage --hide-scrollbars --no-first-run --no-default-browser-check
       --disable-extensions --disable-background-networking --window-size=1280,1100)
if [ "$(id -u)" = 0 ]; then flags+=(--no-sandbox); fi  # Chromium's sandbox refuses to run as root

# start_server ARGUMENT…: `rlhf annotate serve ARGUMENT… --host 127.0.0.1 --port 0`, waiting for its address.
start_server() {
    "$rlhf" annotate serve "$@" --host 127.0.0.1 --port 0 > "$work/server.out" 2> "$work/server.err" &
    server_pid=$!
    local port=""
    for _ in $(seq 1 300); do
        port="$(sed -n 's|^serving http://127.0.0.1:\([0-9]*\)$|\1|p' "$work/server.out")"
        [ -n "$port" ] && break
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    [ -n "$port" ] || { echo "$name: the server did not start:" >&2; cat "$work/server.err" >&2; exit 1; }
    base="http://127.0.0.1:$port"
}

failures=0
check() {  # check DESCRIPTION COMMAND…
    local description="$1"; shift
    if "$@"; then echo "ok: $description"; else echo "FAILED: $description" >&2; failures=$((failures + 1)); fi
}

# finish DOM: fails with the DOM if a check failed.
finish() {
    if [ "$failures" -gt 0 ]; then
        echo "$name: $failures check(s) failed; the DOM was:" >&2
        cat "$1" >&2
        exit 1
    fi
}
