#!/usr/bin/env bash
# Benchmark of the hot path: GET /api/v1/sessions/{id} for a session that this pod already
# holds in its live-session cache, with the Redis store. See bench/README.md.
#
# Usage (from anywhere; paths are resolved from the repository root):
#   bench/get-cached-session.sh
# Knobs (environment variables):
#   DURATION=30      measured seconds
#   CONCURRENCY=16   closed-loop clients
#   WARMUP=90        seconds of the same load before measuring (JIT, connection pools); on
#                    2 cores the service's throughput rose for 45 to 75 s of load
#   JAR=path         service jar to run; built with ./mvnw when absent
#   SERVICE_JAVA_OPTS="..."  extra JVM options for the service (none by default)
#   MONITOR_SAMPLE=20        GETs whose Redis traffic is captured with MONITOR after the run (0: skip)
#   KEEP_WORK=1              keep the temporary directory with the logs after a successful run
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-30}
CONCURRENCY=${CONCURRENCY:-16}
WARMUP=${WARMUP:-90}
JAR=${JAR:-target/vmcp-sessions-0.1.0.jar}
SERVICE_JAVA_OPTS=${SERVICE_JAVA_OPTS:-}
MONITOR_SAMPLE=${MONITOR_SAMPLE:-20}
READY_TIMEOUT=${READY_TIMEOUT:-120}

# shellcheck source=bench/lib.sh
. bench/lib.sh

# --- helpers -------------------------------------------------------------------------------

# CPU seconds (user + system) a process has used so far; empty where /proc is missing.
cpu_seconds() {
  [ -r "/proc/$1/stat" ] || return 0
  # Fields after the ")" that ends the command name: utime is the 12th, stime the 13th.
  awk -v tck="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); printf "%.1f", ($12 + $13) / tck }' "/proc/$1/stat"
}

# CPU seconds the whole machine has spent busy so far (user, nice, system, irq, softirq and
# steal, summed over all cores); empty where /proc is missing.
machine_busy_seconds() {
  [ -r /proc/stat ] || return 0
  awk -v tck="$(getconf CLK_TCK)" '$1 == "cpu" { printf "%.1f", ($2 + $3 + $4 + $7 + $8 + $9) / tck; exit }' /proc/stat
}

field() { # field <name> <file>: the first word after "<name>:" in a line printed by GetLoad
  awk -v name="$1" '{ i = index($0, ":") } i && substr($0, 1, i - 1) == name {
    split(substr($0, i + 1), value, " "); print value[1]; exit }' "$2"
}

# --- cleanup: everything started here is stopped on any exit ---------------------------------

WORK=$(mktemp -d "${TMPDIR:-/tmp}/vmcp-bench.XXXXXX")
REDIS_PID="" SERVICE_PID="" MONITOR_PID="" LOADGEN_PID=""
KEEP_WORK=${KEEP_WORK:-} # set: keep the logs of a successful run too

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop "$LOADGEN_PID" 5
  stop "$MONITOR_PID" 2
  stop "$SERVICE_PID" 35 # graceful shutdown waits for in-flight requests (30 s at most)
  stop "$REDIS_PID" 5
  if [ "$status" -ne 0 ] || [ -n "$KEEP_WORK" ]; then
    for log in "$WORK"/service.log "$WORK"/redis.log; do
      [ -s "$log" ] || continue
      echo "--- last lines of $log" >&2
      tail -n 30 "$log" >&2
    done
    echo "Logs kept in $WORK" >&2
  else
    rm -rf "$WORK"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- prerequisites ---------------------------------------------------------------------------

use_jdk_21_or_newer
JAVA="$JAVA_HOME/bin/java"
command -v redis-server >/dev/null || die "redis-server is not on the PATH"
command -v redis-cli >/dev/null || die "redis-cli is not on the PATH"
command -v curl >/dev/null || die "curl is not on the PATH"

if [ ! -f "$JAR" ]; then
  echo "Building $JAR (./mvnw -q -DskipTests package) ..."
  ./mvnw -q -DskipTests package
  [ -f "$JAR" ] || die "the build did not produce $JAR; set JAR=path/to/the.jar"
fi

