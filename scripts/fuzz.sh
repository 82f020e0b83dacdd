#!/usr/bin/env bash
# Coverage-guided fuzzing with libFuzzer (and AddressSanitizer) of the logsift-fuzz targets.
#
#   scripts/fuzz.sh [TARGET|all] [SECONDS]     TARGET: kql, decode, block, rules (default: all, 30 s each)
#
# Builds Sources/logsift-fuzz with -DLOGSIFT_FUZZ into .build-fuzz, then runs each target for SECONDS on its
# corpus: .build-fuzz/corpus/TARGET (kept between runs, grows) plus the committed seeds in Fuzz/seeds/TARGET
# and past findings in Fuzz/regressions/TARGET. Exits non-zero when a target crashes, traps, breaks an
# invariant, times out or runs out of memory, and prints the reproducer; replay one with
#   LOGSIFT_FUZZ_TARGET=TARGET .build-fuzz/debug/logsift-fuzz CRASH_FILE        (sanitizer build), or
#   swift build --product logsift-fuzz && .build/debug/logsift-fuzz --target TARGET CRASH_FILE
# Extra libFuzzer flags: LOGSIFT_FUZZ_FLAGS (e.g. "-jobs=2 -workers=2").
set -euo pipefail
cd "$(dirname "$0")/.."

all=(kql decode block rules)
which=${1:-all}
seconds=${2:-30}
if [ "$which" = all ]; then targets=("${all[@]}"); else targets=("$which"); fi
for t in "${targets[@]}"; do
  case " ${all[*]} " in *" $t "*) ;; *) echo "fuzz.sh: unknown target '$t' (targets: ${all[*]})" >&2; exit 2 ;; esac
done

# The longest input worth trying per target (bytes).
max_len() {
  case $1 in
    kql) echo 4096 ;;      # queries: the parser's limits (64 KiB, depth 100) are covered by KQLFuzzTests
    decode) echo 16384 ;;  # a few hundred log lines
    block) echo 16384 ;;   # a block payload of a few dozen events
    rules) echo 8192 ;;    # a rule file of a few dozen rules
  esac
}

build=.build-fuzz
start=$(date +%s)
# Debug configuration (assertions on as well as the bounds and overflow checks release keeps too) but optimised.
# Not `swift build --sanitize fuzzer --sanitize address`: SwiftPM passes two -sanitize= flags to swiftc, which
# keeps only the last (in an order that varies), so a build had either coverage or AddressSanitizer, not both.
# `--sanitize fuzzer` lets SwiftPM link libFuzzer's main; the combined -sanitize= after it is the one swiftc keeps.
nice -n 10 swift build --build-path "$build" --product logsift-fuzz --sanitize fuzzer \
  -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=address \
  -Xswiftc -DLOGSIFT_FUZZ -Xswiftc -O 2>&1 | grep -v "Cannot export local symbol" | tail -n 3
bin=$build/debug/logsift-fuzz
# Both instrumentations, in the libraries' Swift code too.
probe=$build/debug/LogIndexer.build/BlockCodec.swift.o
syms=$(nm "$probe")
if ! grep -q __sanitizer_cov <<<"$syms" || ! grep -q __asan <<<"$syms"; then
  echo "fuzz.sh: $probe lacks coverage or AddressSanitizer instrumentation" >&2
  exit 2
fi
echo "fuzz.sh: sanitizer build in $(( $(date +%s) - start )) s"

# The Swift runtime's own crash backtracer reads memory that ASan guards; libFuzzer reports crashes itself.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS=${ASAN_OPTIONS:-}

failed=()
for t in "${targets[@]}"; do
  corpus=$build/corpus/$t
  artifacts=$build/findings/$t
  mkdir -p "$corpus" "$artifacts" "Fuzz/regressions/$t"
  log=$build/fuzz-$t.log
  dict=()
  [ -f "Fuzz/dicts/$t.dict" ] && dict=("-dict=Fuzz/dicts/$t.dict")
  echo "fuzz.sh: $t for ${seconds} s (max_len $(max_len "$t"))"
  set +e
  # shellcheck disable=SC2086
  LOGSIFT_FUZZ_TARGET=$t nice -n 10 "$bin" "$corpus" "Fuzz/seeds/$t" "Fuzz/regressions/$t" "${dict[@]}" \
    -max_total_time="$seconds" -max_len="$(max_len "$t")" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$artifacts/" -print_final_stats=1 ${LOGSIFT_FUZZ_FLAGS:-} >"$log" 2>&1
  rc=$?
  set -e
  # The last status line (#N DONE/pulse cov: ft: corp: exec/s: ...) and the final stats.
  grep -E "^#[0-9]+" "$log" | tail -n 1 || true
  grep -E "^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)" "$log" | tr '\n' ' ' || true
  echo
  if [ $rc -ne 0 ]; then
    failed+=("$t")
    echo "fuzz.sh: $t FAILED (exit $rc); the end of $log:" >&2
    grep -v "^    #\|^INFO:\|^#[0-9]" "$log" | tail -n 25 >&2 || true
    for f in $(grep -oE "Test unit written to [^ ]+" "$log" | awk '{print $5}'); do
      echo "fuzz.sh: reproducer: $f" >&2
      echo "fuzz.sh:   replay: LOGSIFT_FUZZ_TARGET=$t $bin $f" >&2
    done
  fi
done

echo "fuzz.sh: ${#targets[@]} target(s), ${seconds} s each, $(( $(date +%s) - start )) s in all"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz.sh: findings in: ${failed[*]}" >&2
  exit 1
fi
