#!/usr/bin/env bash
# Formats Sources, Tests and Package.swift in place with .swift-format (the layout scripts/check-format.sh and CI
# check), then runs that check: what it still reports is what swift format cannot fix itself, such as an end-of-line
# comment that runs past 120 columns (move it above its line by hand).
# Usage: scripts/format.sh
set -euo pipefail
cd "$(dirname "$0")/.."
swift format format --in-place --recursive --parallel --configuration .swift-format Sources Tests Package.swift
scripts/check-format.sh
