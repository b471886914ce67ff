#!/usr/bin/env bash
# A private Docker engine for the container tests:  .ci/docker-engine.sh start|stop|status
#
# Why private and bridgeless: CI machines have no registry and must never send traffic to a
# 172.x address, so the engine runs without a bridge network, iptables or masquerading (containers
# use host networking and bind 127.0.0.1), and with a dead proxy so that an accidental image pull
# fails at once instead of hanging. Its own socket, data and exec folders let it run next to any
# other engine on the machine.
#
# State lives in $DOCKER_ENGINE_DIR (default /tmp/scrapinghubio-docker). After `start`,
# `source $DOCKER_ENGINE_DIR/env` points the docker CLI and Testcontainers at it.
# Needs dockerd on PATH (Debian: apt-get install -y docker.io iptables) and root.
set -euo pipefail

dir=${DOCKER_ENGINE_DIR:-/tmp/scrapinghubio-docker}
sock="$dir/docker.sock"
pidfile="$dir/dockerd.pid"
start_timeout_s=${DOCKER_ENGINE_START_TIMEOUT:-60}

running() {
  [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

start() {
  if running; then
    echo "docker engine: already running (pid $(cat "$pidfile"), $sock)"
    return 0
  fi
  command -v dockerd >/dev/null || { echo "docker engine: dockerd not found (apt-get install -y docker.io iptables)" >&2; exit 1; }
  mkdir -p "$dir/data" "$dir/exec"
  # setsid: the engine must outlive the shell's job control; it is stopped by PID below.
  HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 NO_PROXY= \
    setsid dockerd --host "unix://$sock" --pidfile "$pidfile" --data-root "$dir/data" --exec-root "$dir/exec" \
      --storage-driver=vfs --bridge=none --iptables=false --ip-masq=false \
      >"$dir/dockerd.log" 2>&1 </dev/null &
  # Testcontainers: no Ryuk (its image cannot be pulled; the tests stop their own containers), and
  # "localhost" as the host (this machine has /.dockerenv, so Testcontainers would otherwise think it
  # runs in a container and look for a bridge gateway that does not exist).
  cat >"$dir/env" <<EOF
export DOCKER_HOST=unix://$sock
export TESTCONTAINERS_RYUK_DISABLED=true
export TESTCONTAINERS_HOST_OVERRIDE=localhost
EOF
  local waited=0
  until DOCKER_HOST="unix://$sock" docker info >/dev/null 2>&1; do
    if [ "$waited" -ge $((start_timeout_s * 10)) ]; then
      echo "docker engine: not ready after ${start_timeout_s}s; last log lines:" >&2
      tail -20 "$dir/dockerd.log" >&2
      exit 1
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  echo "docker engine: ready in $((waited / 10)).$((waited % 10))s (pid $(cat "$pidfile"), DOCKER_HOST=unix://$sock)"
}

stop() {
  if running; then
    local pid
    pid=$(cat "$pidfile")
    # Containers the tests left behind (a crashed test run): removed while the engine can still do it.
    DOCKER_HOST="unix://$sock" docker ps -aq 2>/dev/null | xargs -r env DOCKER_HOST="unix://$sock" docker rm -f >/dev/null 2>&1 || true
    kill "$pid"
    for _ in $(seq 1 200); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "docker engine: pid $pid did not stop in 20s, killing it" >&2
      kill -9 "$pid" 2>/dev/null || true
    fi
    echo "docker engine: stopped (pid $pid)"
  fi
  # The engine leaves mounts (its network namespace) under the exec folder: unmount them, deepest
  # first, or the folder cannot be deleted.
  if [ -d "$dir" ]; then
    awk -v d="$dir/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do
      umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
    done
    rm -rf "$dir"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if running; then echo "running (pid $(cat "$pidfile"))"; else echo "stopped"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|status   (state in \$DOCKER_ENGINE_DIR, default /tmp/scrapinghubio-docker)" >&2; exit 2 ;;
esac
