#!/usr/bin/env bash
# Benchmark of the MCP front door: tools/call of a trivial tool (echo), sent directly to a
# backend and through the gateway (one pod, Redis store, that backend its only member),
# same backend, same load tool (wrk), alternated in one run. See bench/README.md.
#
# Usage: bench/tools-call.sh
# Knobs (environment variables):
#   WARMUP=30        seconds of load on each target before measuring (JIT, pools)
#   DURATION=15      measured seconds per target and round
#   ROUNDS=2         rounds of (direct, gateway) at CONNECTIONS
#   CONNECTIONS=32   wrk connections of the saturation rounds (wrk -t2)
#   LOW_CONNECTIONS=1  connections of the latency rounds (one round each, DURATION seconds)
#   PACED_CONNECTIONS=16  connections of the paced rounds: both targets at half the direct
#                    saturation rate (one round each, DURATION seconds)
#   MODE=SSE         how the backend answers: SSE (the SDK's own way) or JSON
#   JAR=path         service jar; built with ./mvnw when absent
#   SERVICE_JAVA_OPTS="..."  extra JVM options for the gateway (a JFR recording, say)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh

WARMUP=${WARMUP:-30}
DURATION=${DURATION:-15}
ROUNDS=${ROUNDS:-2}
CONNECTIONS=${CONNECTIONS:-32}
LOW_CONNECTIONS=${LOW_CONNECTIONS:-1}
PACED_CONNECTIONS=${PACED_CONNECTIONS:-16}
MODE=${MODE:-SSE}
JAR=${JAR:-target/vmcp-sessions-0.1.0.jar}
SERVICE_JAVA_OPTS=${SERVICE_JAVA_OPTS:-}

start_run bench
use_jdk_21_or_newer
JAVA="$JAVA_HOME/bin/java"
TOOL_HINT="wrk: apt-get install wrk" require_tools wrk redis-server redis-cli curl

# --- build: the service jar, and the test classes for the backend ------------------------------
[ -f "$JAR" ] || ./mvnw -q -DskipTests package
use_test_classpath

# --- Redis, backend, gateway ------------------------------------------------------------------
start_redis
start_backend "$MODE" bench
BACKEND_URL=$(backend_line bench url)
[ -n "$BACKEND_URL" ] || die "the backend did not start"

GATEWAY_PORT=$(free_port)
GATEWAY_URL="http://127.0.0.1:$GATEWAY_PORT/mcp"
# shellcheck disable=SC2086 # SERVICE_JAVA_OPTS is a list of options
"$JAVA" $SERVICE_JAVA_OPTS -jar "$JAR" --server.port="$GATEWAY_PORT" --server.address=127.0.0.1 --logging.level.root=warn \
  --vmcp.session.store=redis --vmcp.session.binding-secret=bench \
  --spring.data.redis.host=127.0.0.1 --spring.data.redis.port="$REDIS_PORT" \
  --vmcp.backends[0].name=bench --vmcp.backends[0].url="$BACKEND_URL" >"$WORK/gateway.log" 2>&1 &
track $! 35
wait_ok "http://127.0.0.1:$GATEWAY_PORT/actuator/health/readiness" $! || die "the gateway did not become ready"

# --- one MCP session on each target -------------------------------------------------------------
mcp_post() { # mcp_post <url> <session id or ""> <body>: prints headers and body
  curl -s -D - -X POST "$1" -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
    -H 'MCP-Protocol-Version: 2025-06-18' ${2:+-H "Mcp-Session-Id: $2"} --data "$3"
}
open_session() { # open_session <url>: initializes, sends initialized, checks one call; prints the id
  local answer id
  answer=$(mcp_post "$1" "" '{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}')
  id=$(printf '%s' "$answer" | tr -d '\r' | awk -F': ' 'tolower($1) == "mcp-session-id" { print $2; exit }')
  [ -n "$id" ] || die "no session from $1: $answer"
  mcp_post "$1" "$id" '{"jsonrpc":"2.0","method":"notifications/initialized"}' >/dev/null
  mcp_post "$1" "$id" "$(sed -n "s/^wrk.body = '\(.*\)'$/\1/p" bench/tools-call.lua)" | grep -q '"text":"hi"' ||
    die "tools/call through $1 did not echo"
  echo "$id"
}
DIRECT_SESSION=$(open_session "$BACKEND_URL")
GATEWAY_SESSION=$(open_session "$GATEWAY_URL")

load() { # load <label> <url> <session> <connections> <seconds> [rate]: one wrk run, summarized
  local label=$1 url=$2 session=$3 connections=$4 seconds=$5 rate=${6:-} out="$WORK/wrk-$1-$4-$RANDOM.txt"
  local threads=$((connections < 2 ? 1 : 2))
  RATE_PER_THREAD=${rate:+$((rate / threads))} MCP_SESSION_ID=$session \
    wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -s bench/tools-call.lua "$url" >"$out"
  ! grep -q 'Non-2xx' "$out" || die "$label: error answers: $(grep 'Non-2xx' "$out")"
  awk -v label="$label" -v c="$connections" '
    $1 == "Requests/sec:" { rps = $2 }
    $2 == "requests" && $3 == "in" { n = $1 }
    $1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 }
    END { printf "%-8s c=%-3d %9.0f req/s   p50 %8s   p99 %8s   %d requests\n", label, c, rps, p50, p99, n }' "$out"
}

