#!/usr/bin/env bash
# The main job on bundled example data: set up, build, ingest fixtures/ into ./data, show stats and searches.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --static-swift-stdlib --disable-local-rpath --product logsift
bin=.build/release/logsift
rm -rf ./data
$bin ingest --data ./data fixtures/var/log/containers/*.log fixtures/ci/*.log fixtures/node/*.log
echo; $bin stats --data ./data
echo; echo '$ logsift search level:error'; $bin search --data ./data level:error
echo; echo '$ logsift search '\''deployment:payments and "connection refused"'\'''; $bin search --data ./data 'deployment:payments and "connection refused"'
echo; echo '$ logsift failures'; $bin failures --data ./data
echo; echo '$ logsift deployments'; $bin deployments --data ./data
echo; echo '$ logsift search -B 3 --limit 1 "kind:failure and deployment:checkout"'; $bin search --data ./data -B 3 'kind:failure and deployment:checkout' --limit 1
$bin report --data ./data --week 2026-W47 --format html --output ./data/report-2026-W47.html
echo; echo "weekly report: ./data/report-2026-W47.html (logsift report --week 2026-W47 --format md|html|json)"
