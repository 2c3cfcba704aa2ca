#!/usr/bin/env bash
# Benchmark of per-caller views: what a policy of 10 CEL rules over a member of 200 tools
# adds to tools/list and tools/call. Two gateways on the same member, one without rules and
# one with them, loaded in turn with the same 2026-07-28 requests (stateless, anonymous
# callers, memory store). See bench/README.md.
#
# Usage: bench/policy.sh
# Knobs (environment variables):
#   TOOLS=200        tools of the member (echo, the test server's six, and the rest numbered)
#   WARMUP=20        seconds of load per target and operation before measuring
#   DURATION=10      measured seconds per target, operation and round
#   ROUNDS=3         rounds of (plain, policy) per operation, alternated
#   CONNECTIONS=16   wrk connections of the saturation rounds (wrk -t2)
#   JAR=path         service jar; built with ./mvnw when absent
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh

TOOLS=${TOOLS:-200}
WARMUP=${WARMUP:-20}
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-16}
JAR=${JAR:-target/vmcp-sessions-0.1.0.jar}
TARGETS=(plain policy)
OPERATIONS=(list call)

start_run policy
use_jdk_21_or_newer
JAVA="$JAVA_HOME/bin/java"
TOOL_HINT="wrk: apt-get install wrk" require_tools wrk curl

[ -f "$JAR" ] || ./mvnw -q -DskipTests package
use_test_classpath

# The member: the test suite's Java server with its own seven tools and enough more.
start_backend JSON bench "$((TOOLS - 7))"
MEMBER_URL=$(backend_line bench url)
[ -n "$MEMBER_URL" ] || die "the member did not start"

# Ten rules as an operator would write them: names, annotations, the member, the claims. Every
# rule is evaluated for every tool (none hides the echo tool the calls use).
RULES=(
  "destructive-for-ops|deny|has(item.annotations) && has(item.annotations.destructiveHint) && item.annotations.destructiveHint && !('ops' in claims.groups)"
  "no-deletes|deny|kind == 'tool' && item.name.endsWith('-delete')"
  "no-admin-tools|deny|item.name.startsWith('admin-') && !(has(claims.role) && claims.role == 'admin')"
  "no-internal|deny|has(item.description) && item.description.contains('internal only')"
  "tool-0042-for-ops|deny|item.name == 'tool-0042' && !('ops' in claims.groups)"
  "no-shell|deny|item.name.matches('^(sh|bash|exec)\$')"
  "no-other-members|deny|member != 'bench'"
  "no-prompts-for-guests|deny|kind == 'prompt' && has(claims.guest) && claims.guest == true"
  "no-write-for-readers|deny|has(item.annotations) && has(item.annotations.readOnlyHint) && !item.annotations.readOnlyHint && has(claims.reader)"
  "numbered-tools-below-500|deny|item.name.startsWith('tool-') && int(item.name.substring(5)) >= 500"
)

start_gateway() { # start_gateway <name> [--policy]: $GATEWAY_URL
  local port args=() index=0 rule
  port=$(free_port)
  if [ "${2:-}" = --policy ]; then
    for rule in "${RULES[@]}"; do
      IFS='|' read -r name effect when <<<"$rule"
      args+=("--vmcp.policy.rules[$index].name=$name" "--vmcp.policy.rules[$index].effect=$effect"
        "--vmcp.policy.rules[$index].when=$when")
      index=$((index + 1))
    done
  fi
  "$JAVA" -jar "$JAR" --server.port="$port" --server.address=127.0.0.1 --logging.level.root=warn \
    --vmcp.backends[0].name=bench --vmcp.backends[0].url="$MEMBER_URL" --vmcp.backends[0].protocol=2025 \
    ${args[@]+"${args[@]}"} >>"$WORK/gateway-$1.log" 2>&1 &
  track $! 35
  wait_ok "http://127.0.0.1:$port/actuator/health/readiness" $! || die "the $1 gateway did not become ready"
  URL[$1]="http://127.0.0.1:$port/mcp"
}

META='"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}'
declare -A URL BODY METHOD
BODY[list]='{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{'"$META"'}}'
BODY[call]='{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hi"},'"$META"'}}'
METHOD=([list]=tools/list [call]=tools/call)

post() { # post <target> <operation>: the answer's body
  local headers=(-H "Mcp-Method: ${METHOD[$2]}")
  [ "$2" != call ] || headers+=(-H 'Mcp-Name: echo')
  curl -s -X POST "${URL[$1]}" -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
    -H 'MCP-Protocol-Version: 2026-07-28' "${headers[@]}" --data "${BODY[$2]}"
}

