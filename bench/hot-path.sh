#!/usr/bin/env bash
# Benchmark of the session hot path: GET of a cached session on this service (anonymous and
# JWT mode, Redis store), beside a Spring Session Data Redis app doing the same job and a bare
# one-GETEX Spring MVC endpoint (bench/peer), alternated in one run; then a fresh pod's first
# seconds of load. Load tool: wrk, in one-second slices, so that every second of every run is a
# point of the HTML report's curves. See bench/README.md.
#
# Usage: bench/hot-path.sh
# Knobs (environment variables):
#   WARMUP=40        seconds of load on each target before measuring (JIT, pools)
#   DURATION=10      measured seconds per target and round
#   ROUNDS=2         rounds over the targets
#   CONNECTIONS=32   wrk connections (wrk -t2)
#   FRESH=8          seconds of load measured on a freshly started pod
#   JAR=path         service jar; built with ./mvnw when absent
#   PEER_JAR=path    peer app jar; built from bench/peer when absent
#   HEAP="-Xms512m -Xmx512m"  heap of every JVM: fixed, as the image runs the service
#   SERVICE_JAVA_OPTS="..."  extra JVM options for the service (a JFR recording, say)
#   REPORT=path      HTML report (default target/bench/hot-path-<time>.html)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh

WARMUP=${WARMUP:-40}
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-2}
CONNECTIONS=${CONNECTIONS:-32}
FRESH=${FRESH:-8}
JAR=${JAR:-target/vmcp-sessions-0.1.0.jar}
PEER_JAR=${PEER_JAR:-bench/peer/target/spring-session-baseline-1.jar}
SERVICE_JAVA_OPTS=${SERVICE_JAVA_OPTS:-}
HEAP=${HEAP:--Xms512m -Xmx512m}
REPORT=${REPORT:-target/bench/hot-path-$(date +%Y%m%d-%H%M%S).html}

start_run bench
use_jdk_21_or_newer
JAVA="$JAVA_HOME/bin/java"
TOOL_HINT="wrk: apt-get install wrk" require_tools wrk redis-server redis-cli curl openssl

# --- build --------------------------------------------------------------------------------------
[ -f "$JAR" ] || ./mvnw -q -DskipTests package
[ -f "$PEER_JAR" ] || ./mvnw -q -f bench/peer/pom.xml -DskipTests package

# --- Redis, a signing key, the apps -------------------------------------------------------------
start_redis

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/jwt-key.pem" 2>/dev/null
openssl pkey -in "$WORK/jwt-key.pem" -pubout -out "$WORK/jwt-public.pem"
base64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
signed_token() { # an RS256 token for subject "bench", valid for an hour
  local header payload now
  now=$(date +%s)
  header=$(printf '{"alg":"RS256","typ":"JWT"}' | base64url)
  payload=$(printf '{"iss":"https://issuer.bench","aud":"https://gateway.bench/mcp","sub":"bench","iat":%d,"exp":%d}' "$now" "$((now + 3600))" | base64url)
  printf '%s.%s.%s' "$header" "$payload" \
    "$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$WORK/jwt-key.pem" -binary | base64url)"
}
TOKEN=$(signed_token)

