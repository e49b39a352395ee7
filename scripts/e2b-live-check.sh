#!/usr/bin/env bash
# Checks the e2b provider against a real E2B account: create → exec → exit code → timeout → terminate.
# Needs target/runnerdesk-*.jar (./mvnw package -DskipTests) and an E2B key in E2B_API_KEY or the keychain
# (runnerdesk provider-keys set e2b). Honours E2B_DOMAIN / E2B_API_URL / E2B_SANDBOX_URL. Uses a scratch
# data directory; the sandbox is killed at the end (or by E2B when its 10-minute timeout runs out).
set -euo pipefail
cd "$(dirname "$0")/.."
jar=$(ls target/runnerdesk-*.jar 2>/dev/null | head -1)
[ -n "$jar" ] || { echo "no target/runnerdesk-*.jar: run ./mvnw package -DskipTests first" >&2; exit 2; }
data=$(mktemp -d)
runner=
rd() { java -jar "$jar" runners "$1" --data-dir "$data" "${@:2}"; }
cleanup() {
  [ -n "$runner" ] && rd terminate --yes "$runner" >/dev/null 2>&1 || true
  rm -rf "$data"
}
trap cleanup EXIT
step() { printf '\n== %s\n' "$*"; }
fail() { echo "FAILED: $*" >&2; exit 1; }

step "create an e2b runner (template ${E2B_TEMPLATE:-base}, full_vm_tools, 600 s)"
created=$(rd create --json --provider e2b --profile full_vm_tools --ttl 600 ${E2B_TEMPLATE:+--image "$E2B_TEMPLATE"})
echo "$created"
runner=$(printf '%s' "$created" | sed -n 's/.*"runner_id" *: *"\([^"]*\)".*/\1/p')
[ -n "$runner" ] || fail "no runner_id in the answer"

step "start a session"
started=$(rd start --json "$runner")
echo "$started"
session=$(printf '%s' "$started" | sed -n 's/.*"session_id" *: *"\([^"]*\)".*/\1/p')
[ -n "$session" ] || fail "no session_id in the answer"

step "exec: words arrive as typed"
out=$(rd exec "$runner" "$session" -- printf '%s|' 'a b' "it's" '$HOME')
echo "$out"
[ "$out" = "a b|it's|\$HOME|" ] || fail "expected 'a b|it's|\$HOME|'"

step "exec: stderr and the exit status"
set +e; rd exec "$runner" "$session" -- bash -c 'uname -a; echo to-stderr >&2; exit 3'; code=$?; set -e
echo "exit status $code"
[ "$code" = 3 ] || fail "expected exit status 3"

step "exec: the timeout ends the command"
set +e; rd exec --timeout 2 "$runner" "$session" -- sleep 30; code=$?; set -e
echo "exit status $code"
[ "$code" = 124 ] || fail "expected exit status 124 (timed out)"

step "the audit trail"
rd events "$runner" --limit 20

step "terminate (kills the sandbox)"
rd terminate --yes "$runner"
runner=
echo; echo "e2b live check: ok"
