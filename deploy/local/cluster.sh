#!/usr/bin/env bash
# deploy/local/cluster.sh: a real Kafka broker process and a Flink standalone session cluster
# (one JobManager, one TaskManager process) on loopback, assembled from Maven Central artifacts.
#
#   deploy/local/cluster.sh build            build the job jar and the cluster's lib/ (Maven)
#   deploy/local/cluster.sh up               start the broker, the JobManager and the TaskManager
#   deploy/local/cluster.sh submit [ARGS]    submit the job jar (creates the topics); ARGS go to
#                                            `elapse run`, e.g. -Delapse.checkpoint.interval=5s
#   deploy/local/cluster.sh status           processes, Kafka address, web UI address, jobs
#   deploy/local/cluster.sh bootstrap        print the broker's bootstrap address
#   deploy/local/cluster.sh elapse ARGS      run the Elapse CLI (generate, tail, model ...)
#   deploy/local/cluster.sh down             stop everything, delete the data (logs are kept)
#   deploy/local/cluster.sh kill|stop|start taskmanager|broker   fault injection (chaos.sh)
#
# Everything lives in $ELAPSE_LOCAL_DIR (default deploy/local/target/cluster): conf/ (generated
# config.yaml), log/, pids/, data/ (Kafka logs, checkpoints, temp files; deleted by down).
# With ELAPSE_LOCAL_OWNER_PID set, `up` also starts a watchdog that runs `down` as soon as that
# process is gone, so a killed script leaves nothing running.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
WORK="${ELAPSE_LOCAL_DIR:-$HERE/target/cluster}"
LIB="$HERE/target/flink-lib"
JOB_JAR="$ROOT/pipeline/target/elapse-pipeline.jar"
TOOLS_CP_FILE="$ROOT/pipeline/target/runtime.classpath"
ENTRY_CLASS="io.elapse.pipeline.cli.ElapseCli"
CONF="$WORK/conf"
LOG="$WORK/log"
PIDS="$WORK/pids"
DATA="$WORK/data"
STARTUP_TIMEOUT="${ELAPSE_LOCAL_STARTUP_TIMEOUT:-120}"

log() { printf 'local-cluster: %s\n' "$*" >&2; }
die() {
  log "$*"
  exit 1
}

# Java 17 opens every Flink JVM needs (RECIPES.md).
JAVA_OPENS=()
for pkg in java.lang java.net java.io java.nio sun.nio.ch java.lang.reflect java.text java.time \
  java.util java.util.concurrent java.util.concurrent.atomic java.util.concurrent.locks; do
  JAVA_OPENS+=("--add-opens=java.base/$pkg=ALL-UNNAMED")
done
# Temp files and JavaCPP's native cache stay inside the work dir, so `down` leaves nothing behind.
# The model's cell runs on the JDK Vector API when its incubator module is enabled, each loop
# compiled on its own so C2 inlines the vector operations whole (model/cell/Kernels); a Java
# without the module would refuse --add-modules, so ask it first.
VECTOR_OPTS=()
if java --list-modules 2>/dev/null | grep -q '^jdk.incubator.vector@'; then
  VECTOR_OPTS=("--add-modules=jdk.incubator.vector" "-XX:CompileCommand=quiet"
    "-XX:CompileCommand=dontinline,io.elapse.model.cell.Vec::*")
fi
JAVA_COMMON=(
  "${JAVA_OPENS[@]}"
  "${VECTOR_OPTS[@]}"
  "-Djava.io.tmpdir=$DATA/tmp"
  "-Dorg.bytedeco.javacpp.cachedir=$DATA/javacpp-cache"
)

# ---------------------------------------------------------------------------------------------
# helpers

pid_of() { [[ -f "$PIDS/$1.pid" ]] && cat "$PIDS/$1.pid"; }

# True when the process in pids/NAME.pid is alive and is ours (its command line names WORK).
alive() {
  local pid
  pid="$(pid_of "$1")" || return 1
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$WORK"
}