start_service() { # start_service <name> <port> [options...]: our jar on the shared Redis
  local name=$1 port=$2
  shift 2
  # shellcheck disable=SC2086 # HEAP and SERVICE_JAVA_OPTS are lists of options
  "$JAVA" $HEAP $SERVICE_JAVA_OPTS -jar "$JAR" --server.port="$port" --server.address=127.0.0.1 \
    --logging.level.root=warn --vmcp.session.store=redis --vmcp.session.binding-secret=bench \
    --spring.data.redis.host=127.0.0.1 --spring.data.redis.port="$REDIS_PORT" "$@" >"$WORK/$name.log" 2>&1 &
  track $! 35
}
start_pod() { # start_pod <name> <port>: as a pod starts: the image's layout and its AOT cache
  local name=$1 port=$2
  # shellcheck disable=SC2086 # HEAP is a list of options
  (cd "$WORK/app" && exec "$JAVA" $HEAP -XX:AOTCache=application.aot -jar application.jar \
    --server.port="$port" --server.address=127.0.0.1 --logging.level.root=warn --vmcp.session.store=redis \
    --vmcp.session.binding-secret=bench --spring.data.redis.host=127.0.0.1 --spring.data.redis.port="$REDIS_PORT" \
    >"$WORK/$name.log" 2>&1) &
  POD_PID=$!
  track "$POD_PID" 35
}
cpu_seconds() { # cpu_seconds <pid>: CPU seconds so far of the JIT compiler threads, then of all threads
  local ticks
  ticks=$(getconf CLK_TCK)
  for task in /proc/"$1"/task/*; do
    # comm, then utime and stime: fields 14 and 15 of stat, counted after the ")" that ends comm
    printf '%s %s\n' "$(tr ' ' _ <"$task/comm")" "$(sed 's/.*) //' "$task/stat" | awk '{ print $12 + $13 }')"
  done 2>/dev/null | awk -v hz="$ticks" '$1 ~ /CompilerThre/ { jit += $2 } { all += $2 } END { printf "%.1f %.1f", jit / hz, all / hz }'
}
wait_ready() { # wait_ready <url>: until it answers 200
  wait_ok "$1" || die "$1 did not become ready"
}
created_id() { # created_id <curl options...>: POSTs, prints the "id" of the JSON answer
  curl -sf -X POST "$@" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p'
}

OURS_PORT=$(free_port) JWT_PORT=$(free_port) PEER_PORT=$(free_port)
start_service ours "$OURS_PORT"
start_service ours-jwt "$JWT_PORT" --spring.security.oauth2.resourceserver.jwt.public-key-location="file:$WORK/jwt-public.pem" --vmcp.jwt.audiences=https://gateway.bench/mcp --vmcp.mcp.authorization-servers=https://issuer.bench
# shellcheck disable=SC2086 # HEAP is a list of options
"$JAVA" $HEAP -jar "$PEER_JAR" --server.port="$PEER_PORT" --server.address=127.0.0.1 \
  --spring.data.redis.host=127.0.0.1 --spring.data.redis.port="$REDIS_PORT" --logging.level.root=warn >"$WORK/peer.log" 2>&1 &
track $! 35
wait_ready "http://127.0.0.1:$OURS_PORT/actuator/health/readiness"
wait_ready "http://127.0.0.1:$JWT_PORT/actuator/health/readiness"
until curl -s -o /dev/null "http://127.0.0.1:$PEER_PORT/"; do sleep 0.2; done

OURS_ID=$(created_id "http://127.0.0.1:$OURS_PORT/api/v1/sessions")
JWT_ID=$(created_id -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$JWT_PORT/api/v1/sessions")
PEER_ID=$(created_id -H 'Content-Type: application/json' --data '{"client":"bench"}' "http://127.0.0.1:$PEER_PORT/sessions")
curl -sf -X POST "http://127.0.0.1:$PEER_PORT/bare/bench" || die "the bare endpoint did not store its key"
[ -n "$OURS_ID" ] && [ -n "$JWT_ID" ] && [ -n "$PEER_ID" ] || die "a session could not be created"

# name|url|bearer token
TARGETS=(
  "ours|http://127.0.0.1:$OURS_PORT/api/v1/sessions/$OURS_ID|"
  "ours-jwt|http://127.0.0.1:$JWT_PORT/api/v1/sessions/$JWT_ID|$TOKEN"
  "spring-session|http://127.0.0.1:$PEER_PORT/sessions/$PEER_ID|"
  "bare|http://127.0.0.1:$PEER_PORT/bare/bench|"
)
for target in "${TARGETS[@]}"; do
  IFS='|' read -r name url bearer <<<"$target"
  [ "$(curl -s -o /dev/null -w '%{http_code}' ${bearer:+-H "Authorization: Bearer $bearer"} "$url")" = 200 ] ||
    die "$name: GET $url did not answer 200"
done

SLICES="$WORK/slices.txt" # target phase second requests duration_us p50_us p90_us p99_us max_us errors
load() { # load <name> <url> <bearer> <phase> <seconds>: one-second wrk slices, appended to SLICES
  local name=$1 url=$2 bearer=$3 phase=$4 seconds=$5 second line
  for second in $(seq "$seconds"); do
    line=$(BEARER=$bearer wrk -t2 -c"$CONNECTIONS" -d1s --timeout 5s -s bench/hot-path.lua "$url" | grep '^slice ') ||
      die "$name: wrk gave no figures"
    echo "$name $phase $second ${line#slice }" >>"$SLICES"
  done
}
summarize() { # summarize <phase>: one line per target
  awk -v phase="$1" '$2 == phase {
      n[$1] += $4; us[$1] += $5; err[$1] += $10; k = ++count[$1]; p50[$1, k] = $6; p99[$1, k] = $8
      if ($8 > worst[$1]) worst[$1] = $8
      if (!($1 in order)) { order[$1] = ++targets; names[targets] = $1 }
    }
    function median(a, t, c,   i, j, v, s) {
      for (i = 1; i <= c; i++) s[i] = a[t, i]
      for (i = 2; i <= c; i++) { v = s[i]; for (j = i - 1; j >= 1 && s[j] > v; j--) s[j + 1] = s[j]; s[j + 1] = v }
      return s[int((c + 1) / 2)]
    }
    END {
      for (i = 1; i <= targets; i++) {
        t = names[i]
        printf "%-15s %8.0f req/s   p50 %6.2f ms   p99 %6.2f ms (worst second %6.2f ms)   errors %d\n",
          t, n[t] / (us[t] / 1e6), median(p50, t, count[t]) / 1000, median(p99, t, count[t]) / 1000, worst[t] / 1000, err[t]
      }
    }' "$SLICES"
}

cat <<INFO
== vmcp-sessions benchmark: GET of a cached session, beside Spring Session and a bare endpoint ==
machine : $(nproc) cores, $(uname -sr); JDK $("$JAVA" -version 2>&1 | head -n 1)
redis   : $(redis-server --version | awk '{ print $3 }') on 127.0.0.1:$REDIS_PORT, no persistence
targets : ours       GET /api/v1/sessions/{id}, anonymous ($JAR)
          ours-jwt   the same with a bearer token (RS256, public key configured)
          spring-session  GET /sessions/{id} of bench/peer (find, touch, save: 4 Redis commands)
          bare       GET /bare/{key} of bench/peer (one GETEX, no session logic: the floor)
load    : wrk -t2 -c$CONNECTIONS in 1-s slices; ${WARMUP}s warm-up per target, then $ROUNDS rounds of ${DURATION}s per
          target, alternated; load generator, apps and Redis share the same cores
INFO

echo "== warm-up =="
for target in "${TARGETS[@]}"; do
  IFS='|' read -r name url bearer <<<"$target"
  load "$name" "$url" "$bearer" warmup "$WARMUP"
done
summarize warmup

echo "== measured, alternated =="
for round in $(seq "$ROUNDS"); do
  for target in "${TARGETS[@]}"; do
    IFS='|' read -r name url bearer <<<"$target"
    load "$name" "$url" "$bearer" "round$round" "$DURATION"
  done
done
sed -i 's/ round[0-9]* / measured /' "$SLICES"
summarize measured | tee "$WORK/measured.txt"

echo "== a fresh pod (the image's layout and AOT cache, trained by docker/train.sh): its first ${FRESH}s of load =="
image_layout "$JAR" "$WORK/app"
FRESH_PORT=$(free_port)
started=$(date +%s%N)
start_pod fresh "$FRESH_PORT"
wait_ready "http://127.0.0.1:$FRESH_PORT/actuator/health/readiness"
echo "ready after $(( ($(date +%s%N) - started) / 1000000 )) ms (JVM start to readiness answering 200)"
FRESH_ID=$(created_id "http://127.0.0.1:$FRESH_PORT/api/v1/sessions")
read -r jit_before all_before <<<"$(cpu_seconds "$POD_PID")"
load fresh-pod "http://127.0.0.1:$FRESH_PORT/api/v1/sessions/$FRESH_ID" "" fresh "$FRESH"
read -r jit_after all_after <<<"$(cpu_seconds "$POD_PID")"
summarize fresh | tee "$WORK/fresh.txt"
awk -v j="$jit_after" -v j0="$jit_before" -v a="$all_after" -v a0="$all_before" -v s="$FRESH" -v cores="$(nproc)" 'BEGIN {
  printf "CPU of the fresh pod over those %ds (of %d core-seconds): %.1f s, of which %.1f s in its JIT compiler threads\n",
    s, s * cores, a - a0, j - j0 }'

echo "== summary =="
rate() { awk -v t="$1" '$1 == t { print $2 }' "$2"; }
ours=$(rate ours "$WORK/measured.txt") jwt=$(rate ours-jwt "$WORK/measured.txt")
peer=$(rate spring-session "$WORK/measured.txt") bare=$(rate bare "$WORK/measured.txt")
fresh=$(rate fresh-pod "$WORK/fresh.txt")
p99=$(awk '$1 == "ours" { print $8 }' "$WORK/measured.txt")
awk -v o="$ours" -v j="$jwt" -v s="$peer" -v b="$bare" -v f="$fresh" -v p99="$p99" -v fresh="$FRESH" 'BEGIN {
    printf "ours / spring-session : %.2fx (target >= 1.5x)\n", o / s
    printf "ours / bare           : %.2fx (target >= 0.6x)\n", o / b
    printf "ours p99              : %.2f ms (median second; target <= 5 ms)\n", p99
    printf "jwt / anonymous       : %.2fx (target >= 0.8x)\n", j / o
    printf "fresh pod / warm      : %.2fx over its first %ds (target >= 0.6x)\n", f / o, fresh
  }'
mkdir -p "$(dirname "$REPORT")"
"$JAVA" bench/Report.java "$SLICES" "$REPORT" "GET of a cached session: wrk -t2 -c$CONNECTIONS, $(nproc) cores"
echo "report  : $REPORT"
