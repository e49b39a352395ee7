#!/usr/bin/env bash
# Runs the README's test command RUNS times in a row (default 5) while a CPU-heavy job keeps every core busy,
# and stops at the first failure: tests must pass on a loaded machine, not only on an idle one.
# Prints each run's result and time; the logs are in target/verify-under-load/.
#   scripts/verify-under-load.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
out=target/verify-under-load
mkdir -p "$out"
cores=$(nproc)
hogs=()
for _ in $(seq "$cores"); do
  ( while :; do :; done ) &   # one busy loop per core, at normal priority
  hogs+=($!)
done
trap 'kill "${hogs[@]}" 2>/dev/null || true' EXIT
echo "load: $cores busy loops on $cores cores"
for i in $(seq "$runs"); do
  started=$(date +%s)
  if ./mvnw -B -ntp verify > "$out/run-$i.log" 2>&1; then
    echo "run $i: pass in $(( $(date +%s) - started )) s ($(grep -E '^\[INFO\] Tests run: [0-9]+, Failures' "$out/run-$i.log" | tail -2 | head -1))"
  else
    echo "run $i: FAIL in $(( $(date +%s) - started )) s — $out/run-$i.log:"
    grep -E '<<< (FAILURE|ERROR)!|Tests run:.*(Failures: [1-9]|Errors: [1-9])' "$out/run-$i.log" | head -20
    exit 1
  fi
done
echo "all $runs runs passed under load"
