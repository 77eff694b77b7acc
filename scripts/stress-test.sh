#!/usr/bin/env bash
# Runs the whole suite (`npm test`) RUNS times in a row (default 3) while a CPU
# hog keeps every core busy, to shake out tests that race under load: they
# must wait for conditions, never for time. Green only if every run is green.
# The hog is stress-ng (Debian: apt-get install stress-ng) when present, else
# one node busy-loop per core. Usage: scripts/stress-test.sh [test filters...]
# Env: RUNS (3), HOGS (number of busy workers, default: the core count).
set -uo pipefail
cd "$(dirname "$0")/.."

runs="${RUNS:-3}"
hogs="${HOGS:-$(nproc)}"

if command -v stress-ng >/dev/null 2>&1; then
  stress-ng --cpu "$hogs" --quiet &
  hog_pid=$!
  hog="stress-ng --cpu $hogs"
else
  node -e '
    const { Worker } = require("node:worker_threads");
    for (let i = 0; i < Number(process.argv[1]); i++) new Worker("for (;;) {}", { eval: true });
  ' "$hogs" &
  hog_pid=$!
  hog="node busy-loop x$hogs"
fi
trap 'kill "$hog_pid" 2>/dev/null; wait "$hog_pid" 2>/dev/null' EXIT

echo "stress: $runs runs of the suite under $hog (pid $hog_pid)"
failed=0
for i in $(seq 1 "$runs"); do
  start=$(date +%s)
  if node scripts/test.mjs "$@" >"/tmp/stress-run-$$-$i.log" 2>&1; then status=green; else status=RED; failed=$((failed + 1)); fi
  summary=$(grep -E '^# (pass|fail|cancelled) ' "/tmp/stress-run-$$-$i.log" | tr -d '#' | tr '\n' ' ')
  echo "run $i: $status in $(( $(date +%s) - start )) s:$summary(log /tmp/stress-run-$$-$i.log)"
  if [ "$status" = RED ]; then grep -E '^ *not ok' "/tmp/stress-run-$$-$i.log" | head -20; fi
done
echo "stress: $((runs - failed))/$runs runs green"
[ "$failed" -eq 0 ]