# --- Redis: a private, throw-away instance (no persistence, so disk I/O plays no part) ------

REDIS_PORT=$(free_port)
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
  --logfile "$WORK/redis.log" &
REDIS_PID=$!
for _ in $(seq 50); do
  [ "$(redis-cli -p "$REDIS_PORT" PING 2>/dev/null)" = PONG ] && break
  kill -0 "$REDIS_PID" 2>/dev/null || die "redis-server exited at start-up"
  sleep 0.1
done
[ "$(redis-cli -p "$REDIS_PORT" PING 2>/dev/null)" = PONG ] || die "redis-server did not answer PING"
REDIS_VERSION=$(redis-cli -p "$REDIS_PORT" INFO server | tr -d '\r' | awk -F: '$1 == "redis_version" { print $2 }')

# --- the service ------------------------------------------------------------------------------

SERVER_PORT=$(free_port)
BASE="http://127.0.0.1:$SERVER_PORT"
# shellcheck disable=SC2086 # SERVICE_JAVA_OPTS is a list of options
"$JAVA" $SERVICE_JAVA_OPTS -jar "$JAR" \
  --vmcp.session.store=redis \
  --vmcp.session.binding-secret=bench \
  --spring.data.redis.host=127.0.0.1 \
  --spring.data.redis.port="$REDIS_PORT" \
  --server.port="$SERVER_PORT" \
  --server.address=127.0.0.1 \
  --logging.level.root=warn \
  >"$WORK/service.log" 2>&1 &
SERVICE_PID=$!

started=$SECONDS
until [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/actuator/health/readiness")" = 200 ]; do
  kill -0 "$SERVICE_PID" 2>/dev/null || die "the service exited at start-up"
  [ $((SECONDS - started)) -lt "$READY_TIMEOUT" ] || die "the service was not ready after ${READY_TIMEOUT}s"
  sleep 0.2
done

# --- one session; every GET below reads it ---------------------------------------------------

status=$(curl -s -o "$WORK/created.json" -w '%{http_code}' -X POST "$BASE/api/v1/sessions")
[ "$status" = 201 ] || die "POST /api/v1/sessions answered $status: $(cat "$WORK/created.json")"
SESSION_ID=$(sed -n 's/.*"id" *: *"\([^"]*\)".*/\1/p' "$WORK/created.json")
[ -n "$SESSION_ID" ] || die "no id in the created session: $(cat "$WORK/created.json")"
URL="$BASE/api/v1/sessions/$SESSION_ID"
status=$(curl -s -o "$WORK/get.json" -w '%{http_code}' "$URL")
[ "$status" = 200 ] && grep -q "\"$SESSION_ID\"" "$WORK/get.json" ||
  die "GET of the new session answered $status: $(cat "$WORK/get.json")"

CORES=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)
CPU_MODEL=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
cat <<EOF
== vmcp-sessions benchmark: GET of a cached session, Redis store ==
machine         : $CORES cores${CPU_MODEL:+ ($CPU_MODEL)}, $(uname -sr)
JDK             : $("$JAVA" -version 2>&1 | head -n 1) (service and load generator)
Redis           : $REDIS_VERSION on 127.0.0.1:$REDIS_PORT, no persistence
service         : $JAR on 127.0.0.1:$SERVER_PORT${SERVICE_JAVA_OPTS:+, JVM options: $SERVICE_JAVA_OPTS}
request         : GET /api/v1/sessions/$SESSION_ID (HTTP/1.1 keep-alive)
load average    : $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown) (1, 5, 15 min, before the warm-up)
load            : closed loop, $CONCURRENCY clients, ${WARMUP}s warm-up, ${DURATION}s measured
note            : no backends are configured. The session is in this pod's live-session
                  cache, and a GET of a cached session never calls a backend anyway: its
                  work is one Redis call (load + slide the idle TTL) plus the HTTP layer.
                  Load generator, service and Redis share the same $CORES cores.

EOF

