#!/usr/bin/env bash
# Builds everything (sources and tests) and fails when the compiler warns about our own files (Sources/, Tests/);
# dependencies' warnings are theirs. A full build is needed to see every warning: CI's fresh clone is one, and
# locally `touch` the files first (find Sources Tests -name '*.swift' -exec touch {} +).
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
swift build --build-tests 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
[ "$status" -eq 0 ] || { rm -f "$log"; exit "$status"; }
# Our files, and warnings inside macro expansions (#expect, #require), which name no file.
ours=$(grep -E "^($(pwd)/(Sources|Tests)/[^:]+:[0-9]+:[0-9]+|macro expansion [^:]+:[0-9]+:[0-9]+): warning:" "$log" | sort -u)
rm -f "$log"
if [ -n "$ours" ]; then
  echo "$ours"
  echo "check-warnings: $(echo "$ours" | wc -l) compiler warning(s) in our own files; fix them (the build stays warning-free)" >&2
  exit 1
fi
echo "check-warnings: no compiler warnings in Sources/ or Tests/"
