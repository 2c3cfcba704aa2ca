#!/usr/bin/env bash
# Benchmark of the MCP front door: tools/call of a trivial tool (echo), sent to a member
# directly, through HAProxy (a plain HTTP hop) and through the gateway (one pod, Redis store,
# that member its only member), same member, same load tool (wrk), alternated in one run.
# Both client revisions: 2025 (a session per target) and 2026-07-28 (stateless). See
# bench/README.md.
#
# Usage: bench/tools-call.sh
# Knobs (environment variables):
#   MEMBERS=node     member rows, in order: node (the Node members: the reference "everything"
#                    server for 2025 clients, conformance/members/stateless-member.mjs for
#                    2026-07-28 clients), java (bench/BenchBackend.java, 2025 only), or "node java"
#   NODE_2026_MEMBERS=stateless  the Node members of 2026-07-28 clients, a row each:
#                    stateless (conformance/members/stateless-member.mjs, the conformance
#                    suite's features), echo (conformance/members/echo-member.mjs, one tool),
#                    or "stateless echo"
#   TOOLS_LIST_TTL_MS  the caching hint (ttlMs) of the echo member's tools/list; unset, the
#                    SDK's default (0: not to be reused), and the row is node/echo, else node/echo-ttl
#   CLIENTS="2025 2026"  client revisions to measure
#   WARMUP=30        seconds of load on each target before measuring (JIT, pools)
#   DURATION=15      measured seconds per target and round
#   ROUNDS=2         rounds of (direct, haproxy, gateway) at CONNECTIONS
#   CONNECTIONS=32   wrk connections of the saturation rounds (wrk -t2)
#   LOW_CONNECTIONS=1  connections of the latency rounds (one round each, DURATION seconds)
#   PACED_CONNECTIONS=16  connections of the paced rounds: every target at half the direct
#                    saturation rate (one round each, DURATION seconds)
#   MODE=SSE         how the Java member answers: SSE (the SDK's own way) or JSON
#   JAR=path         service jar; built with ./mvnw when absent
#   SERVICE_JAVA_OPTS="..."  extra JVM options for the gateway (a JFR recording, say)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh

MEMBERS=${MEMBERS:-node}
NODE_2026_MEMBERS=${NODE_2026_MEMBERS:-stateless}
CLIENTS=${CLIENTS:-2025 2026}
WARMUP=${WARMUP:-30}
DURATION=${DURATION:-15}
ROUNDS=${ROUNDS:-2}
CONNECTIONS=${CONNECTIONS:-32}
LOW_CONNECTIONS=${LOW_CONNECTIONS:-1}
PACED_CONNECTIONS=${PACED_CONNECTIONS:-16}
MODE=${MODE:-SSE}
JAR=${JAR:-target/vmcp-sessions-0.1.0.jar}
SERVICE_JAVA_OPTS=${SERVICE_JAVA_OPTS:-}
TARGETS=(direct haproxy gateway)

for row in $MEMBERS; do
  case $row in node | java) ;; *) die "MEMBERS: node, java or both, not $row" ;; esac
done
for kind in $NODE_2026_MEMBERS; do
  case $kind in stateless | echo) ;; *) die "NODE_2026_MEMBERS: stateless, echo or both, not $kind" ;; esac
done
for client in $CLIENTS; do
  case $client in 2025 | 2026) ;; *) die "CLIENTS: 2025, 2026 or both, not $client" ;; esac
done

start_run bench
use_jdk_21_or_newer
JAVA="$JAVA_HOME/bin/java"
TOOL_HINT="wrk, haproxy: apt-get install wrk haproxy" require_tools wrk haproxy redis-server redis-cli curl

# --- build: the service jar; the test classes for the Java member; the Node members ------------
[ -f "$JAR" ] || ./mvnw -q -DskipTests package
case " $MEMBERS " in *" java "*) use_test_classpath ;; esac
case " $MEMBERS " in *" node "*) require_node_members ;; esac

start_redis

