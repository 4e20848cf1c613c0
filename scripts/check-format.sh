#!/usr/bin/env bash
# Fails if a Swift file in Sources, Tests or Package.swift is not as scripts/format.sh would leave it, or breaks a rule
# of .swift-format; prints the first findings and their count.
#
# .swift-format keeps the code's own layout: 4-space indents, 120 columns, existing line breaks respected, no
# indented `case` or `#if` bodies, `0..<n` without spaces. Rules that fight the house style are off:
# DoNotUseSemicolons and OneVariableDeclarationPerLine (short related statements share a line, about 1,900 places),
# OneCasePerLine and UseLetInEveryBoundCaseVariable (`case a, b` and `case let .x(a, b)` are the style),
# GroupNumericLiterals (token ids and fixture values are not quantities), AlwaysUseLowerCamelCase (GGML's `q4_0`
# type names), and OnlyOneTrailingClosureArgument, ReplaceForEachWithForLoop and UseSynthesizedInitializer (lint
# only, with deliberate exceptions in the code that no formatter run could fix). The documentation rules stay off as
# in swift format's defaults.
# Usage: scripts/check-format.sh
set -euo pipefail
cd "$(dirname "$0")/.."
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! swift format lint --strict --recursive --parallel --configuration .swift-format Sources Tests Package.swift \
    > "$log" 2>&1; then
    head -n 40 "$log"
    echo "check-format: $(grep -c 'error:' "$log") finding(s); scripts/format.sh fixes all but a few (it lists those)" >&2
    exit 1
fi
echo "check-format: Sources, Tests and Package.swift are formatted"