# A TCP port on 127.0.0.1 that nothing listens on now.
free_port() {
  local p
  for _ in $(seq 200); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return 0
    fi
  done
  die "no free port found"
}

# GET http://127.0.0.1:PORT/PATH, body on stdout (bash only: no curl needed).
http_get() {
  local port="$1" path="$2" response
  response="$(
    { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || exit 1
    printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$path" >&3
    timeout 10 cat <&3
  )" 2>/dev/null || return 1
  [[ "$response" == HTTP/1.?" 200"* ]] || return 1
  printf '%s\n' "${response#*$'\r\n\r\n'}"
}

rest_port() { cat "$WORK/rest.port" 2>/dev/null; }
bootstrap_servers() { cat "$DATA/kafka/bootstrap.servers" 2>/dev/null; }

# Starts "$@" detached (own session, survives this script) with output to log/NAME.out.
start_process() {
  local name="$1"
  shift
  nohup setsid "$@" >"$LOG/$name.out" 2>&1 </dev/null &
  echo $! >"$PIDS/$name.pid"
}

# Waits until "$@" succeeds or NAME dies or the startup timeout passes.
await() {
  local name="$1" what="$2"
  shift 2
  local deadline=$((SECONDS + STARTUP_TIMEOUT))
  until "$@"; do
    if ! alive "$name"; then
      tail -n 40 "$LOG/$name.out" "$LOG/$name.log" 2>/dev/null >&2 || true
      die "$name exited before $what (logs: $LOG)"
    fi
    ((SECONDS < deadline)) || die "$name: no $what within ${STARTUP_TIMEOUT}s (logs: $LOG)"
    sleep 1
  done
}

require_built() {
  [[ -f "$JOB_JAR" && -f "$TOOLS_CP_FILE" && -d "$LIB" ]] \
    || die "not built yet: run '$0 build' (or 'mvn -B -DskipTests install') first"
}

tools_java() {
  exec java "${JAVA_OPENS[@]}" -cp "$ROOT/pipeline/target/classes:$(cat "$TOOLS_CP_FILE")" "$@"
}

# ---------------------------------------------------------------------------------------------
# commands

cmd_build() {
  command -v mvn >/dev/null || die "Maven (mvn) is required on PATH"
  log "building the job jar and the cluster's lib/ (mvn install, tests skipped) ..."
  (cd "$ROOT" && mvn -B -q -DskipTests -Dspotless.check.skip=true install) >&2
}

write_config() {
  local jm_rpc="$1" rest="$2"
  mkdir -p "$CONF"
  # Flink 2.x reads conf/config.yaml (standard YAML; flat keys are accepted).
  cat >"$CONF/config.yaml" <<EOF
# Generated by deploy/local/cluster.sh up; loopback only.
jobmanager.rpc.address: 127.0.0.1
jobmanager.rpc.port: $jm_rpc
jobmanager.bind-host: 127.0.0.1
jobmanager.memory.process.size: 1024m
taskmanager.host: 127.0.0.1
taskmanager.bind-host: 127.0.0.1
taskmanager.memory.process.size: 2048m
taskmanager.numberOfTaskSlots: 2
rest.address: 127.0.0.1
rest.bind-address: 127.0.0.1
rest.port: $rest
web.tmpdir: $DATA/web
blob.storage.directory: $DATA/blobs
io.tmp.dirs: $DATA/tmp
state.backend.type: hashmap
execution.checkpointing.dir: file://$DATA/checkpoints
# Detect a lost TaskManager in seconds, not the default 50 s.
heartbeat.timeout: 15000
# ND4J/DL4J/JavaCPP come from lib/ (the system classpath); never from a job's class loader.
classloader.parent-first-patterns.additional: [org.nd4j., org.deeplearning4j., org.bytedeco.]
EOF
  cat >"$CONF/log4j.properties" <<'EOF'
monitorInterval = 30
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = MainAppender
logger.kafka.name = org.apache.kafka
logger.kafka.level = WARN
logger.pekko.name = org.apache.pekko
logger.pekko.level = WARN
appender.main.name = MainAppender
appender.main.type = File
appender.main.append = true
appender.main.fileName = ${sys:log.file}
appender.main.layout.type = PatternLayout
appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
EOF
  cat >"$CONF/log4j-console.properties" <<'EOF'
rootLogger.level = WARN
rootLogger.appenderRef.console.ref = ConsoleAppender
appender.console.name = ConsoleAppender
appender.console.type = CONSOLE
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-40c - %m%n
EOF
}