# --- a group: one member row and one client revision, its three targets ------------------------
# start_group <row> <client> [kind]: the member (of that kind, for a Node member of 2026-07-28
# clients), HAProxy in front of it and a gateway with it as its only member. Sets URL[target],
# MEMBER_DESC, MEMBER_LABEL, CLIENT_PROTOCOL, BODY and GROUP_PIDS.
declare -A URL SESSION
start_group() {
  local row=$1 client=$2 kind=${3:-} arguments member_protocol
  case $row-$client in
  node-2025)
    start_node_member everything everything
    MEMBER_DESC="reference \"everything\" server (TypeScript SDK v1, Express, SSE answers, 2025 revisions)"
    arguments='{"message":"hi"}' member_protocol=2025 MEMBER_LABEL=node/everything
    ;;
  node-2026)
    start_node_member "$kind" "$kind"
    MEMBER_DESC="conformance/members/$kind-member.mjs (TypeScript SDK v2, JSON answers, 2026-07-28 only)"
    arguments='{"text":"hi"}' member_protocol=2026-07-28 MEMBER_LABEL=node/$kind
    if [ "$kind" = echo ] && [ -n "${TOOLS_LIST_TTL_MS:-}" ]; then
      MEMBER_DESC="$MEMBER_DESC, tools/list cacheable for ${TOOLS_LIST_TTL_MS} ms" MEMBER_LABEL=node/echo-ttl
    fi
    ;;
  java-2025)
    start_backend "$MODE" bench
    MEMBER_PID=$!
    MEMBER_URL=$(backend_line bench url)
    [ -n "$MEMBER_URL" ] || die "the Java member did not start"
    MEMBER_DESC="bench/BenchBackend.java (MCP Java SDK on Tomcat, $MODE answers, 2025 revisions)"
    arguments='{"text":"hi"}' member_protocol=2025 MEMBER_LABEL=java
    ;;
  esac
  start_haproxy "${GROUP##*/}" "$MEMBER_URL"
  start_gateway "$MEMBER_URL" "$member_protocol"
  GROUP_PIDS=("$GATEWAY_PID" "$HAPROXY_PID" "$MEMBER_PID")
  URL=([direct]=$MEMBER_URL [haproxy]=$HAPROXY_URL [gateway]=$GATEWAY_URL)
  if [ "$client" = 2026 ]; then
    CLIENT_PROTOCOL=2026-07-28
    BODY='{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":'"$arguments"',"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}'
  else
    CLIENT_PROTOCOL=2025-06-18
    BODY='{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":'"$arguments"'}}'
  fi
}

stop_group() {
  local pid
  for pid in "${GROUP_PIDS[@]}"; do stop_tracked "$pid"; done
}

start_gateway() { # start_gateway <member url> <2025|2026-07-28>: $GATEWAY_URL, $GATEWAY_PID
  local port
  port=$(free_port)
  # shellcheck disable=SC2086 # SERVICE_JAVA_OPTS is a list of options
  "$JAVA" $SERVICE_JAVA_OPTS -jar "$JAR" --server.port="$port" --server.address=127.0.0.1 --logging.level.root=warn \
    --vmcp.session.store=redis --vmcp.session.binding-secret=bench \
    --spring.data.redis.host=127.0.0.1 --spring.data.redis.port="$REDIS_PORT" \
    --vmcp.backends[0].name=bench --vmcp.backends[0].url="$1" --vmcp.backends[0].protocol="$2" \
    >>"$WORK/gateway.log" 2>&1 &
  GATEWAY_PID=$!
  track $GATEWAY_PID 35
  wait_ok "http://127.0.0.1:$port/actuator/health/readiness" $GATEWAY_PID || die "the gateway did not become ready"
  GATEWAY_URL="http://127.0.0.1:$port/mcp"
}

