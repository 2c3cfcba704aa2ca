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