# The two BASH_JAVA_UTILS_EXEC_RESULT lines (JVM memory flags, then -D settings) for KIND=JM|TM.
resource_params() {
  local out
  out="$(java "${JAVA_COMMON[@]}" -cp "$LIB/*" \
    -Dlog4j.configurationFile="file:$CONF/log4j-console.properties" \
    org.apache.flink.runtime.util.bash.BashJavaUtils "GET_$1_RESOURCE_PARAMS" --configDir "$CONF" 2>&1)" \
    || die "BashJavaUtils GET_$1_RESOURCE_PARAMS failed: $out"
  grep '^BASH_JAVA_UTILS_EXEC_RESULT:' <<<"$out" | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://'
}

flink_process() {
  local name="$1" main="$2" kind="$3"
  local params jvm dynamic
  params="$(resource_params "$kind")"
  jvm="$(sed -n 1p <<<"$params")"
  dynamic="$(sed -n 2p <<<"$params")"
  [[ -n "$jvm" ]] || die "no JVM parameters for the $name from BashJavaUtils"
  # shellcheck disable=SC2086 # the two lines are space-separated flag lists by design
  FLINK_CONF_DIR="$CONF" FLINK_LIB_DIR="$LIB" FLINK_PLUGINS_DIR="$WORK/plugins" OMP_NUM_THREADS=1 \
    start_process "$name" java $jvm "${JAVA_COMMON[@]}" \
    -Dlog.file="$LOG/$name.log" -Dlog4j.configurationFile="file:$CONF/log4j.properties" \
    -cp "$LIB/*" "$main" --configDir "$CONF" $dynamic
}

# Starts the broker; on a restart with the same data dir and the same ports as before.
start_broker() {
  local ports=()
  if [[ -f "$DATA/kafka/server.properties" ]]; then
    # listeners=PLAINTEXT\://127.0.0.1\:PORT,CONTROLLER\://127.0.0.1\:CONTROLLER_PORT
    read -r -a ports <<<"$(grep '^listeners=' "$DATA/kafka/server.properties" \
      | grep -oE ':[0-9]+(,|$)' | tr -dc '0-9\n' | tr '\n' ' ')"
    ports=(--port "${ports[0]}" --controller-port "${ports[1]}")
    rm -f "$DATA/kafka/bootstrap.servers"
  fi
  log "starting the Kafka broker (io.elapse.connectors.KafkaBrokerMain) ..."
  start_process broker java "${JAVA_COMMON[@]}" -Dlog.file="$LOG/broker.log" \
    -cp "$ROOT/pipeline/target/classes:$(cat "$TOOLS_CP_FILE")" \
    io.elapse.connectors.KafkaBrokerMain --data-dir "$DATA/kafka" "${ports[@]}"
}

start_taskmanager() {
  log "starting the TaskManager (TaskManagerRunner) ..."
  flink_process taskmanager org.apache.flink.runtime.taskexecutor.TaskManagerRunner TM
}

broker_ready() { [[ -s "$DATA/kafka/bootstrap.servers" ]]; }
jm_ready() { http_get "$(rest_port)" /overview >/dev/null; }
tm_ready() {
  http_get "$(rest_port)" /overview | grep -q '"taskmanagers":[1-9]'
}

cmd_up() {
  require_built
  if alive broker || alive jobmanager || alive taskmanager; then
    die "already running (see '$0 status'; '$0 down' stops it)"
  fi
  rm -rf "$DATA" "$PIDS" "$CONF"
  mkdir -p "$LOG" "$PIDS" "$DATA/tmp" "$DATA/kafka" "$WORK/plugins"
  # If this script fails half-way, take down what it started.
  trap 'log "start failed; stopping what was started"; cmd_down' ERR INT TERM

  if [[ -n "${ELAPSE_LOCAL_OWNER_PID:-}" ]]; then
    nohup setsid bash "$HERE/cluster.sh" _watchdog "$ELAPSE_LOCAL_OWNER_PID" \
      >"$LOG/watchdog.out" 2>&1 </dev/null &
    echo $! >"$PIDS/watchdog.pid"
  fi

  start_broker

  local jm_rpc rest
  jm_rpc="$(free_port)"
  rest="$(free_port)"
  while [[ "$rest" == "$jm_rpc" ]]; do rest="$(free_port)"; done
  write_config "$jm_rpc" "$rest"
  echo "$rest" >"$WORK/rest.port"

  log "starting the JobManager (StandaloneSessionClusterEntrypoint) ..."
  flink_process jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint JM
  start_taskmanager

  await broker "bootstrap address" broker_ready
  await jobmanager "REST endpoint on port $rest" jm_ready
  await taskmanager "registration with the JobManager" tm_ready
  trap - ERR INT TERM
  log "up: Kafka at $(bootstrap_servers); Flink web UI at http://127.0.0.1:$rest"
  echo "ELAPSE_KAFKA_BOOTSTRAP=$(bootstrap_servers)"
  echo "FLINK_WEB_UI=http://127.0.0.1:$rest"
}

cmd_submit() {
  require_built
  alive jobmanager || die "the cluster is not running: '$0 up' first"
  local bootstrap out
  bootstrap="$(bootstrap_servers)"
  log "submitting $JOB_JAR ($ENTRY_CLASS run) to http://127.0.0.1:$(rest_port) ..."
  out="$(FLINK_CONF_DIR="$CONF" FLINK_LIB_DIR="$LIB" FLINK_PLUGINS_DIR="$WORK/plugins" \
    java "${JAVA_COMMON[@]}" -Dlog.file="$LOG/client.log" \
    -Dlog4j.configurationFile="file:$CONF/log4j-console.properties" \
    -cp "$LIB/*" org.apache.flink.client.cli.CliFrontend run --detached \
    --class "$ENTRY_CLASS" "$JOB_JAR" \
    run --bootstrap-servers "$bootstrap" --create-topics \
    "-Delapse.checkpoint.dir=file://$DATA/checkpoints" "$@" 2>&1)" || {
    printf '%s\n' "$out" >&2
    die "submission failed"
  }
  printf '%s\n' "$out" >"$LOG/submit.out"
  local job
  job="$(grep -o 'submitted with JobID [0-9a-f]*' <<<"$out" | awk '{print $4}')"
  [[ -n "$job" ]] || {
    printf '%s\n' "$out" >&2
    die "no job id in the client's output"
  }
  echo "$job" >"$WORK/job.id"
  log "submitted job $job; watch it at http://127.0.0.1:$(rest_port)/#/job/running/$job/overview"
  echo "FLINK_JOB_ID=$job"
}

# Prints the state of the job (or nothing when the REST API does not answer).
job_state() {
  local job="${1:-$(cat "$WORK/job.id" 2>/dev/null)}"
  [[ -n "$job" ]] || return 1
  http_get "$(rest_port)" "/jobs/$job" | grep -o '"state":"[A-Z_]*"' | head -1 | cut -d'"' -f4
}

# Prints the id of the checkpoint the job was last restored from (nothing when never restored).
restored_checkpoint() {
  local job
  job="$(cat "$WORK/job.id" 2>/dev/null)" || return 1
  http_get "$(rest_port)" "/jobs/$job/checkpoints" | grep -oE '"restored":\{"id":[0-9]+' | grep -oE '[0-9]+$'
}

cmd_status() {
  local name
  for name in broker jobmanager taskmanager; do
    if alive "$name"; then
      printf '%-12s running (pid %s)\n' "$name" "$(pid_of "$name")"
    else
      printf '%-12s stopped\n' "$name"
    fi
  done
  alive broker && printf 'kafka        %s\n' "$(bootstrap_servers)"
  if alive jobmanager; then
    printf 'web UI       http://127.0.0.1:%s\n' "$(rest_port)"
    local overview
    if overview="$(http_get "$(rest_port)" /overview)"; then
      printf 'cluster      %s\n' "$(grep -oE '"(taskmanagers|slots-total|slots-available|jobs-running)":[0-9]+' <<<"$overview" | tr '\n' ' ')"
      http_get "$(rest_port)" /jobs/overview | grep -oE '"jid":"[0-9a-f]+","name":"[^"]*"|"state":"[A-Z_]+"' \
        | paste -d' ' - - | sed 's/^/job          /'
    fi
  fi
  printf 'logs         %s\n' "$LOG"
}

stop_process() {
  local name="$1" pid
  pid="$(pid_of "$name")" || return 0
  if alive "$name"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 30); do
      alive "$name" || break
      sleep 1
    done
    if alive "$name"; then
      log "$name (pid $pid) did not stop in 30 s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$PIDS/$name.pid"
}

cmd_down() {
  trap - ERR INT TERM
  local watchdog
  if [[ -z "${ELAPSE_LOCAL_IN_WATCHDOG:-}" ]] && watchdog="$(pid_of watchdog)"; then
    # Its own session: the group id is its pid (ends its sleep too).
    kill -TERM -- "-$watchdog" 2>/dev/null || true
    rm -f "$PIDS/watchdog.pid"
  fi
  stop_process taskmanager
  stop_process jobmanager
  stop_process broker
  rm -rf "$DATA" "$WORK/job.id" "$WORK/rest.port"
  rm -f "$PIDS/watchdog.pid"
  log "down (logs kept in $LOG)"
}

cmd_watchdog() {
  local owner="$1"
  while kill -0 "$owner" 2>/dev/null; do sleep 2; done
  log "watchdog: process $owner is gone; stopping the cluster"
  ELAPSE_LOCAL_IN_WATCHDOG=1 cmd_down
}

case "${1:-}" in
  build) cmd_build ;;
  up) cmd_up ;;
  submit) shift && cmd_submit "$@" ;;
  status) cmd_status ;;
  bootstrap)
    bootstrap_servers || die "the broker is not running"
    ;;
  job-state) shift && job_state "$@" ;;
  restored-checkpoint) restored_checkpoint ;;
  elapse)
    shift
    require_built
    tools_java "$ENTRY_CLASS" "$@"
    ;;
  down) cmd_down ;;
  kill)
    # Fault injection: SIGKILL, no shutdown hooks (taskmanager or broker).
    alive "${2:-}" || die "${2:-?} is not running"
    kill -KILL "$(pid_of "$2")"
    rm -f "$PIDS/$2.pid"
    log "killed $2 (SIGKILL)"
    ;;
  stop)
    stop_process "${2:-}"
    log "stopped ${2:-}"
    ;;
  start)
    case "${2:-}" in
      taskmanager)
        alive taskmanager && die "taskmanager is running"
        start_taskmanager
        await taskmanager "registration with the JobManager" tm_ready
        ;;
      broker)
        alive broker && die "broker is running"
        start_broker
        await broker "bootstrap address" broker_ready
        ;;
      *) die "start taskmanager|broker" ;;
    esac
    log "started ${2}"
    ;;
  _watchdog) cmd_watchdog "$2" ;;
  *)
    sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'
    [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]] || exit 2
    ;;
esac
