#!/usr/bin/env bash
# The main job on bundled example data: set up, build, ingest fixtures/ into ./data, show stats and searches.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product logsift
bin=.build/release/logsift
rm -rf ./data
$bin ingest --data ./data fixtures/var/log/containers/*.log fixtures/ci/*.log fixtures/node/*.log
echo; $bin stats --data ./data
echo; echo '$ logsift search level:error'; $bin search --data ./data level:error
echo; echo '$ logsift search '\''deployment:payments and "connection refused"'\'''; $bin search --data ./data 'deployment:payments and "connection refused"'