# --- MCP by hand: a session per target (2025), one checked call ------------------------------------
mcp_post() { # mcp_post <url> <session id or ""> <body>: prints headers and body, in the group's revision
  local revision=(-H "MCP-Protocol-Version: $CLIENT_PROTOCOL")
  [ "$CLIENT_PROTOCOL" != 2026-07-28 ] || revision+=(-H 'Mcp-Method: tools/call' -H 'Mcp-Name: echo')
  curl -s -D - -X POST "$1" -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
    "${revision[@]}" ${2:+-H "Mcp-Session-Id: $2"} --data "$3"
}
check_call() { # check_call <url> <session id or "">: the benchmark's call, answered with the echo
  mcp_post "$1" "$2" "$BODY" | grep -Eq '"text":"(Echo: )?hi"' || die "tools/call through $1 did not echo: $(mcp_post "$1" "$2" "$BODY")"
}
open_session() { # open_session <url>: initializes, sends initialized, checks one call; prints the id
  local answer id
  answer=$(mcp_post "$1" "" '{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}')
  id=$(printf '%s' "$answer" | tr -d '\r' | awk -F': ' 'tolower($1) == "mcp-session-id" { print $2; exit }')
  [ -n "$id" ] || die "no session from $1: $answer"
  mcp_post "$1" "$id" '{"jsonrpc":"2.0","method":"notifications/initialized"}' >/dev/null
  check_call "$1" "$id"
  echo "$id"
}

load() { # load <target> <connections> <seconds> [rate]: one wrk run on a target of the group, summarized
  local target=$1 connections=$2 seconds=$3 rate=${4:-} out="$GROUP/wrk-$1-$2-$RANDOM.txt"
  local threads=$((connections < 2 ? 1 : 2))
  RATE_PER_THREAD=${rate:+$((rate / threads))} MCP_PROTOCOL=$CLIENT_PROTOCOL MCP_BODY=$BODY \
    MCP_SESSION_ID=${SESSION[$target]:-} \
    wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -s bench/tools-call.lua "${URL[$target]}" >"$out"
  ! grep -q 'Non-2xx' "$out" || die "$target: error answers: $(grep 'Non-2xx' "$out")"
  awk -v label="$target" -v c="$connections" '
    $1 == "Requests/sec:" { rps = $2 }
    $2 == "requests" && $3 == "in" { n = $1 }
    $1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 }
    $1 == "Socket" { errors = "   socket errors:" substr($0, index($0, ":") + 1) }
    END { printf "%-8s c=%-3d %9.0f req/s   p50 %8s   p99 %8s   %d requests%s\n", label, c, rps, p50, p99, n, errors }' "$out"
}

to_ms() { awk '{ v = $1; if (v ~ /us$/) v = v / 1000; else if (v ~ /ms$/) v = v + 0; else if (v ~ /s$/) v = v * 1000; print v }'; }
field_ms() { awk -v f="$2" '{ print $f }' "$1" | to_ms; } # field_ms <summary file> <field>: p50 is the 6th, p99 the 8th
mean_rps() { awk '{ s += $3 } END { print s / NR }' "$1"; }

