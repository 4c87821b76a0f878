#!/usr/bin/env bash
# Smoke test of `npm run demo` with no database server configured (CI and by hand):
# checks the embedded database server's protocol handling, starts the demo with
# --reset, waits for GET /health 200, checks the OpenAPI document, then sends
# SIGINT (Ctrl-C) to the demo and expects a clean exit 0 within 30 s.
# Ends with "demo-smoke: N passed, N failed".
#
#   scripts/demo-smoke.sh            # port from DEMO_SMOKE_PORT or the first free one from 3107
set -u
cd "$(dirname "$0")/.."

HEALTH_TIMEOUT_S=${DEMO_SMOKE_HEALTH_TIMEOUT_S:-120}
STOP_TIMEOUT_S=30
passed=0
failed=0
log=$(mktemp -t demo-smoke.XXXXXX.log)

check() { # check <description> <command...>
  local description=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
    echo "ok - ${description}"
  else
    failed=$((failed + 1))
    echo "not ok - ${description}"
  fi
}

finish() {
  if [ "$failed" -gt 0 ]; then
    echo "--- last 60 lines of the demo's output (${log}) ---"
    tail -n 60 "$log"
  else
    rm -f "$log" "$log.index"
  fi
  echo "demo-smoke: ${passed} passed, ${failed} failed"
  [ "$failed" -eq 0 ]
  exit $?
}

port=${DEMO_SMOKE_PORT:-$(node -e '
  const net = require("node:net");
  const tryPort = (p) => { const s = net.createServer(); s.once("error", () => tryPort(p + 1));
    s.listen(p, "127.0.0.1", () => s.close(() => console.log(p))); };
  tryPort(3107);')}
base="http://127.0.0.1:${port}"

# The embedded path: no database server settings at all.
unset DATABASE_URL DATABASE_OWNER_URL DATABASE_ADMIN_URL REDIS_URL QUEUE_BACKEND

pglite_server_test() { node --test scripts/demo-pglite-server.test.mjs >"$log" 2>&1; }
check "the embedded database server keeps each connection's queries and transactions apart" pglite_server_test

PORT=$port npm run demo -- --reset >>"$log" 2>&1 &
demo=$!

is_running() { kill -0 "$demo" 2>/dev/null; }

started=$SECONDS
healthy=false
while [ $((SECONDS - started)) -lt "$HEALTH_TIMEOUT_S" ] && is_running; do
  if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "${base}/health")" = 200 ]; then
    healthy=true
    break
  fi
  sleep 1
done
echo "# /health answered 200 after $((SECONDS - started)) s (healthy=${healthy})"
check "GET /health is 200 within ${HEALTH_TIMEOUT_S} s" $healthy

docs_json() {
  curl -sf --max-time 10 "${base}/api/docs-json" |
    node -e 'let s="";process.stdin.on("data",(c)=>s+=c).on("end",()=>{const d=JSON.parse(s);process.exit(typeof d.openapi==="string"&&d.paths["/health"]?0:1)})'
}
check "GET /api/docs-json is an OpenAPI document listing /health" docs_json
docs_ui() { curl -sf --max-time 10 "${base}/api/docs" | grep -qi 'swagger'; }
check "GET /api/docs serves Swagger UI" docs_ui
web_app() {
  curl -sf --max-time 10 -D - "${base}/" -o "$log.index" | grep -qi "^content-security-policy: .*script-src 'self'" &&
    grep -q 'id="root"' "$log.index"
}
check "GET / serves the web app under its Content-Security-Policy" web_app
# The seed runs beside the API's start, so /health can answer before the demo
# prints its banner ("Mend demo ready"): wait for the banner, not only for /health.
banner_printed() { grep -q "Mend demo ready" "$log"; }
banner_started=$SECONDS
while ! banner_printed && is_running && [ $((SECONDS - banner_started)) -lt "$HEALTH_TIMEOUT_S" ]; do sleep 1; done
echo "# the banner was printed $((SECONDS - banner_started)) s after /health answered"
banner() { banner_printed && grep -q "Demo clinic: " "$log" && grep -q "http://localhost:${port}" "$log"; }
check "the banner names the URL and the demo clinic" banner

# SIGINT goes to the demo itself (its pid file): npm exits 130 whenever it is
# signalled itself, whatever the demo's own exit code, which it otherwise passes on.
# (A terminal's Ctrl-C reaches both; the demo ignores the repeated signal.)
if is_running; then
  kill -INT "$(cat .mend-demo/demo.pid 2>/dev/null || echo "$demo")" 2>/dev/null
  stop_started=$SECONDS
  while is_running && [ $((SECONDS - stop_started)) -lt "$STOP_TIMEOUT_S" ]; do sleep 0.5; done
  if is_running; then
    check "Ctrl-C stops the demo within ${STOP_TIMEOUT_S} s" false
    kill -KILL "$(cat .mend-demo/demo.pid 2>/dev/null || echo "$demo")" "$demo" 2>/dev/null
    wait "$demo" 2>/dev/null
  else
    wait "$demo"
    status=$?
    echo "# stopped in $((SECONDS - stop_started)) s with exit code ${status}"
    check "Ctrl-C stops the demo within ${STOP_TIMEOUT_S} s with exit code 0" [ "$status" -eq 0 ]
  fi
else
  wait "$demo"
  check "the demo was still running when stopped (it exited with code $?)" false
fi

port_closed() { ! curl -s -o /dev/null --max-time 2 "${base}/health"; }
check "nothing listens on port ${port} afterwards (API stopped)" port_closed

finish