load() { # load <target> <operation> <connections> <seconds>: one wrk run, summarized
  local out="$WORK/wrk-$1-$2-$3-$RANDOM.txt" threads=$(($3 < 2 ? 1 : 2))
  MCP_PROTOCOL=2026-07-28 MCP_METHOD=${METHOD[$2]} MCP_BODY=${BODY[$2]} \
    wrk -t"$threads" -c"$3" -d"$4s" --latency -s bench/tools-call.lua "${URL[$1]}" >"$out"
  ! grep -q 'Non-2xx' "$out" || die "$1 $2: error answers: $(grep 'Non-2xx' "$out")"
  awk -v label="$1 $2" -v c="$3" '
    $1 == "Requests/sec:" { rps = $2 }
    $1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 }
    END { printf "%-12s c=%-3d %9.0f req/s   p50 %8s   p99 %8s\n", label, c, rps, p50, p99 }' "$out"
}

start_gateway plain
start_gateway policy --policy
for target in "${TARGETS[@]}"; do
  listed=$(post "$target" list | grep -o '"name":"[^"]*"' | wc -l)
  echo "$target: tools/list shows $listed tools; tools/call echo: $(post "$target" call | grep -o '"text":"[^"]*"')"
done
# tool-0042 is hidden from anonymous callers: the policy is in force
[ "$(post plain list | grep -c '"name":"tool-0042"')" -eq 1 ] && [ "$(post policy list | grep -c '"name":"tool-0042"')" -eq 0 ] ||
  die "the policy did not hide tool-0042"

cat <<INFO

== vmcp-sessions benchmark: a policy of ${#RULES[@]} CEL rules over a member of $TOOLS tools ==
machine : $(nproc) cores, $(uname -sr); JDK $("$JAVA" -version 2>&1 | head -n 1)
member  : bench/BenchBackend.java (MCP Java SDK on Tomcat, JSON answers), $TOOLS tools, at $MEMBER_URL
targets : plain (no rules) at ${URL[plain]}, policy (${#RULES[@]} rules) at ${URL[policy]}; memory store
load    : wrk, 2026-07-28 requests; ${WARMUP}s warm-up per target and operation, $ROUNDS alternated rounds of
          ${DURATION}s at c=$CONNECTIONS, then one of ${DURATION}s at c=1; everything on the same cores
INFO

echo "== warm-up =="
for operation in "${OPERATIONS[@]}"; do
  for target in "${TARGETS[@]}"; do load "$target" "$operation" "$CONNECTIONS" "$WARMUP"; done
done
echo "== measured, alternated =="
for _ in $(seq "$ROUNDS"); do
  for operation in "${OPERATIONS[@]}"; do
    for target in "${TARGETS[@]}"; do
      load "$target" "$operation" "$CONNECTIONS" "$DURATION" | tee -a "$WORK/$target-$operation.txt"
    done
  done
done
for operation in "${OPERATIONS[@]}"; do
  for target in "${TARGETS[@]}"; do
    load "$target" "$operation" 1 "$DURATION" | tee "$WORK/$target-$operation-low.txt"
  done
done

to_ms() { awk '{ v = $1; if (v ~ /us$/) v = v / 1000; else if (v ~ /ms$/) v = v + 0; else if (v ~ /s$/) v = v * 1000; print v }'; }
echo
echo "== what the policy adds (goal: <= 10 % to tools/list, <= 2 % to tools/call) =="
for operation in "${OPERATIONS[@]}"; do
  plain=$(awk '{ s += $4 } END { print s / NR }' "$WORK/plain-$operation.txt")
  policy=$(awk '{ s += $4 } END { print s / NR }' "$WORK/policy-$operation.txt")
  plain_p50=$(awk '{ print $7 }' "$WORK/plain-$operation-low.txt" | to_ms)
  policy_p50=$(awk '{ print $7 }' "$WORK/policy-$operation-low.txt" | to_ms)
  goal=$([ "$operation" = list ] && echo 10 || echo 2)
  awk -v op="${METHOD[$operation]}" -v p="$plain" -v q="$policy" -v lp="$plain_p50" -v lq="$policy_p50" -v goal="$goal" -v c="$CONNECTIONS" 'BEGIN {
    cost = (p / q - 1) * 100; latency = (lq / lp - 1) * 100
    printf "%-10s: throughput at c=%d plain %.0f, policy %.0f req/s: %+.1f %% time per request; p50 at c=1 plain %.3f, policy %.3f ms: %+.1f %% (goal <= %d %%: %s)\n",
      op, c, p, q, cost, lp, lq, latency, goal, (cost <= goal && latency <= goal) ? "met" : "NOT MET" }'
done