# run_group <row> <client> [kind]: warm-up, alternated rounds, one connection, paced; its summary,
# and its line of the results table in $WORK/results.txt
run_group() {
  local row=$1 client=$2 kind=${3:-} target
  GROUP="$WORK/$row-$client${kind:+-$kind}"
  mkdir -p "$GROUP"
  start_group "$row" "$client" "$kind"
  SESSION=()
  for target in "${TARGETS[@]}"; do
    if [ "$client" = 2025 ]; then
      SESSION[$target]=$(open_session "${URL[$target]}")
    else
      check_call "${URL[$target]}" ""
    fi
  done

  cat <<INFO

==== client $CLIENT_PROTOCOL, member $MEMBER_LABEL ====
member  : $MEMBER_DESC at ${URL[direct]}
haproxy : $(haproxy -v | awk 'NR == 1 { print $3 }'), mode http, keep-alive to the member, at ${URL[haproxy]}
gateway : $JAR, Redis store, that member its only member, at ${URL[gateway]}
session : $([ "$client" = 2025 ] && echo "one per target (through HAProxy the member's own)" || echo "none: _meta in the body, MCP-Protocol-Version, Mcp-Method and Mcp-Name headers")
INFO

  echo "== warm-up =="
  for target in "${TARGETS[@]}"; do load "$target" "$CONNECTIONS" "$WARMUP"; done

  echo "== measured, alternated =="
  for _ in $(seq "$ROUNDS"); do
    for target in "${TARGETS[@]}"; do
      [ "$target" != gateway ] || redis-cli -p "$REDIS_PORT" CONFIG RESETSTAT >/dev/null
      load "$target" "$CONNECTIONS" "$DURATION" | tee -a "$GROUP/$target.txt"
      [ "$target" != gateway ] || redis-cli -p "$REDIS_PORT" INFO commandstats | tr -d '\r' >"$GROUP/commandstats.txt"
    done
  done
  for target in "${TARGETS[@]}"; do
    load "$target" "$LOW_CONNECTIONS" "$DURATION" | tee "$GROUP/$target-low.txt"
  done
  local half_rate
  half_rate=$(awk '{ s += $3 } END { printf "%d", s / NR / 2 }' "$GROUP/direct.txt")
  echo "== paced at half the direct saturation rate: $half_rate req/s, c=$PACED_CONNECTIONS =="
  for target in "${TARGETS[@]}"; do
    load "$target" "$PACED_CONNECTIONS" "$DURATION" "$half_rate" | tee "$GROUP/$target-paced.txt"
  done

  echo "== summary: client $CLIENT_PROTOCOL, member $MEMBER_LABEL =="
  local direct haproxy gateway gateway_requests
  direct=$(mean_rps "$GROUP/direct.txt") haproxy=$(mean_rps "$GROUP/haproxy.txt") gateway=$(mean_rps "$GROUP/gateway.txt")
  awk -v d="$direct" -v h="$haproxy" -v g="$gateway" -v c="$CONNECTIONS" 'BEGIN {
    printf "throughput c=%-3d: direct %.0f, haproxy %.0f (%.2fx direct), gateway %.0f req/s (%.2fx direct, %.2fx haproxy)\n", c, d, h, h / d, g, g / d, g / h }'
  local run p name d h g
  for run in low paced; do
    for p in 6 8; do
      name=$([ "$p" = 6 ] && echo p50 || echo p99)
      d=$(field_ms "$GROUP/direct-$run.txt" "$p") h=$(field_ms "$GROUP/haproxy-$run.txt" "$p") g=$(field_ms "$GROUP/gateway-$run.txt" "$p")
      awk -v n="$name" -v c="$([ "$run" = low ] && echo "at c=$LOW_CONNECTIONS" || echo "at $half_rate req/s")" -v d="$d" -v h="$h" -v g="$g" \
        'BEGIN { printf "latency %s %-14s: direct %.2f, haproxy %.2f (%+.2f), gateway %.2f ms (%+.2f over direct, %+.2f over haproxy)\n", n, c, d, h, h - d, g, g - d, g - h }'
    done
  done
  awk -v r="$half_rate" '{ printf "paced rate      : %-8s kept %.0f of %d req/s\n", $1, $3, r }' \
    "$GROUP/direct-paced.txt" "$GROUP/haproxy-paced.txt" "$GROUP/gateway-paced.txt"
  gateway_requests=$(awk '{ last = $9 } END { print last }' "$GROUP/gateway.txt")
  awk -F'[:,=]' -v requests="$gateway_requests" '
    /^cmdstat_(evalsha|eval)/ { scripts += $3 }
    /^cmdstat_/ && !/cmdstat_(info|config)/ { all += $3; names = names " " substr($1, 9) "=" $3 }
    END { printf "Redis per call  : %.3f script calls, %.3f commands, i.e. round trips (last gateway round: %d calls, %d commands%s)\n",
            scripts / requests, all / requests, requests, all, names == "" ? "" : ":" names }' "$GROUP/commandstats.txt"

  local redis_per_call
  redis_per_call=$(awk -F'[:,=]' -v requests="$gateway_requests" '/^cmdstat_/ && !/cmdstat_(info|config)/ { all += $3 }
    END { printf "%.3f", all / requests }' "$GROUP/commandstats.txt")
  echo "$client $MEMBER_LABEL $direct $haproxy $gateway $(field_ms "$GROUP/direct-low.txt" 6) $(field_ms "$GROUP/haproxy-low.txt" 6)" \
    "$(field_ms "$GROUP/gateway-low.txt" 6) $redis_per_call" >>"$WORK/results.txt"
  stop_group
}

