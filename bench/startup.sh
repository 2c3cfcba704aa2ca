#!/usr/bin/env bash
# Start-up of the service: time from starting the JVM to the first answered request, for
# the plain jar, the image's layout (extracted layers) and the image's layout with the JDK's
# AOT cache from a training run, as the Dockerfile builds it. Embedded default (memory store);
# last, the image's layout with its cache on a Redis store, as pods run in production (to the
# first request that readiness answers, Redis connected). See bench/README.md.
#
# Usage: bench/startup.sh
# Knobs (environment variables):
#   RUNS=5       starts per variant; the median and the best are printed
#   JAR=path     service jar; built with ./mvnw when absent
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh

RUNS=${RUNS:-5}
JAR=${JAR:-target/vmcp-sessions-0.1.0.jar}

start_run startup
use_jdk_21_or_newer
JAVA="$JAVA_HOME/bin/java"
require_tools curl redis-server redis-cli
[ "$(java_major "$JAVA")" -ge 25 ] || die "the AOT cache needs a JDK 25 or newer (found $("$JAVA" -version 2>&1 | head -n 1))"
[ -f "$JAR" ] || ./mvnw -q -DskipTests package

# --- the image's layout, with its AOT cache trained by docker/train.sh as in the Dockerfile -----
image_layout "$JAR" "$WORK/app"

first_answer_ms() { # first_answer_ms <dir> <java options and jar...>: ms from exec to the first 200
  local dir=$1 port started now pid
  shift
  local probe=${PROBE:-liveness}
  port=$(free_port)
  started=$(date +%s%N)
  (cd "$dir" && exec "$JAVA" "$@" --server.port="$port" --server.address=127.0.0.1 --logging.level.root=warn \
    >"$WORK/start.log" 2>&1) &
  pid=$!
  # Polled every 10 ms (not with wait_ok) so that the figure is precise
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/actuator/health/$probe")" = 200 ]; do
    kill -0 "$pid" 2>/dev/null || die "the service exited at start-up"
    sleep 0.01
  done
  now=$(date +%s%N)
  stop "$pid" 10
  echo $(((now - started) / 1000000))
}
measure() { # measure <label> <dir> <java options and jar...>
  local label=$1 times=()
  shift
  for _ in $(seq "$RUNS"); do
    times+=("$(first_answer_ms "$@")")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v label="$label" '{ t[NR] = $1 }
    END { printf "%-34s median %5d ms   best %5d ms   (%s)\n", label, t[int((NR + 1) / 2)], t[1], NR " runs" }'
}

cat <<INFO
== vmcp-sessions start-up: JVM start to the first answered request (GET /actuator/health/liveness) ==
machine : $(nproc) cores, $(uname -sr); JDK $("$JAVA" -version 2>&1 | head -n 1)
service : $JAR, embedded default (memory store), $RUNS starts per variant, one at a time
INFO
measure "jar (java -jar)" . -jar "$(pwd)/$JAR"
measure "image layout" "$WORK/app" -jar application.jar
measure "image layout + AOT cache" "$WORK/app" -XX:AOTCache=application.aot -jar application.jar
start_redis
PROBE=readiness measure "the same, Redis store (readiness)" "$WORK/app" -XX:AOTCache=application.aot -jar application.jar \
  --vmcp.session.store=redis --vmcp.session.binding-secret=bench --spring.data.redis.port="$REDIS_PORT"
