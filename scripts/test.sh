#!/usr/bin/env bash
# The whole test suite: set up, build, run every test target (conformance tests read ../shared when present).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build --product logsift
# The all-sources soak (SoakTests) runs for minutes here; alone, `swift test` gives it 20 s.
export LOGSIFT_SOAK_SECONDS="${LOGSIFT_SOAK_SECONDS:-120}"
swift test 2>&1 | tee .build/test-output.txt