cat <<INFO
== vmcp-sessions benchmark: tools/call direct, through HAProxy and through the gateway ==
machine : $(nproc) cores, $(uname -sr); JDK $("$JAVA" -version 2>&1 | head -n 1)$(
  case " $MEMBERS " in *" node "*) echo "; Node $("$NODE" --version)" ;; esac); Redis $(redis-server --version | awk '{ print $3 }')
load    : wrk (2 threads, 1 for one connection), ${WARMUP}s warm-up per target, then $ROUNDS rounds of ${DURATION}s per target at c=$CONNECTIONS,
          then ${DURATION}s per target at c=$LOW_CONNECTIONS, then ${DURATION}s per target paced at half the
          direct saturation rate (c=$PACED_CONNECTIONS); members: $MEMBERS; clients: $CLIENTS; everything on the same cores
INFO

for row in $MEMBERS; do
  for client in $CLIENTS; do
    if [ "$row-$client" = java-2026 ]; then
      echo
      echo "==== client 2026-07-28, java member: skipped (the Java member speaks only 2025) ===="
      echo "$client $row skipped" >>"$WORK/results.txt"
      continue
    fi
    if [ "$row-$client" = node-2026 ]; then
      for kind in $NODE_2026_MEMBERS; do run_group "$row" "$client" "$kind"; done
    else
      run_group "$row" "$client"
    fi
  done
done

# --- the results table and the goals -----------------------------------------------------------
echo
echo "== results: throughput at c=$CONNECTIONS (mean of $ROUNDS rounds), p50 at c=$LOW_CONNECTIONS =="
awk -v c="$CONNECTIONS" -v lc="$LOW_CONNECTIONS" '
  BEGIN {
    printf "%-7s %-15s | %8s %8s %8s %7s | %8s %8s %8s %9s | %s\n", "client", "member", "direct", "haproxy", "gateway", "gw/hap",
      "direct", "haproxy", "gateway", "gw-hap", "Redis/call"
    printf "%-7s %-15s | %35s | %39s |\n", "", "", "req/s at c=" c, "p50 ms at c=" lc
  }
  $3 == "skipped" { printf "%-7s %-15s | skipped: the Java member speaks only 2025\n", $1, $2; next }
  { printf "%-7s %-15s | %8.0f %8.0f %8.0f %6.2fx | %8.2f %8.2f %8.2f %+9.2f | %.3f\n", $1, $2, $3, $4, $5, $5 / $4, $6, $7, $8, $8 - $7, $9 }
' "$WORK/results.txt"
echo
echo "== goals: a 2026-07-28 call through the gateway against HAProxy =="
awk -v c="$CONNECTIONS" -v lc="$LOW_CONNECTIONS" '$1 == 2026 && $3 != "skipped" {
    ratio = $5 / $4; added = $8 - $7
    printf "%s: throughput at c=%d %.2fx HAProxy (goal >= 0.6x): %s\n", $2, c, ratio, ratio >= 0.6 ? "met" : "NOT MET"
    printf "%s: p50 at c=%d %+.2f ms over HAProxy (goal <= +0.5 ms): %s\n", $2, lc, added, added <= 0.5 ? "met" : "NOT MET"
    printf "%s: Redis round trips per call %.3f (expected 0): %s\n", $2, $9, $9 == 0 ? "met" : "NOT MET"
    any = 1
  }
  END { if (!any) print "no 2026-07-28 group was run" }' "$WORK/results.txt"
