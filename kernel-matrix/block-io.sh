#!/usr/bin/env bash
# Block I/O slower than the threshold, as root on a kernel with the null_blk module: a device
# completing each request after 80 ms, read and written directly by a copy of dd named kmx-io.
# workload.sh runs it under tapio-probe, and KernelMatrixTest under the Java collector. Prints
#
#   workload: block_io_latency comm=kmx-io dev=MAJOR:MINOR reads=4 writes=2 bytes=4096
#
# (or skipped="..." without null_blk), and removes the device and its files.
set -uo pipefail

say() { echo "workload: $*"; }

if modprobe null_blk nr_devices=1 queue_mode=2 irqmode=2 completion_nsec=80000000 gb=1 2>/dev/null; then
    dir=$(mktemp -d /tmp/kmx-io.XXXXXX)
    for i in $(seq 50); do [ -b /dev/nullb0 ] && break; sleep 0.1; done
    cp /bin/dd "$dir/kmx-io"
    "$dir/kmx-io" if=/dev/nullb0 of=/dev/null bs=4k count=4 iflag=direct 2>/dev/null
    "$dir/kmx-io" if=/dev/zero of=/dev/nullb0 bs=4k count=2 oflag=direct 2>/dev/null
    say block_io_latency comm=kmx-io dev=$((0x$(stat -c %t /dev/nullb0))):$((0x$(stat -c %T /dev/nullb0))) \
        reads=4 writes=2 bytes=4096
    rmmod null_blk
    rm -rf "$dir"
else
    say block_io_latency skipped="no null_blk module"
fi
