#!/usr/bin/env bash
# The real events each of Tapio's programs should see, made to happen on this kernel, as
# root, on a machine of its own (the guest: pure cgroup v2 at /sys/fs/cgroup, loopback).
# Run it under tapio-probe; each step prints what it did, for the test to find the events:
#
#   workload: STEP key=value ...
#
# Every step is bounded in time, and everything it creates is under /tmp or removed.
set -uo pipefail

dir=$(mktemp -d /tmp/kmx.XXXXXX)
say() { echo "workload: $*"; }

# exec, with the filename as given to execve(2)
cp /bin/true "$dir/kmx-true"
"$dir/kmx-true"
say exec filename=$dir/kmx-true

# exit with a status
cp /bin/sh "$dir/kmx-exit"
"$dir/kmx-exit" -c 'exit 7'
say exit comm=kmx-exit status=7

# what each exit was to its cgroup: a process moved in and exec'd from outside (main), one a
# shell inside started (child), a new pid namespace's first process (main), and one joining
# that namespace from outside the cgroup (visitor)
origin=/sys/fs/cgroup/kmx-origin
mkdir -p $origin
for name in main child init visitor; do cp /bin/true "$dir/kmx-o-$name"; done
cp /bin/sleep "$dir/kmx-o-init"
sh -c "echo \$\$ > $origin/cgroup.procs && exec $dir/kmx-o-main"
sh -c "echo \$\$ > $origin/cgroup.procs && $dir/kmx-o-child; true"
unshare --pid --fork sh -c "echo \$\$ > $origin/cgroup.procs && exec $dir/kmx-o-init 2" &
init=$!
for i in $(seq 50); do child=$(pgrep -x kmx-o-init) && break; sleep 0.1; done
nsenter -t "$child" -p -- sh -c "echo \$\$ > $origin/cgroup.procs && exec $dir/kmx-o-visitor"
wait $init
say exit_origin main=kmx-o-main child=kmx-o-child init=kmx-o-init visitor=kmx-o-visitor
rmdir $origin

# SIGKILL from another process: the target's and the sender's side
cp /bin/sleep "$dir/kmx-victim"
"$dir/kmx-victim" 30 &
victim=$!
sleep 0.2
cp /bin/kill "$dir/kmx-killer" 2>/dev/null || cp /usr/bin/kill "$dir/kmx-killer"
"$dir/kmx-killer" -KILL $victim
wait $victim 2>/dev/null
say signal target_pid=$victim target_comm=kmx-victim sender_comm=kmx-killer signal=9

# failed opens (missing, permission denied) with path and errno, and a successful one
# that must not be reported
cp /bin/cat "$dir/kmx-open"
"$dir/kmx-open" "$dir/missing/file" 2>/dev/null
say open_failed comm=kmx-open path=$dir/missing/file errno=2
echo secret > "$dir/secret"
chmod 600 "$dir/secret"
setpriv --reuid=65534 --regid=65534 --clear-groups "$dir/kmx-open" "$dir/secret" 2>/dev/null
say open_failed comm=kmx-open path=$dir/secret errno=13
echo present > "$dir/present"
"$dir/kmx-open" "$dir/present" >/dev/null
say open_succeeded comm=kmx-open path=$dir/present

# a refused connect on loopback (nothing listens on port 9)
cp /bin/bash "$dir/kmx-connect"
"$dir/kmx-connect" -c 'exec 3<>/dev/tcp/127.0.0.1/9' 2>/dev/null
say tcp_connect comm=kmx-connect dst=127.0.0.1:9 outcome=refused errno=111

# an established connection the peer resets (SO_LINGER 0), and SYNs retransmitted to a
# port whose packets are dropped on the way in (a drop on the way out fails the send
# itself, which is not a retransmit)
if command -v python3 >/dev/null; then
    cp "$(readlink -f "$(command -v python3)")" "$dir/kmx-reset"
    "$dir/kmx-reset" - <<'EOF'
import socket, struct, time
server = socket.socket(); server.bind(("127.0.0.1", 0)); server.listen(1)
port = server.getsockname()[1]
client = socket.create_connection(("127.0.0.1", port))
peer, _ = server.accept()
peer.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
peer.close()
time.sleep(0.2)
try:
    client.recv(1)
except ConnectionResetError:
    pass
print(f"workload: tcp_reset comm=kmx-reset dport={port}")
EOF
fi
if command -v nft >/dev/null && nft add table inet kmx 2>/dev/null; then
    nft add chain inet kmx in '{ type filter hook input priority 0; }'
    nft add rule inet kmx in tcp dport 9999 drop
    timeout 2.5 "$dir/kmx-connect" -c 'exec 3<>/dev/tcp/127.0.0.1/9999' 2>/dev/null
    nft delete table inet kmx
    say tcp_retransmit comm=kmx-connect dst=127.0.0.1:9999
fi

# an OOM kill in a memory-limited cgroup (32 MiB, no swap); tail keeps a line that never ends
echo +memory > /sys/fs/cgroup/cgroup.subtree_control
cg=/sys/fs/cgroup/kmx-oom
mkdir -p $cg
echo $((32 << 20)) > $cg/memory.max
echo 0 > $cg/memory.swap.max 2>/dev/null
cp /usr/bin/tail "$dir/kmx-hog"
timeout 30 sh -c "echo \$\$ > $cg/cgroup.procs && exec $dir/kmx-hog /dev/zero" 2>/dev/null
say oom_kill comm=kmx-hog cgroup=$(stat -c %i $cg) limit=$((32 << 20)) \
    oom_kills=$(awk '$1 == "oom_kill" { print $2 }' $cg/memory.events)
rmdir $cg

# run-queue waits: kmx-waker sleeps on CPU 0 and wakes while a real-time (SCHED_FIFO) task
# spins there, so it waits for the CPU until the spinner ends or is throttled (the kernel
# keeps 5% of each second for other tasks): hundreds of ms, on any scheduler. Ordinary tasks
# of more weight do not do it: the scheduler lets a task that slept run soon after it wakes,
# so their waits were under the threshold on some boots. The spinner forks nothing (bash's
# clock), and spins longer than the waker sleeps, however slow the emulated CPU starts it.
cp /bin/sleep "$dir/kmx-waker"
taskset -c 0 "$dir/kmx-waker" 0.5 &
waker=$!
sleep 0.1
chrt -f 10 taskset -c 0 bash -c \
    'end=$((${EPOCHREALTIME/./} + 3000000)); while ((${EPOCHREALTIME/./} < end)); do :; done'
wait $waker
say runq_latency comm=kmx-waker

# block I/O slower than the threshold, on null_blk
"$(dirname "${BASH_SOURCE[0]}")/block-io.sh"

rm -rf "$dir"
say done
