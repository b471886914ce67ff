#!/usr/bin/env bash
# A Flink 1.19 standalone session cluster on loopback: one JobManager and two TaskManagers, each its
# own JVM, as Flink's jobmanager.sh / taskmanager.sh would start them.
#
#   .ci/flink-cluster.sh start              assemble lib/ from Maven Central, start, wait until both TaskManagers registered
#   .ci/flink-cluster.sh add-taskmanager    start one more TaskManager (e.g. to replace a killed one); prints "taskmanager-N PID"
#   .ci/flink-cluster.sh stop               stop every process it started, by PID
#   .ci/flink-cluster.sh status
#
# State lives in $FLINK_CLUSTER_DIR (default /tmp/scrapinghubio-flink): lib/, conf/, log/, pids/ and
# `env`, which `start` writes for the tests: FLINK_CLUSTER_DIR, FLINK_REST_URL, FLINK_MASTER (host:port
# for Beam's --flinkMaster) and FLINK_LIB (the cluster's jars, for a job client's class path).
# Flink's own distribution (flink-dist) is not on Maven Central, so lib/ is what .ci/flink-cluster/pom.xml
# resolves; extra Maven flags come from $MAVEN_ARGS.
# The TaskManagers inherit the environment of the command that starts them: start (and add-taskmanager)
# with SH_APIKEY set, and the jobs' workers read the Scrapy Cloud key from it, as on a real cluster.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
dir=${FLINK_CLUSTER_DIR:-/tmp/scrapinghubio-flink}
start_timeout_s=${FLINK_CLUSTER_START_TIMEOUT:-180}
taskmanagers=${FLINK_TASKMANAGERS:-2}

# What Flink's scripts add on Java 17 (env.java.opts.all of its distribution): Kryo, Pekko and the
# network stack reach into these JDK packages.
java17_flags=(
  --add-exports=java.base/sun.net.util=ALL-UNNAMED
  --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
)

log() { echo "flink cluster: $*"; }
fail() { echo "flink cluster: $*" >&2; exit 1; }

# shellcheck source=free-port.sh
source "$(dirname "${BASH_SOURCE[0]}")/free-port.sh"

assemble_lib() {
  if [ -f "$dir/lib/.complete" ]; then
    return 0
  fi
  rm -rf "$dir/lib"
  # shellcheck disable=SC2086 # MAVEN_ARGS is a list of flags
  mvn -B -q -Dstyle.color=never -f "$here/flink-cluster/pom.xml" ${MAVEN_ARGS:-} dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$dir/lib"
  touch "$dir/lib/.complete"
}

write_conf() {
  local rest_port=$1 rpc_port=$2
  mkdir -p "$dir/conf" "$dir/log" "$dir/tmp" "$dir/pids"
  cat >"$dir/conf/config.yaml" <<EOF
# Everything on loopback: nothing listens on, or talks to, another address.
jobmanager.rpc.address: 127.0.0.1
jobmanager.rpc.port: $rpc_port
jobmanager.bind-host: 127.0.0.1
rest.address: 127.0.0.1
rest.bind-address: 127.0.0.1
rest.port: $rest_port
taskmanager.host: 127.0.0.1
taskmanager.bind-host: 127.0.0.1
metrics.internal.query-service.port: 0
io.tmp.dirs: $dir/tmp
# One slot per TaskManager: a job of parallelism 2 runs on both of them.
taskmanager.numberOfTaskSlots: 1
parallelism.default: 2
jobmanager.memory.process.size: 1024m
taskmanager.memory.process.size: 2048m
taskmanager.memory.managed.fraction: 0.2
# A killed TaskManager is noticed in seconds, not in the default 50 s.
heartbeat.interval: 2000
heartbeat.timeout: 10000
# Failed jobs restart: a lost TaskManager costs a restart, not the job. A streaming job's attempt fails
# at once while a slot is missing (a batch job's waits for one), so the attempts must outlast the
# start of a replacement TaskManager (5 attempts did not, for the follow test): 30 x 2 s.
restart-strategy.type: fixed-delay
restart-strategy.fixed-delay.attempts: 30
restart-strategy.fixed-delay.delay: 2 s
EOF
  cat >"$dir/conf/log4j.properties" <<'EOF'
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = MainAppender
appender.main.name = MainAppender
appender.main.type = File
appender.main.fileName = ${sys:log.file}
appender.main.layout.type = PatternLayout
appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
logger.pekko.name = org.apache.pekko
logger.pekko.level = WARN
EOF
}

