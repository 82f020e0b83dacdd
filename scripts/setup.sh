#!/usr/bin/env bash
# Installs what logsift needs on a fresh Debian machine with the Swift toolchain. Idempotent.
set -euo pipefail
need=()
dpkg -s libzstd-dev >/dev/null 2>&1 || need+=(libzstd-dev)
dpkg -s libsqlite3-dev >/dev/null 2>&1 || need+=(libsqlite3-dev)
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
