#!/usr/bin/env bash
# Soak test: three pods of the service on one Redis, three MCP backends (two 2025, one
# 2026-07-28), a randomized mix of session operations, 2026-07-28 requests, Multi Round-Trip
# Requests and resumed streams for SOAK_MINUTES while pods are restarted; the history of every
# request is checked at the end, memory is watched by quarter, and backend sessions and what
# Redis keeps of calls are counted. Not run in CI. See bench/README.md.
#
# Usage: bench/soak.sh            (20 minutes)
#        SOAK_MINUTES=2 bench/soak.sh
# Knobs (environment variables):
#   SOAK_MINUTES=20        minutes of load (decimals allowed)
#   SOAK_RATE=150          requests per second in all (paced; slower answers lower it)
#   SOAK_WORKERS=8         driver threads
#   SOAK_CALLERS=8         caller identities (JWT subjects)
#   SOAK_MAX_LIVE=80       live sessions per caller at most (the service's quota is 100)
#   SOAK_MCP_PER_CALLER=1  sessions per caller used through /mcp (initialize, tools/call echo)
#   SOAK_IDLE_TTL=30       vmcp.session.ttl of the pods, seconds
#   SOAK_TOMBSTONE_TTL=60  vmcp.session.tombstone-ttl of the pods, seconds
#   SOAK_MIX=12            weight of the mix across revisions (2026-07-28 requests, MRTR, resumed
#                          streams) beside the session operations' 101; 0 leaves it out
#   SOAK_RESTART_EVERY=    seconds between pod restarts; default a fifth of the run, at least 30
#   SOAK_READY_WAIT=120    seconds a pod may take to become ready (more on a busy machine)
#   SOAK_SEED=             seed of the driver's random choices (printed; timing still differs between runs)
#   JAR=path               service jar; built with ./mvnw when absent
#   SERVICE_JAVA_OPTS="-Xmx512m"  JVM options of the pods
#   KEEP_WORK=1            keep the logs and the history of a passing run too
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh

SOAK_MINUTES=${SOAK_MINUTES:-20}
SOAK_RATE=${SOAK_RATE:-150}
SOAK_WORKERS=${SOAK_WORKERS:-8}
SOAK_CALLERS=${SOAK_CALLERS:-8}
SOAK_MAX_LIVE=${SOAK_MAX_LIVE:-80}
SOAK_MCP_PER_CALLER=${SOAK_MCP_PER_CALLER:-1}
SOAK_IDLE_TTL=${SOAK_IDLE_TTL:-30}
SOAK_TOMBSTONE_TTL=${SOAK_TOMBSTONE_TTL:-60}
SOAK_MIX=${SOAK_MIX:-12}
SOAK_READY_WAIT=${SOAK_READY_WAIT:-120}
RUN_SECONDS=$(awk -v m="$SOAK_MINUTES" 'BEGIN { printf "%d", m * 60 }')
SOAK_RESTART_EVERY=${SOAK_RESTART_EVERY:-$((RUN_SECONDS / 5 > 30 ? RUN_SECONDS / 5 : 30))}
SOAK_SEED=${SOAK_SEED:-$RANDOM$RANDOM}
JAR=${JAR:-target/vmcp-sessions-0.1.0.jar}
SERVICE_JAVA_OPTS=${SERVICE_JAVA_OPTS:--Xmx512m}
KEEP_WORK=${KEEP_WORK:-}
PODS=3

start_run soak
use_jdk_21_or_newer
JAVA="$JAVA_HOME/bin/java"
require_tools redis-server redis-cli curl

# --- build: the service jar, and the test classes for the backends and the driver --------------
if [ ! -f "$JAR" ]; then
  ./mvnw -q -DskipTests package
fi
use_test_classpath

# --- Redis, backends, identities ---------------------------------------------------------------
start_redis
# Each prints url: and stats: (its open MCP sessions) into its log.
start_backend SSE alpha
start_backend JSON beta
# A 2026-07-28 member (the test suite's StatelessMcpServer): no sessions, its echo answers
# "gamma: <text>".
start_backend STATELESS gamma
ALPHA_URL=$(backend_line alpha url)
BETA_URL=$(backend_line beta url)
GAMMA_URL=$(backend_line gamma url)
[ -n "$ALPHA_URL" ] && [ -n "$BETA_URL" ] && [ -n "$GAMMA_URL" ] || die "a backend did not start"
BACKENDS="alpha=$(backend_line alpha stats),beta=$(backend_line beta stats),gamma=$(backend_line gamma stats)"

