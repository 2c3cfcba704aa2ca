#!/usr/bin/env bash
# Training run of the image's AOT cache: starts the application from the current directory
# (the image's layout), sends it the requests of its hot paths for a while, and stops it; on
# exit the JVM writes application.aot with the classes it loaded and linked and the method
# profiles it gathered, so that a fresh pod compiles its hot paths from its first seconds.
#
# When redis-server is installed, the application trains on the Redis store, as pods run in
# production: a private redis-server (no persistence) is started for the run and stopped
# after it. Otherwise it trains on the in-memory store, and a pod on Redis then loads and
# links the Redis client's classes itself at start-up (about 0.4 s more on 2 cores).
# Needs bash (its /dev/tcp) and java. Usage: train.sh [requests, default 4000]
set -euo pipefail

REQUESTS=${1:-4000}
PORT=${TRAINING_PORT:-18089}
REDIS_PORT=${TRAINING_REDIS_PORT:-18090}
JAVA=${JAVA:-java}

STORE=(--vmcp.session.store=memory)
if command -v redis-server >/dev/null; then
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >redis-training.log 2>&1 &
  REDIS=$!
  trap 'kill "$REDIS" 2>/dev/null; wait "$REDIS" 2>/dev/null; rm -f redis-training.log' EXIT
  STORE=(--vmcp.session.store=redis --spring.data.redis.host=127.0.0.1 --spring.data.redis.port="$REDIS_PORT")
fi

# A heap of its own, whatever JAVA_TOOL_OPTIONS says: a cache written with a heap of 32 GB or
# more (75 % of a large build host) has no compressed object pointers, and no pod that has
# them could use it. Heap sizes below 32 GB may differ between the training and the pods.
"$JAVA" -XX:AOTCacheOutput=application.aot -Xms256m -Xmx1g -jar application.jar --server.port="$PORT" \
  --server.address=127.0.0.1 --logging.level.root=warn --vmcp.session.binding-secret=training "${STORE[@]}" &
APP=$!

http() { # http <method> <path> [body]: one request on its own connection; prints the answer
  local body=${3:-}
  exec 3<>"/dev/tcp/127.0.0.1/$PORT"
  printf '%s %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nMCP-Protocol-Version: 2025-06-18\r\n%sContent-Length: %d\r\n\r\n%s' \
    "$1" "$2" "${SESSION_HEADER:-}" "${#body}" "$body" >&3
  cat <&3
  exec 3<&-
}

for _ in $(seq 600); do
  http GET /actuator/health/readiness 2>/dev/null | grep -q '"UP"' && break
  kill -0 "$APP" 2>/dev/null || { echo "the application exited during training" >&2; exit 1; }
  sleep 0.1
done

id=$(http POST /api/v1/sessions '{"metadata":{"client":"training"}}' | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
[ -n "$id" ] || { echo "no session was created during training" >&2; kill "$APP"; exit 1; }
mcp=$(http POST /mcp '{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"training","version":"1"}}}' |
  tr -d '\r' | awk -F': ' 'tolower($1) == "mcp-session-id" { print $2 }')
for i in $(seq "$REQUESTS"); do
  http GET "/api/v1/sessions/$id" >/dev/null
  if [ -n "$mcp" ] && [ $((i % 4)) -eq 0 ]; then
    SESSION_HEADER="Mcp-Session-Id: $mcp"$'\r\n' http POST /mcp '{"jsonrpc":"2.0","id":1,"method":"tools/list"}' >/dev/null
  fi
done

kill -TERM "$APP"
wait "$APP" || true
[ -s application.aot ] || { echo "the JVM wrote no AOT cache" >&2; exit 1; }