cat <<INFO
== vmcp-sessions benchmark: tools/call direct vs through the gateway ==
machine : $(nproc) cores, $(uname -sr); JDK $("$JAVA" -version 2>&1 | head -n 1)
backend : MCP Java SDK server ($MODE answers) at $BACKEND_URL
gateway : $JAR, Redis store ($(redis-server --version | awk '{ print $3 }')), member: that backend
load    : wrk (2 threads, 1 for one connection), ${WARMUP}s warm-up per target, then $ROUNDS rounds of ${DURATION}s per target at c=$CONNECTIONS,
          then ${DURATION}s per target at c=$LOW_CONNECTIONS, then ${DURATION}s per target paced at half the
          direct saturation rate (c=$PACED_CONNECTIONS); everything on the same cores
INFO

echo "== warm-up =="
load direct "$BACKEND_URL" "$DIRECT_SESSION" "$CONNECTIONS" "$WARMUP"
load gateway "$GATEWAY_URL" "$GATEWAY_SESSION" "$CONNECTIONS" "$WARMUP"

echo "== measured, alternated =="
for _ in $(seq "$ROUNDS"); do
  load direct "$BACKEND_URL" "$DIRECT_SESSION" "$CONNECTIONS" "$DURATION" | tee -a "$WORK/direct.txt"
  redis-cli -p "$REDIS_PORT" CONFIG RESETSTAT >/dev/null
  load gateway "$GATEWAY_URL" "$GATEWAY_SESSION" "$CONNECTIONS" "$DURATION" | tee -a "$WORK/gateway.txt"
  redis-cli -p "$REDIS_PORT" INFO commandstats | tr -d '\r' >"$WORK/commandstats.txt"
done
load direct "$BACKEND_URL" "$DIRECT_SESSION" "$LOW_CONNECTIONS" "$DURATION" | tee "$WORK/direct-low.txt"
load gateway "$GATEWAY_URL" "$GATEWAY_SESSION" "$LOW_CONNECTIONS" "$DURATION" | tee "$WORK/gateway-low.txt"
HALF_RATE=$(awk '{ s += $3 } END { printf "%d", s / NR / 2 }' "$WORK/direct.txt")
echo "== paced at half the direct saturation rate: $HALF_RATE req/s, c=$PACED_CONNECTIONS =="
load direct "$BACKEND_URL" "$DIRECT_SESSION" "$PACED_CONNECTIONS" "$DURATION" "$HALF_RATE" | tee "$WORK/direct-paced.txt"
load gateway "$GATEWAY_URL" "$GATEWAY_SESSION" "$PACED_CONNECTIONS" "$DURATION" "$HALF_RATE" | tee "$WORK/gateway-paced.txt"

echo "== summary =="
to_ms() { awk '{ v = $1; if (v ~ /us$/) v = v / 1000; else if (v ~ /ms$/) v = v + 0; else if (v ~ /s$/) v = v * 1000; print v }'; }
direct_rps=$(awk '{ s += $3 } END { print s / NR }' "$WORK/direct.txt")
gateway_rps=$(awk '{ s += $3 } END { print s / NR }' "$WORK/gateway.txt")
gateway_requests=$(awk '{ last = $9 } END { print last }' "$WORK/gateway.txt")
awk -v d="$direct_rps" -v g="$gateway_rps" 'BEGIN { printf "throughput      : gateway %.0f req/s vs direct %.0f req/s = %.2fx (target >= 0.6x)\n", g, d, g / d }'
added_latency() { # added_latency <run> <condition>: p50 and p99 of the gateway minus direct
  local p direct gateway
  for p in 6 8; do # fields of a summary line: p50 is the 6th, p99 the 8th
    direct=$(awk -v f="$p" '{ print $f }' "$WORK/direct-$1.txt" | to_ms)
    gateway=$(awk -v f="$p" '{ print $f }' "$WORK/gateway-$1.txt" | to_ms)
    awk -v n="$([ "$p" = 6 ] && echo p50 || echo p99)" -v d="$direct" -v g="$gateway" -v c="$2" \
      'BEGIN { printf "added latency   : %s %s: %.2f ms (gateway %.2f ms, direct %.2f ms)\n", n, c, g - d, g, d }'
  done
}
added_latency low "at c=$LOW_CONNECTIONS"
added_latency paced "at $HALF_RATE req/s"
awk -v r="$HALF_RATE" '{ printf "paced rate      : %s kept %.0f of %d req/s\n", $1, $3, r }' "$WORK/direct-paced.txt" "$WORK/gateway-paced.txt"
awk -F'[:,=]' -v requests="$gateway_requests" '/^cmdstat_(evalsha|eval)/ { rt += $3 } /^cmdstat_/ && !/cmdstat_(info|config)/ { all += $3 }
  END { printf "Redis per call  : %.3f round trips (script calls), %.3f commands (last gateway round)\n", rt / requests, all / requests }' \
  "$WORK/commandstats.txt"
