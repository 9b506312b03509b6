#!/usr/bin/env bash
# A real Flink session cluster on this machine, as separate JVM processes on loopback: a
# JobManager on 127.0.0.1 and two TaskManagers on 127.0.0.2 and 127.0.0.3, from the Flink jars
# the build already has; Tapio's streaming job submitted through Flink's REST API. The same
# code path as a Kubernetes deployment: one slot per TaskManager, the adaptive scheduler, the
# job jar without Flink in it, checkpoints, and one kernel split per TaskManager location.
#
#   flinkdeployments/local-cluster.sh start       JobManager + TaskManagers 1 and 2
#   flinkdeployments/local-cluster.sh submit      uploads the job jar, runs TapioJobMain (parallelism 2), prints the job id
#   flinkdeployments/local-cluster.sh status      TaskManagers, jobs, and which TaskManager reads which kernel
#   flinkdeployments/local-cluster.sh kill-tm N   kill -9 TaskManager N (1 or 2), as a node failure would
#   flinkdeployments/local-cluster.sh start-tm N  starts TaskManager N again, as Kubernetes would
#   flinkdeployments/local-cluster.sh stop        stops every process this script started
#
# The web UI is then at http://127.0.0.1:8081. Needs: a build (mvn -B -pl flinkdeployments -am
# package -DskipTests), root (the TaskManagers load BPF programs), curl and python3.
#
# Why two loopback addresses: the eBPF source hands each location's split to the first reader
# there, since a node has one kernel. A TaskManager's location is its taskmanager.host; two on
# 127.0.0.1 would share one split and the second would read nothing. 127.0.0.2 and 127.0.0.3
# are loopback too (127.0.0.0/8), so each TaskManager is its own "node" and loads its own copy
# of the programs on this one kernel, as two nodes would on theirs.
#
# Environment: TAPIO_CLUSTER_DIR (configuration, logs, pids, checkpoints; default
# flinkdeployments/target/local-cluster), TAPIO_CLUSTER_REST_PORT (8081),
# TAPIO_CLUSTER_RPC_PORT (6123).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
dir=${TAPIO_CLUSTER_DIR:-$here/target/local-cluster}
rest_port=${TAPIO_CLUSTER_REST_PORT:-8081}
rpc_port=${TAPIO_CLUSTER_RPC_PORT:-6123}
rest="http://127.0.0.1:$rest_port"
classpath_file="$here/target/flink-dist.classpath"
job_jar="$root/flink-jobs/target/tapio-job.jar"
entry_class=io.tapio.job.TapioJobMain

die() { echo "local-cluster: $*" >&2; exit 2; }

tm_host() { # the loopback address of TaskManager N
    case "$1" in 1) echo 127.0.0.2 ;; 2) echo 127.0.0.3 ;; *) die "TaskManager 1 or 2, not '$1'" ;; esac
}

write_config() {
    mkdir -p "$dir/conf" "$dir/log" "$dir/pids" "$dir/tmp" "$dir/uploads"
    cat > "$dir/conf/config.yaml" <<YAML
jobmanager.rpc.address: 127.0.0.1
jobmanager.rpc.port: $rpc_port
jobmanager.bind-host: 127.0.0.1
rest.address: 127.0.0.1
rest.bind-address: 127.0.0.1
rest.port: $rest_port
taskmanager.numberOfTaskSlots: 1
parallelism.default: 2
# As on Kubernetes: the job runs on the TaskManagers there are, and grows back when one returns.
jobmanager.scheduler: adaptive
jobmanager.adaptive-scheduler.resource-stabilization-timeout: 2s
jobmanager.adaptive-scheduler.executing.resource-stabilization-timeout: 2s
jobmanager.adaptive-scheduler.executing.cooldown-after-rescaling: 5s
# A killed TaskManager is noticed in seconds, not the default 50 s.
heartbeat.interval: 1s
heartbeat.timeout: 6s
restart-strategy.type: exponential-delay
restart-strategy.exponential-delay.initial-backoff: 1s
restart-strategy.exponential-delay.max-backoff: 5s
state.backend.type: hashmap
execution.checkpointing.interval: 2s
execution.checkpointing.dir: file://$dir/checkpoints
web.upload.dir: $dir/uploads
io.tmp.dirs: $dir/tmp
# Small, explicit TaskManager memory (a standalone TaskManager must be told each part).
taskmanager.cpu.cores: 1
taskmanager.memory.framework.heap.size: 128m
taskmanager.memory.task.heap.size: 256m
taskmanager.memory.framework.off-heap.size: 128m
taskmanager.memory.task.off-heap.size: 32m
taskmanager.memory.network.min: 32m
taskmanager.memory.network.max: 32m
taskmanager.memory.managed.size: 0m
taskmanager.memory.jvm-metaspace.size: 192m
taskmanager.memory.jvm-overhead.min: 128m
taskmanager.memory.jvm-overhead.max: 128m
YAML
    cat > "$dir/conf/log4j.properties" <<'LOG4J'
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = MainAppender
appender.main.name = MainAppender
appender.main.type = File
appender.main.append = false
appender.main.fileName = ${sys:log.file}
appender.main.layout.type = PatternLayout
appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
LOG4J
}

