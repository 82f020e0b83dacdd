#!/usr/bin/env bash
# The whole test suite: set up, build, run every test target (conformance tests read ../shared when present),
# replay the fuzz seeds and past findings, then fuzz each libFuzzer target briefly
# (LOGSIFT_FUZZ_EACH seconds per target, default 20; 0 skips the libFuzzer runs).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# Everything, sources and tests, with no compiler warning in our own files (a fresh clone builds all of it).
scripts/check-warnings.sh
# The all-sources soak (SoakTests) runs for minutes here; alone, `swift test` gives it 20 s. It measures three
# writer processes and a reader under sustained load (their resident memory levelling off), so it runs after the
# rest, on its own: beside the whole suite on two cores the processes' figures would be the suite's.
export LOGSIFT_SOAK_SECONDS="${LOGSIFT_SOAK_SECONDS:-120}"
swift test --skip SoakTests 2>&1 | tee .build/test-output.txt
swift test --skip-build --filter SoakTests 2>&1 | tee .build/soak-output.txt
swift build --product logsift-fuzz
.build/debug/logsift-fuzz --target all Fuzz/seeds Fuzz/regressions
each=${LOGSIFT_FUZZ_EACH:-20}
if [ "$each" -gt 0 ]; then scripts/fuzz.sh all "$each"; fi
# swift test's closing lines last, for whoever reads the end of this output.
grep -E "^(✔|✘) Test run with|Executed [0-9]+ tests" .build/test-output.txt .build/soak-output.txt || true