# The driver is several files (Soak.java, SoakMix.java): compiled once, since the source
# launcher runs programs of several files only from JDK 22 on.
mkdir -p "$WORK/driver"
"$JAVA_HOME/bin/javac" -nowarn -d "$WORK/driver" -cp "$TEST_CLASSPATH" bench/Soak.java bench/SoakMix.java ||
  die "the driver did not compile"
DRIVER_CLASSPATH="$WORK/driver:$TEST_CLASSPATH"

# The history checker must find what made-up histories hold before it judges a real one.
"$JAVA" -cp "$DRIVER_CLASSPATH" Soak selftest || die "the history checker failed its self-test"

# The driver signs one JWT per caller identity with this key; the pods check them with the
# public half. (Anonymous mode binds every session to the same caller.)
"$JAVA" -cp "$DRIVER_CLASSPATH" Soak keygen "$WORK"

# --- pods ---------------------------------------------------------------------------------------
declare -a POD_PORTS
for n in $(seq "$PODS"); do
  POD_PORTS[n]=$(free_port)
done

# The live-session limit per caller stays at its default (the driver keeps each caller below
# it, so slots are taken and freed all along); the creation rate is raised, since bursts of
# creations are part of the mix and their limit has tests of its own. The replay window of
# 2025 streams and the wait for a 2026 client's answer are one idle TTL, so that what Redis
# keeps of calls has lapsed by the end of the idle wait.
start_pod() { # start_pod <n>: starts pod n on its port, its pid in pod-<n>.pid
  local n=$1
  echo "=== started $(date -u +%FT%TZ)" >>"$WORK/pod-$n.log"
  # shellcheck disable=SC2086 # SERVICE_JAVA_OPTS is a list of options
  "$JAVA" $SERVICE_JAVA_OPTS -jar "$JAR" --server.port="${POD_PORTS[n]}" --server.address=127.0.0.1 \
    --logging.level.root=warn \
    --vmcp.session.store=redis --vmcp.session.binding-secret=soak \
    --vmcp.session.ttl="${SOAK_IDLE_TTL}s" --vmcp.session.tombstone-ttl="${SOAK_TOMBSTONE_TTL}s" \
    --vmcp.session.create-rate.per-second=100 --vmcp.session.create-rate.burst=200 \
    --spring.data.redis.host=127.0.0.1 --spring.data.redis.port="$REDIS_PORT" \
    --spring.security.oauth2.resourceserver.jwt.public-key-location="file:$WORK/jwt-public.pem" \
    --vmcp.jwt.audiences=urn:vmcp:soak:gateway --vmcp.mcp.authorization-servers=https://issuer.soak \
    --vmcp.backends[0].name=alpha --vmcp.backends[0].url="$ALPHA_URL" \
    --vmcp.backends[1].name=beta --vmcp.backends[1].url="$BETA_URL" \
    --vmcp.backends[2].name=gamma --vmcp.backends[2].url="$GAMMA_URL" \
    --vmcp.mcp.replay-window="${SOAK_IDLE_TTL}s" --vmcp.mcp.input-wait="${SOAK_IDLE_TTL}s" \
    >>"$WORK/pod-$n.log" 2>&1 &
  echo $! >"$WORK/pod-$n.pid"
}

wait_ready() { # wait_ready <n>: until pod n answers its readiness probe (SOAK_READY_WAIT at most)
  wait_ok "http://127.0.0.1:${POD_PORTS[$1]}/actuator/health/readiness" "$(cat "$WORK/pod-$1.pid")" "$SOAK_READY_WAIT"
}

for n in $(seq "$PODS"); do
  start_pod "$n"
  track "@$WORK/pod-$n.pid" 35
done
for n in $(seq "$PODS"); do
  wait_ready "$n" || die "pod $n did not become ready (see $WORK/pod-$n.log)"
