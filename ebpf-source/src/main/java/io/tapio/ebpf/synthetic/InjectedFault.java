package io.tapio.ebpf.synthetic;

import io.tapio.ebpf.abi.EventHeader;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * A failure pattern the generator plays in its own {@link Workload}, once every
 * {@link #period()} from {@link #startOffset()} after the stream's start. Every event of a
 * fault, and no other event, carries the fault's cgroup id, which is how a test or benchmark
 * tells the findings a pipeline should produce from the background.
 */
public sealed interface InjectedFault extends Serializable {
    /** Below this a cycle's restart would not fit between two occurrences. */
    Duration MIN_PERIOD = Duration.ofMillis(100);

    Workload workload();

    Duration period();

    Duration startOffset();

    /** When occurrence {@code n} (0, 1, ...) happens in a stream that starts at {@code streamStartNs}. */
    default long occurrenceNs(long streamStartNs, long n) {
        return streamStartNs + startOffset().toNanos() + n * period().toNanos();
    }

    /**
     * The workload's process is OOM-killed in its memory cgroup: a SIGKILL from the kernel, the
     * {@code oom_kill} event, the exit by SIGKILL, and half a period later the restart's exec.
     */
    record OomLoop(Workload workload, Duration period, Duration startOffset, long memoryLimitBytes)
            implements InjectedFault {
        public OomLoop {
            checkSchedule(workload, period, startOffset);
            if (memoryLimitBytes <= 0) {
                throw new IllegalArgumentException("memory limit must be positive, not " + memoryLimitBytes);
            }
        }
    }

    /** The workload's process exits with {@code exitStatus}, and is exec'd again half a period later. */
    record CrashLoop(Workload workload, Duration period, Duration startOffset, int exitStatus)
            implements InjectedFault {
        public CrashLoop {
            checkSchedule(workload, period, startOffset);
            if (exitStatus < 1 || exitStatus > 255) {
                throw new IllegalArgumentException("a crash exits with a status of 1 to 255, not " + exitStatus);
            }
        }
    }

    /** The workload's process connects to {@code destination} and is refused (ECONNREFUSED). */
    record RefusedConnections(Workload workload, Duration period, Duration startOffset, InetSocketAddress destination)
            implements InjectedFault {
        public RefusedConnections {
            checkSchedule(workload, period, startOffset);
            if (destination.isUnresolved()) {
                throw new IllegalArgumentException("the destination must be an address, not " + destination);
            }
        }
    }

    /**
     * The workload's process fails to open {@code path} (ENOENT) and exits with status 1, and
     * is exec'd again half a period later: a program whose configuration was never mounted.
     */
    record MissingFile(Workload workload, Duration period, Duration startOffset, String path) implements InjectedFault {
        public MissingFile {
            checkSchedule(workload, period, startOffset);
            int length = path.getBytes(StandardCharsets.UTF_8).length;
            if (length == 0 || length >= EventHeader.PATH_LEN) {
                throw new IllegalArgumentException(
                        "path must be 1 to " + (EventHeader.PATH_LEN - 1) + " bytes to be reported whole");
            }
        }
    }

    private static void checkSchedule(Workload workload, Duration period, Duration startOffset) {
        Objects.requireNonNull(workload, "workload");
        if (period.compareTo(MIN_PERIOD) < 0) {
            throw new IllegalArgumentException("period must be at least " + MIN_PERIOD + ", not " + period);
        }
        if (startOffset.isNegative()) {
            throw new IllegalArgumentException("start offset must not be negative, not " + startOffset);
        }
    }
}
