#!/usr/bin/env bash
# The whole test suite: set up, build, run every test target (conformance tests read ../shared when present).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build --product logsift
swift test 2>&1 | tee .build/test-output.txt
