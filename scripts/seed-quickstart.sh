#!/usr/bin/env bash
# The seed's "Quick Start with curl", verbatim but for the real ids, against `runnerdesk serve`.
# Starts its own server from target/runnerdesk-*.jar on a scratch data dir (port 8002, as the seed),
# unless SEED_BASE_URL points at one already running. Needs bash and curl. Exits non-zero on any mismatch.
set -euo pipefail
cd "$(dirname "$0")/.."

BASE=${SEED_BASE_URL:-}
KEY=cm_sk_your_key_here
server_pid=
data=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  if [ -n "$data" ]; then rm -rf "$data"; fi # an `a && b` here that is false would become the script's status
}
trap cleanup EXIT

if [ -z "$BASE" ]; then
  jar=$(ls target/runnerdesk-*.jar 2>/dev/null | head -1 || true) # no jar: said below, not a silent pipefail
  [ -n "$jar" ] || { echo "no target/runnerdesk-*.jar: run ./mvnw package first" >&2; exit 2; }
  data=$(mktemp -d)
  java -jar "$jar" serve --data-dir "$data" --port 8002 --api-key "$KEY" >"$data/serve.log" 2>&1 &
  server_pid=$!
  BASE=http://localhost:8002
  for _ in $(seq 1 100); do
    curl -fsS "$BASE/health" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$data/serve.log" >&2; exit 1; }
    sleep 0.2
  done
fi

fail() { echo "FAIL: $*" >&2; exit 1; }
expect() { # expect <json> <literal fragment> <what>
  case "$1" in *"$2"*) ;; *) fail "$3: expected $2 in: $1" ;; esac
}
field() { # the string value of a top-level-ish "name": "value" in compact or pretty JSON
  printf '%s' "$1" | tr -d '\n' | sed -n "s/.*\"$2\" *: *\"\([^\"]*\)\".*/\1/p" | head -1
}

echo "1. Create a Runner"
created=$(curl -sS -X POST "$BASE/gateway/admin/runners/" \
-H "Content-Type: application/json" \
-H "X-CM-API-Key: cm_sk_your_key_here" \
-d '{
"provider_type": "fake",
"tool_profile": "locked",
"ttl_seconds": 3600
}')
echo "$created"
runner=$(field "$created" runner_id)
[[ "$runner" =~ ^runner_[0-9a-f]{12}$ ]] || fail "runner_id: $created"
expect "$created" '"state":"ready"' "create"
expect "$created" '"provider_type":"fake"' "create"
expect "$created" '"tool_profile":"locked"' "create"
expect "$created" '"ttl_seconds":3600' "create"

echo "2. Start a Session"
session_json=$(curl -sS -X POST "$BASE/gateway/admin/runners/$runner/start" \
-H "X-CM-API-Key: cm_sk_your_key_here")
echo "$session_json"
session=$(field "$session_json" session_id)
[[ "$session" =~ ^sess_[0-9a-f]{12}$ ]] || fail "session_id: $session_json"
expect "$session_json" "\"runner_id\":\"$runner\"" "start"
expect "$session_json" '"started_at"' "start"
expect "$session_json" '"expires_at"' "start"

echo "3. Execute a Command"
exec_json=$(curl -sS -X POST "$BASE/gateway/admin/runners/$runner/exec?session_id=$session" \
-H "Content-Type: application/json" \
-H "X-CM-API-Key: cm_sk_your_key_here" \
-d '{
"argv": ["echo", "Hello from the sandbox!"],
"timeout_seconds": 30
}')
echo "$exec_json"
expect "$exec_json" '"stdout":"fake output"' "exec"
expect "$exec_json" '"exit_code":0' "exec"
expect "$exec_json" '"command_id":"cmd_' "exec"

echo "4. View Events"
events=$(curl -sS "$BASE/gateway/admin/runners/$runner/events?limit=20" \
-H "X-CM-API-Key: cm_sk_your_key_here")
echo "$events"
for type in runner.created session.started command.executed; do
  expect "$events" "\"event_type\":\"$type\"" "events"
done
expect "$events" '"hash":"' "events"

echo "5. Stop and Terminate"
# Stop the session
stopped=$(curl -sS -X POST "$BASE/gateway/admin/runners/$runner/stop?session_id=$session" \
-H "X-CM-API-Key: cm_sk_your_key_here")
echo "$stopped"
expect "$stopped" '"state":"stopped"' "stop"
# Terminate the runner
terminated=$(curl -sS -X POST "$BASE/gateway/admin/runners/$runner/terminate" \
-H "X-CM-API-Key: cm_sk_your_key_here")
echo "$terminated"
expect "$terminated" '"state":"terminated"' "terminate"

echo "seed quickstart: all six commands answered as documented"