# --- warm-up and measured run, in one load generator JVM --------------------------------------
# The warm-up gets the JIT of both JVMs, the connection pools and the Lua script cache of
# Redis going. It runs in the same JVM as the measured run: a fresh load generator would
# spend the first seconds of the measured run compiling itself, on the cores the service
# needs. Between the two, GetLoad runs mark_measurement_start, which zeroes the Redis
# counters (so that they hold the measured run only, plus this CONFIG RESETSTAT and the
# INFO that reads them, both left out below) and notes the CPU counters.

mark_measurement_start() {
  redis-cli -p "$REDIS_PORT" CONFIG RESETSTAT >/dev/null &&
    echo "$(machine_busy_seconds) $(cpu_seconds "$SERVICE_PID") $(cpu_seconds "$REDIS_PID") $(date +%s.%N)" \
      >"$WORK/cpu-start"
}
export -f mark_measurement_start machine_busy_seconds cpu_seconds
export REDIS_PORT SERVICE_PID REDIS_PID WORK

# In the background with `wait`, so that a TERM sent to this script runs the cleanup at
# once instead of after the load generator's end.
"$JAVA" bench/GetLoad.java "$URL" "$CONCURRENCY" "$DURATION" "$WARMUP" bash -c mark_measurement_start \
  >"$WORK/run.txt" &
LOADGEN_PID=$!
wait "$LOADGEN_PID" || { cat "$WORK/run.txt"; die "the load generator failed"; }
LOADGEN_PID=""
echo "$(machine_busy_seconds) $(cpu_seconds "$SERVICE_PID") $(cpu_seconds "$REDIS_PID") $(date +%s.%N)" \
  >"$WORK/cpu-end"
redis-cli -p "$REDIS_PORT" INFO commandstats | tr -d '\r' >"$WORK/commandstats.txt"

if [ "$WARMUP" -gt 0 ]; then
  echo "== warm-up (${WARMUP}s, same load, not measured) =="
  grep '^warm-up' "$WORK/run.txt"
  [ "$(field 'warm-up errors' "$WORK/run.txt")" = 0 ] || die "errors during the warm-up"
  echo
fi
echo "== HTTP (measured run; latency = from sending a request to the last byte of its answer) =="
grep -v '^warm-up' "$WORK/run.txt"

# CPU used during the measured run, from the readings taken when it started and ended. What
# the machine spent beyond service + Redis + load generator shows whether anything else
# competed for the cores (the figures of a busy machine are pessimistic).
if [ -s "$WORK/cpu-start" ] && [ "$(wc -w <"$WORK/cpu-start")" -eq 4 ]; then
  read -r m0 s0 r0 w0 <"$WORK/cpu-start"
  read -r m1 s1 r1 w1 <"$WORK/cpu-end"
  awk -v m0="$m0" -v m1="$m1" -v s0="$s0" -v s1="$s1" -v r0="$r0" -v r1="$r1" -v w0="$w0" -v w1="$w1" \
    -v l="$(field 'load generator CPU' "$WORK/run.txt")" -v requests="$(field requests "$WORK/run.txt")" \
    -v cores="$CORES" '
    BEGIN {
      d = w1 - w0
      printf "%-26s %.1f s  (%.3f ms per GET)\n", "service CPU:", s1 - s0, 1000 * (s1 - s0) / requests
      printf "%-26s %.1f s  (%.3f ms per GET)\n", "redis CPU:", r1 - r0, 1000 * (r1 - r0) / requests
      other = (m1 - m0) - (s1 - s0) - (r1 - r0) - l
      if (other < 0) other = 0
      printf "%-26s %.1f s  (machine busy %.1f s of %d cores x %.1f s = %.1f s)\n", "other processes CPU:", other, m1 - m0, cores, d, cores * d
      if (other > 0.05 * cores * d)
        printf "WARNING: other processes used %.0f%% of the CPU during the run; the figures above are pessimistic.\n", 100 * other / (cores * d)
    }'
fi

# A run whose throughput still rose (first slice well below the later ones) measured a JVM
# that was still compiling: say so rather than let a too-short warm-up pass unnoticed.
awk '{ i = index($0, ":") } i && substr($0, 1, i - 1) == "requests/s by 5 s" {
    n = split(substr($0, i + 1), v, " "); if (n < 2) exit
    for (k = int(n / 2) + 1; k <= n; k++) { sum += v[k]; m++ }
    if (v[1] < 0.85 * sum / m)
      printf "WARNING: throughput still rose during the run (first 5 s: %d/s, second half: %.0f/s); raise WARMUP.\n", v[1], sum / m
  }' "$WORK/run.txt"