launch() { # launch NAME MAIN-CLASS JVM-ARGS... -- PROGRAM-ARGS...
    local name=$1 main=$2; shift 2
    local jvm=() args=()
    while [ "$1" != -- ]; do jvm+=("$1"); shift; done; shift
    args=("$@")
    [ -f "$classpath_file" ] || die "$classpath_file is missing: build first (mvn -B -pl flinkdeployments -am package -DskipTests)"
    # Java 25, found as ./tapio finds it: Tapio's classes are compiled for it.
    local java; java=$("$root/launcher/prerequisites.sh" build | tail -n 1)/bin/java
    if [ -f "$dir/pids/$name" ] && kill -0 "$(cat "$dir/pids/$name")" 2>/dev/null; then
        die "$name is running already (pid $(cat "$dir/pids/$name"))"
    fi
    nohup "$java" @"$root/launcher/jvm.options" "${jvm[@]}" -Dlog.file="$dir/log/$name.log" \
        -Dlog4j.configurationFile="file:$dir/conf/log4j.properties" -cp "$(cat "$classpath_file")" \
        "$main" --configDir "$dir/conf" "${args[@]}" >"$dir/log/$name.out" 2>&1 &
    echo $! > "$dir/pids/$name"
    echo "$name started (pid $!, log $dir/log/$name.log)"
}

start_tm() {
    local n=$1 host; host=$(tm_host "$n")
    # NODE_NAME as Kubernetes' downward API would set it: Tapio labels its metrics with it.
    NODE_NAME="local-node-$n" launch "taskmanager-$n" org.apache.flink.runtime.taskexecutor.TaskManagerRunner \
        -Xms384m -Xmx384m -XX:MaxDirectMemorySize=192m -XX:MaxMetaspaceSize=192m -- \
        -Dtaskmanager.host="$host" -Dtaskmanager.bind-host="$host"
}

stop_process() {
    local pidfile=$1 pid; pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then
        kill "$pid"
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
        echo "$(basename "$pidfile") stopped"
    fi
    rm -f "$pidfile"
}

json() { # json PYTHON-EXPRESSION-ON-d  < JSON
    python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"
}

case "${1:-}" in
    start)
        write_config
        launch jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint -Xms512m -Xmx512m --
        start_tm 1
        start_tm 2
        echo "web UI: $rest"
        ;;
    start-tm)
        start_tm "${2:?which TaskManager, 1 or 2}"
        ;;
    kill-tm)
        n=${2:?which TaskManager, 1 or 2}; tm_host "$n" >/dev/null
        pidfile="$dir/pids/taskmanager-$n"
        [ -f "$pidfile" ] || die "TaskManager $n is not running"
        kill -9 "$(cat "$pidfile")" && rm -f "$pidfile"
        echo "taskmanager-$n killed"
        ;;
    submit)
        [ -f "$job_jar" ] || die "$job_jar is missing: build first (mvn -B -pl flinkdeployments -am package -DskipTests)"
        jar_id=$(curl -sf -X POST -F "jarfile=@$job_jar;type=application/java-archive" "$rest/jars/upload" \
            | json 'd["filename"].split("/")[-1]')
        curl -sf -X POST -H 'Content-Type: application/json' \
            -d "{\"entryClass\": \"$entry_class\", \"parallelism\": 2}" "$rest/jars/$jar_id/run" | json 'd["jobid"]'
        ;;
    status)
        echo "TaskManagers:"
        curl -sf "$rest/taskmanagers" | json '"\n".join("  %s  slots %d/%d" % (t["id"], t["freeSlots"], t["slotsNumber"]) for t in d["taskmanagers"])'
        echo "Jobs:"
        curl -sf "$rest/jobs/overview" | json '"\n".join("  %s  %s  %s" % (j["jid"], j["name"], j["state"]) for j in d["jobs"])'
        echo "Kernel splits (the JobManager's log):"
        grep -ho "assigning the kernel of .*" "$dir/log/jobmanager.log" | sed 's/^/  /' || echo "  none yet"
        ;;
    stop)
        for pidfile in "$dir"/pids/taskmanager-* "$dir"/pids/jobmanager; do
            if [ -f "$pidfile" ]; then stop_process "$pidfile"; fi
        done
        ;;
    *)
        sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2
        exit 2
        ;;
esac
