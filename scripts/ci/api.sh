#!/usr/bin/env bash
# API fuzzing (run by .ci/run after `npm ci`, before the web build, so it
# needs no web/dist): Schemathesis from PyPI, in a cached venv, against a
# demo-like bridge (simulated Messages, fake osascript, real core and API),
# once with a read token and once with a read+send token. Fails on any 5xx,
# any response that breaks /v1/openapi.json, or any other check below.
#
# Not run: the two endless live streams (SSE, WebSocket; their own tests
# cover them) and positive_data_acceptance (opaque cursors: a made-up one is
# rightly a 400). The failed-auth throttle is raised for the run, or its
# (documented, separately tested) 429s would end up in every unauthenticated probe.
#
# Knobs: SCHEMATHESIS_EXAMPLES (per operation, default 15), SCHEMATHESIS_SEED
# (fixed by default, so a failure reproduces). About 3 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/../.."

VERSION=4.32.5
VENV="${SCHEMATHESIS_VENV:-$HOME/.cache/imessage-bridge/schemathesis-venv}"
if ! "$VENV/bin/st" --version 2>/dev/null | grep -q "version $VERSION\$"; then
  echo "installing schemathesis $VERSION into $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "schemathesis==$VERSION"
fi

work="$(mktemp -d)"
node --import tsx test/api/support/demoGateway.ts 0 '{"auth_failures_per_minute":1000000}' >"$work/gateway.json" 2>"$work/gateway.err" &
gateway=$!
cleanup() { kill "$gateway" 2>/dev/null || true; wait "$gateway" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

for _ in $(seq 1 120); do
  [ -s "$work/gateway.json" ] && break
  if ! kill -0 "$gateway" 2>/dev/null; then echo "the bridge did not start:" >&2; cat "$work/gateway.err" >&2; exit 1; fi
  sleep 0.5
done
[ -s "$work/gateway.json" ] || { echo "the bridge did not start within 60 s" >&2; cat "$work/gateway.err" >&2; exit 1; }
field() { node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[process.argv[2]])' "$work/gateway.json" "$1"; }
url="$(field url)"

# The read+send token reaches every operation: all phases. The read token's
# run is about what it may not do (send: 403): the cheaper phases suffice.
status=0
for scope in readSend read; do
  phases=examples,coverage,fuzzing,stateful examples_per_op="${SCHEMATHESIS_EXAMPLES:-15}"
  [ "$scope" = read ] && phases=examples,fuzzing examples_per_op=10
  echo "-- schemathesis ($phases) with the $scope token against $url"
  token="$(field "$scope")"
  # Run from the temp folder: Schemathesis keeps state in ./.schemathesis.
  (cd "$work" && "$VENV/bin/st" run --phases "$phases" "$url/v1/openapi.json" \
    --header "Authorization: Bearer $token" \
    --checks all --exclude-checks positive_data_acceptance \
    --exclude-operation-id streamEvents --exclude-operation-id streamEventsWebSocket \
    --max-examples "$examples_per_op" --seed "${SCHEMATHESIS_SEED:-14}" \
    --request-timeout 20 --generation-database none --no-color \
    --report-dir "$work/report-$scope") || status=1
done
[ "$status" = 0 ] && echo "schemathesis: no 5xx, no schema violations"
exit "$status"