REQUESTS=$(field requests "$WORK/run.txt")
echo
echo "== Redis (INFO commandstats over the measured run; $REQUESTS GET requests) =="
# cmdstat_<name>:calls=N,usec=U,usec_per_call=P,... ; CONFIG RESETSTAT and INFO were sent
# by this script, not by the service, so they are listed apart and left out of the sums.
awk -F'[:,=]' -v requests="$REQUESTS" '
  /^cmdstat_/ {
    name = substr($1, 9); calls = $3; per_call = $7
    if (name == "info" || name ~ /^config\|/) { excluded = excluded " " name "=" calls; next }
    printf "  %-18s calls %10d   per GET %6.3f   %7.2f us per call in Redis\n", name, calls, calls / requests, per_call
    total += calls
    # A client reaches Redis only with these; what a Lua script runs is counted too,
    # under its own name (hmget, hset, pexpire, ...), but costs no extra round trip.
    if (name ~ /^(eval|evalsha|eval_ro|evalsha_ro|fcall|fcall_ro)$/) scripts += calls
  }
  END {
    if (requests == 0) { print "  no requests"; exit }
    printf "  %-18s calls %10d\n", "total", total
    printf "Redis commands per GET    : %.3f  (every command Redis executed, those run inside Lua scripts included)\n", total / requests
    printf "round trips per GET       : %.3f  (top-level script calls evalsha + eval, what the service sends)\n", scripts / requests
    printf "commands inside scripts   : %.3f per GET  (if the service sent nothing but scripts; MONITOR below checks)\n", (total - scripts) / requests
    if (excluded != "") printf "left out (sent by the benchmark script):%s\n", excluded
  }' "$WORK/commandstats.txt"

# --- MONITOR sample: tells top-level commands from those a Lua script ran ---------------------
# commandstats cannot say whether an HMGET came from a client or from a script; MONITOR
# tags each command with its source ("[0 127.0.0.1:port]" or "[0 lua]"). It slows Redis
# down, so it only watches a few sequential GETs after the measured run.

if [ "$MONITOR_SAMPLE" -gt 0 ]; then
  redis-cli -p "$REDIS_PORT" MONITOR >"$WORK/monitor.txt" &
  MONITOR_PID=$!
  for _ in $(seq 50); do
    grep -q '^OK' "$WORK/monitor.txt" 2>/dev/null && break
    sleep 0.1
  done
  grep -q '^OK' "$WORK/monitor.txt" || die "redis-cli MONITOR did not start"
  for _ in $(seq "$MONITOR_SAMPLE"); do
    status=$(curl -s -o /dev/null -w '%{http_code}' "$URL")
    [ "$status" = 200 ] || die "GET answered $status during the MONITOR sample"
  done
  sleep 0.5 # let the last lines reach the file
  stop "$MONITOR_PID" 2
  MONITOR_PID=""
  echo
  echo "== Redis MONITOR sample ($MONITOR_SAMPLE sequential GETs after the run) =="
  awk -v n="$MONITOR_SAMPLE" '
    $2 ~ /^\[/ {
      cmd = tolower($4); gsub(/"/, "", cmd)
      if ($3 == "lua]") { lua++; lua_cmds[cmd]++ } else { client++; client_cmds[cmd]++ }
    }
    END {
      line = ""; for (c in client_cmds) line = line sprintf(" %s x%d", c, client_cmds[c])
      printf "round trips per GET       : %.3f  (commands sent by the service:%s)\n", client / n, line
      line = ""; for (c in lua_cmds) line = line sprintf(" %s x%d", c, lua_cmds[c])
      printf "commands inside scripts   : %.3f per GET  (%s )\n", lua / n, line
    }' "$WORK/monitor.txt"
fi

ERRORS=$(field errors "$WORK/run.txt")
[ "$ERRORS" = 0 ] || die "$ERRORS requests of the measured run failed; the figures above are not trustworthy"
