#!/usr/bin/env bash
# Installs what logsift needs on a fresh Debian machine with the Swift toolchain. Idempotent.
set -euo pipefail
need=()
dpkg -s libzstd-dev >/dev/null 2>&1 || need+=(libzstd-dev)
dpkg -s libsqlite3-dev >/dev/null 2>&1 || need+=(libsqlite3-dev)
# The ClickHouse client speaks HTTP through Foundation's URLSession (libcurl); a release build with a static Swift
# runtime links libcurl from its -dev package.
dpkg -s libcurl4-openssl-dev >/dev/null 2>&1 || need+=(libcurl4-openssl-dev)
command -v zstd >/dev/null 2>&1 || need+=(zstd)
command -v rg >/dev/null 2>&1 || need+=(ripgrep)
command -v sqlite3 >/dev/null 2>&1 || need+=(sqlite3)
# Headless Chromium renders the HTML report in ScoringTests.
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || need+=(chromium)
# rsyslog's Elasticsearch output ships to `logsift serve` in CLITests.
dpkg -s rsyslog-elasticsearch >/dev/null 2>&1 || need+=(rsyslog-elasticsearch)
# The ClickHouse store's tests start Debian's clickhouse-server (18.16) on loopback ports with a config of their own.
command -v clickhouse-server >/dev/null 2>&1 || need+=(clickhouse-server)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
# The opensearch-py client (PyPI) ships to `logsift serve` in CLITests; its test is skipped without it.
python3 -c "import opensearchpy" >/dev/null 2>&1 || python3 -m pip install -q opensearch-py >/dev/null 2>&1 \
  || echo "setup: opensearch-py did not install; its serve test will be skipped" >&2
# The OpenTelemetry Python SDK's OTLP/HTTP exporter, and protobuf + cramjam (snappy) to build Loki's protobuf push.
python3 -c "import opentelemetry.exporter.otlp.proto.http, cramjam, google.protobuf" >/dev/null 2>&1 \
  || python3 -m pip install -q opentelemetry-sdk opentelemetry-exporter-otlp-proto-http cramjam >/dev/null 2>&1 \
  || echo "setup: the OpenTelemetry SDK / cramjam did not install; their serve tests will be skipped" >&2
# The official Elasticsearch Python clients, 8.x and 9.x (they cannot share one environment), each in its own
# venv under the cache directory; CLITests drive `logsift serve` with scripts/es-client-check.py through both.
clients="${LOGSIFT_CLIENTS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/logsift-clients}"
# chdb (a current ClickHouse in process) checks that the SQL logsift generates for current servers runs there.
for spec in "es8:elasticsearch>=8,<9:elasticsearch" "es9:elasticsearch>=9,<10:elasticsearch" "chdb:chdb:chdb"; do
  name="${spec%%:*}"; rest="${spec#*:}"; req="${rest%:*}"; module="${rest##*:}"
  "$clients/$name/bin/python" -c "import $module" >/dev/null 2>&1 && continue
  { python3 -m venv "$clients/$name" && "$clients/$name/bin/pip" install -q "$req"; } >/dev/null 2>&1 \
    || echo "setup: $req did not install into $clients/$name; its serve test will be skipped" >&2
done
