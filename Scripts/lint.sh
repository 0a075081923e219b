#!/usr/bin/env bash
# Lint: swift-format (shipped with the toolchain) in strict mode, with the project's .swift-format.
# Usage: Scripts/lint.sh          check, exit 1 on any finding
#        Scripts/lint.sh --fix    rewrite the files in place first (formatting only)
set -euo pipefail
cd "$(dirname "$0")/.."
paths=(Package.swift Sources Tests Scripts/notebooks)
existing=()
for p in "${paths[@]}"; do [ -e "$p" ] && existing+=("$p"); done
if [ "${1:-}" = "--fix" ]; then
  swift format format --in-place --recursive --parallel "${existing[@]}"
fi
swift format lint --strict --recursive --parallel "${existing[@]}"
echo "lint: clean (${existing[*]})"
