package io.tapio.cli;

import io.tapio.ebpf.abi.EventPayload;
import io.tapio.ebpf.abi.EventSubject;
import io.tapio.ebpf.abi.Exec;
import io.tapio.ebpf.abi.Exit;
import io.tapio.ebpf.abi.ExitOrigin;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.abi.OpenFailed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Ninety-three minutes of one node's kernel events with a known story, for tests that compare
 * what runs of the job keep in the history: a program in a crash loop that cannot find its
 * configuration (findings that open and grow), a workload whose failed opens triple after an
 * hour of steady minutes (rollups, then a regression: the detector judges the last half hour
 * against at least an hour before it). Every incident lasts until the last minute, which is
 * quiet: no episode ends while its events still come, so that when batches and
 * watermarks meet in the correlator (and so how fast the events come) cannot change what it
 * reports.
 */
final class IncidentTimeline {
    /** Where the events start on the node's monotonic clock. */
    static final long START_NS = 1_000_000_000_000L;

    static final Duration LENGTH = Duration.ofMinutes(93);
    static final long CRASHY_CGROUP = 0x7E57_0000_0001L;
    static final long POLLER_CGROUP = 0x7E57_0000_0002L;
    static final String MISSING_CONFIG = "/etc/crashy/config.yaml";

    private static final Duration INCIDENTS = Duration.ofMinutes(92);
    private static final Duration CRASH_EVERY = Duration.ofSeconds(4);
    private static final int STEADY_MINUTES = 60;
    private static final long SECOND = 1_000_000_000L;
    private static final long MINUTE = 60 * SECOND;

    private IncidentTimeline() {}

    /** The events in time order. */
    static List<KernelEvent> events() {
        List<KernelEvent> events = new ArrayList<>();
        int pid = 5_000;
        for (long t = 0; t < INCIDENTS.toNanos(); t += CRASH_EVERY.toNanos()) {
            pid++;
            events.add(event(t, pid, CRASHY_CGROUP, "crashy", new Exec(1, "/usr/local/bin/crashy")));
            events.add(event(
                    t + 10_000_000,
                    pid,
                    CRASHY_CGROUP,
                    "crashy",
                    new OpenFailed(OpenFailed.ENOENT, 0, MISSING_CONFIG)));
            events.add(event(t + 20_000_000, pid, CRASHY_CGROUP, "crashy", exit(1)));
        }
        for (int minute = 0; minute < INCIDENTS.toMinutes(); minute++) {
            // Steady at 28 to 32 failed opens a minute, then 90.
            int opens = minute < STEADY_MINUTES ? 28 + minute * 7 % 5 : 90;
            for (int i = 0; i < opens; i++) {
                String path = "/var/lib/poller/spool/" + minute + "-" + i;
                events.add(event(
                        minute * MINUTE + i * (MINUTE / opens) + 1_000_000,
                        7_000,
                        POLLER_CGROUP,
                        "poller",
                        new OpenFailed(OpenFailed.ENOENT, 0, path)));
            }
        }
        events.sort(Comparator.comparingLong(KernelEvent::timestampNs));
        return events;
    }

    /** The exit of a workload's main process (its parent is init), with {@code status}. */
    private static Exit exit(int status) {
        return new Exit(1, status, 0, false, ExitOrigin.MAIN, 20_000_000, 0);
    }

    private static KernelEvent event(long offsetNs, int pid, long cgroup, String comm, EventPayload payload) {
        return KernelEvent.of(new EventSubject(START_NS + offsetNs, 0, pid, pid, cgroup, comm), payload);
    }
}