# The JVM flags and dynamic properties Flink derives from the memory settings (what its scripts do).
resource_params() {
  local kind=$1 out
  out=$(java -cp "$dir/lib/*" -Dlog4j2.level=ERROR org.apache.flink.runtime.util.bash.BashJavaUtils "$kind" \
    --configDir "$dir/conf" 2>&1 | grep '^BASH_JAVA_UTILS_EXEC_RESULT:' | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://') ||
    fail "BashJavaUtils $kind failed"
  echo "$out"
}

# start_process NAME MAIN_CLASS [ARGS...]: in its own session, output to log/NAME.out, PID to pids/NAME.pid.
start_process() {
  local name=$1 main=$2 jvm_params=$3
  shift 3
  # shellcheck disable=SC2086 # jvm_params is a list of flags
  setsid java $jvm_params "${java17_flags[@]}" -Dlog.file="$dir/log/$name.log" \
    -Dlog4j.configurationFile="file:$dir/conf/log4j.properties" -classpath "$dir/lib/*" "$main" "$@" \
    >"$dir/log/$name.out" 2>&1 </dev/null &
  echo $! >"$dir/pids/$name.pid"
}

start_taskmanager() {
  local name=$1 params
  params=$(resource_params GET_TM_RESOURCE_PARAMS)
  # shellcheck disable=SC2046 # the dynamic properties are a list of "-D key=value" words
  start_process "$name" org.apache.flink.runtime.taskexecutor.TaskManagerRunner "$(echo "$params" | head -1)" \
    --configDir "$dir/conf" $(echo "$params" | tail -1) -D "taskmanager.resource-id=$name"
}

rest_url() {
  grep '^export FLINK_REST_URL=' "$dir/env" | cut -d= -f2-
}

registered_taskmanagers() {
  curl -sf --max-time 2 "$(rest_url)/overview" | sed -n 's/.*"taskmanagers":\([0-9]*\).*/\1/p'
}

# Fails if a process of the cluster has died (with its last log lines), so a broken start is not waited out.
check_alive() {
  local f
  for f in "$dir"/pids/*.pid; do
    if ! kill -0 "$(cat "$f")" 2>/dev/null; then
      local name
      name=$(basename "$f" .pid)
      tail -30 "$dir/log/$name.out" "$dir/log/$name.log" >&2 2>/dev/null || true
      fail "$name (pid $(cat "$f")) exited"
    fi
  done
}

start() {
  if [ -f "$dir/pids/jobmanager.pid" ] && kill -0 "$(cat "$dir/pids/jobmanager.pid")" 2>/dev/null; then
    log "already running ($(rest_url))"
    return 0
  fi
  local t0=$SECONDS
  mkdir -p "$dir"
  assemble_lib
  local rest_port rpc_port
  rest_port=$(free_port)
  rpc_port=$(free_port)
  while [ "$rpc_port" = "$rest_port" ]; do rpc_port=$(free_port); done
  write_conf "$rest_port" "$rpc_port"
  cat >"$dir/env" <<EOF
export FLINK_CLUSTER_DIR=$dir
export FLINK_REST_URL=http://127.0.0.1:$rest_port
export FLINK_MASTER=127.0.0.1:$rest_port
export FLINK_LIB=$dir/lib
EOF
  local params
  params=$(resource_params GET_JM_RESOURCE_PARAMS)
  # shellcheck disable=SC2046 # the dynamic properties are a list of "-D key=value" words
  start_process jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint \
    "$(echo "$params" | head -1)" --configDir "$dir/conf" --executionMode cluster $(echo "$params" | tail -1)
  for i in $(seq 1 "$taskmanagers"); do
    start_taskmanager "taskmanager-$i"
  done
  local deadline=$((SECONDS + start_timeout_s))
  until [ "$(registered_taskmanagers)" = "$taskmanagers" ]; do
    check_alive
    [ $SECONDS -lt $deadline ] || { tail -20 "$dir"/log/*.log >&2; fail "not ready after ${start_timeout_s}s"; }
    sleep 0.5
  done
  log "ready in $((SECONDS - t0))s: 1 JobManager + $taskmanagers TaskManagers, REST $(rest_url) (pids $(cat "$dir"/pids/*.pid | tr '\n' ' '))"
}

add_taskmanager() {
  [ -f "$dir/env" ] || fail "not started ($dir/env missing)"
  local n=1
  while [ -f "$dir/pids/taskmanager-$n.pid" ]; do n=$((n + 1)); done
  start_taskmanager "taskmanager-$n"
  local deadline=$((SECONDS + 60))
  until grep -q "Successful registration at resource manager" "$dir/log/taskmanager-$n.log" 2>/dev/null; do
    kill -0 "$(cat "$dir/pids/taskmanager-$n.pid")" 2>/dev/null || { tail -30 "$dir/log/taskmanager-$n.out" >&2; fail "taskmanager-$n exited"; }
    [ $SECONDS -lt $deadline ] || fail "taskmanager-$n did not register in 60s"
    sleep 0.2
  done
  echo "taskmanager-$n $(cat "$dir/pids/taskmanager-$n.pid")"
}

stop() {
  [ -d "$dir/pids" ] || { log "not running"; return 0; }
  local f pids=()
  for f in "$dir"/pids/*.pid; do
    [ -f "$f" ] || continue
    local pid
    pid=$(cat "$f")
    if kill "$pid" 2>/dev/null; then
      pids+=("$pid")
    fi
  done
  # Flink shuts down cleanly on SIGTERM; a process that has not after 30 s is killed.
  local deadline=$((SECONDS + 30)) pid
  for pid in "${pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$dir/pids" "$dir/tmp"
  log "stopped (pids ${pids[*]:-none})"
}

status() {
  [ -f "$dir/env" ] || { echo "stopped"; exit 1; }
  for f in "$dir"/pids/*.pid; do
    [ -f "$f" ] || continue
    if kill -0 "$(cat "$f")" 2>/dev/null; then state=running; else state=dead; fi
    echo "$(basename "$f" .pid) pid $(cat "$f") $state"
  done
  echo "registered TaskManagers: $(registered_taskmanagers || echo '?') at $(rest_url)"
}

case "${1:-}" in
  start) start ;;
  add-taskmanager) add_taskmanager ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|add-taskmanager|stop|status   (state in \$FLINK_CLUSTER_DIR, default /tmp/scrapinghubio-flink)" >&2; exit 2 ;;
esac