done

# --- restarts: pods 2 and 3 in turn (pod 1 runs throughout: its heap is the one judged) --------
now_ms() { date +%s%3N; }
restarter() {
  local next=2 deadline=$((SECONDS + RUN_SECONDS - SOAK_RESTART_EVERY / 2)) pid pause=""
  trap '[ -z "$pause" ] || kill "$pause" 2>/dev/null; exit 0' TERM
  while :; do
    sleep "$SOAK_RESTART_EVERY" &
    pause=$!
    wait "$pause"
    pause=""
    [ "$SECONDS" -lt "$deadline" ] || break
    pid=$(cat "$WORK/pod-$next.pid")
    echo "$(now_ms) $next term" >>"$WORK/restarts.log"
    stop "$pid" 40
    echo "$(now_ms) $next exited" >>"$WORK/restarts.log"
    start_pod "$next"
    if wait_ready "$next"; then
      echo "$(now_ms) $next ready" >>"$WORK/restarts.log"
    else
      echo "$(now_ms) $next failed" >>"$WORK/restarts.log"
      return 1
    fi
    next=$((next == 2 ? 3 : 2))
  done
}

POD_URLS=$(for n in $(seq "$PODS"); do printf 'http://127.0.0.1:%s,' "${POD_PORTS[n]}"; done)
cat <<INFO
== vmcp-sessions soak: ${SOAK_MINUTES} min ==
machine : $(nproc) cores, $(uname -sr); JDK $("$JAVA" -version 2>&1 | head -n 1)
service : $JAR, $PODS pods on ports ${POD_PORTS[*]} (JVM options: $SERVICE_JAVA_OPTS), JWT identities,
          idle TTL ${SOAK_IDLE_TTL}s, tombstone TTL ${SOAK_TOMBSTONE_TTL}s
store   : redis-server $(redis-server --version | awk '{ print $3 }') on port $REDIS_PORT, no persistence
backends: alpha (2025, SSE answers) $ALPHA_URL, beta (2025, JSON answers) $BETA_URL,
          gamma (2026-07-28 only) $GAMMA_URL; members of every session
restarts: every ${SOAK_RESTART_EVERY}s, pods 2 and 3 in turn (TERM, then started again on the same port)
work    : $WORK
INFO

restarter &
track $! 2

"$JAVA" -cp "$DRIVER_CLASSPATH" Soak pods="${POD_URLS%,}" backends="$BACKENDS" work="$WORK" \
  redis-port="$REDIS_PORT" minutes="$SOAK_MINUTES" rate="$SOAK_RATE" workers="$SOAK_WORKERS" \
  callers="$SOAK_CALLERS" max-live="$SOAK_MAX_LIVE" mcp-per-caller="$SOAK_MCP_PER_CALLER" \
  idle-ttl="$SOAK_IDLE_TTL" seed="$SOAK_SEED" witness-pod=1 stateless-backends=gamma mix="$SOAK_MIX" &
driver=$!
track "$driver" 5
driver_status=0
wait "$driver" || driver_status=$?

echo
echo "== pod logs =="
for n in $(seq "$PODS"); do
  printf 'pod%d: %d starts, %d ERROR lines, %d WARN lines\n' "$n" "$(grep -c '^=== started' "$WORK/pod-$n.log")" \
    "$(grep -c ' ERROR ' "$WORK/pod-$n.log" || true)" "$(grep -c ' WARN ' "$WORK/pod-$n.log" || true)"
done
# The distinct ERROR and WARN messages, most frequent first (time, pid, thread and session
# ids left out).
for level in ERROR WARN; do
  grep -h " $level " "$WORK"/pod-*.log | sed -E "s/.* $level [0-9]+ --- (\[[^]]*\] )*//; s/[A-Za-z0-9_-]{8}…/<id>/g" |
    cut -c1-220 | sort | uniq -c | sort -rn | head -n 8 | sed "s/^/  $level /" || true
done
if grep -q ' failed$' "$WORK/restarts.log" 2>/dev/null; then
  echo "FAIL  a restarted pod did not become ready again (see restarts.log)"
  driver_status=1
fi
exit "$driver_status"
