package io.tapio.ebpf.collector;

import io.tapio.ebpf.abi.EventHeader;
import io.tapio.ebpf.abi.EventType;
import io.tapio.ebpf.abi.KernelConfig;
import java.io.Serial;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * What the kernel side collects and filters. Everything but the ring buffer's size can be
 * changed while the programs run ({@link KernelCollector#reconfigure}): it lives in BPF maps,
 * not in the compiled programs.
 */
public final class CollectorConfig implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public static final int DEFAULT_RING_BUFFER_BYTES = 32 << 20;

    /** Signals that neither kill nor stop by default: SIGCHLD, SIGCONT, SIGURG, SIGWINCH. */
    private static final Set<Integer> HARMLESS_SIGNALS = Set.of(17, 18, 23, 28);

    /** Every signal whose default action terminates, dumps core or stops the process. */
    public static final Set<Integer> FATAL_OR_STOPPING_SIGNALS = IntStream.rangeClosed(1, 63)
            .filter(s -> !HARMLESS_SIGNALS.contains(s))
            .boxed()
            .collect(Collectors.toUnmodifiableSet());

    /**
     * Failed opens that are the normal way programs search for files: the dynamic loader
     * probing library directories, compilers probing include directories, locale lookups,
     * and the kernel's own pseudo files.
     */
    public static final List<PathRule> DEFAULT_PATH_RULES = List.of(
            PathRule.ignore("/lib/"),
            PathRule.ignore("/lib64/"),
            PathRule.ignore("/usr/lib/"),
            PathRule.ignore("/usr/lib64/"),
            PathRule.ignore("/usr/local/lib/"),
            PathRule.ignore("/etc/ld.so"),
            PathRule.ignore("/usr/include/"),
            PathRule.ignore("/usr/local/include/"),
            PathRule.ignore("/usr/share/locale/"),
            PathRule.ignore("/proc/"),
            PathRule.ignore("/sys/"),
            PathRule.ignore("/dev/"));

    private final int ringBufferBytes;
    private final long wakeupBytes;
    private final Set<EventType> enabledTypes;
    private final Duration runqThreshold;
    private final Duration blockThreshold;
    private final Duration connectThreshold;
    private final Set<Integer> reportedSignals;
    private final Set<String> ignoredComms;
    private final Set<Long> ignoredCgroups;
    private final List<PathRule> pathRules;
    private final boolean reportUnmatchedOpens;

    private CollectorConfig(Builder b) {
        ringBufferBytes = b.ringBufferBytes;
        wakeupBytes = b.wakeupBytes > 0 ? b.wakeupBytes : ringBufferBytes / 4;
        enabledTypes = Set.copyOf(b.enabledTypes);
        runqThreshold = b.runqThreshold;
        blockThreshold = b.blockThreshold;
        connectThreshold = b.connectThreshold;
        reportedSignals = Set.copyOf(b.reportedSignals);
        ignoredComms = Set.copyOf(b.ignoredComms);
        ignoredCgroups = Set.copyOf(b.ignoredCgroups);
        pathRules = List.copyOf(b.pathRules);
        reportUnmatchedOpens = b.reportUnmatchedOpens;
    }

    public static CollectorConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The ring buffer's size in bytes, shared by all CPUs. */
    public int ringBufferBytes() {
        return ringBufferBytes;
    }

    /** The kernel wakes a waiting reader once this much data is unread. */
    public long wakeupBytes() {
        return wakeupBytes;
    }

    public Set<EventType> enabledTypes() {
        return enabledTypes;
    }

    public boolean enabled(EventType type) {
        return enabledTypes.contains(type);
    }

    /** Run-queue waits shorter than this are counted but not delivered. */
    public Duration runqThreshold() {
        return runqThreshold;
    }

    /** Block I/O requests faster than this are counted but not delivered. */
    public Duration blockThreshold() {
        return blockThreshold;
    }

    /** Successful connects faster than this are counted but not delivered; failures always are. */
    public Duration connectThreshold() {
        return connectThreshold;
    }

    public Set<Integer> reportedSignals() {
        return reportedSignals;
    }

    public Set<String> ignoredComms() {
        return ignoredComms;
    }

    public Set<Long> ignoredCgroups() {
        return ignoredCgroups;
    }

    public List<PathRule> pathRules() {
        return pathRules;
    }

    /** Whether a failed open under no rule's prefix is reported. */
    public boolean reportUnmatchedOpens() {
        return reportUnmatchedOpens;
    }

    /** The configuration as the programs read it: {@code struct tapio_config}. */
    public KernelConfig kernelConfig() {
        int types = 0;
        for (EventType type : enabledTypes) {
            types |= 1 << type.code();
        }
        long signals = 0;
        for (int signal : reportedSignals) {
            signals |= 1L << signal;
        }
        return new KernelConfig(
                types,
                !reportUnmatchedOpens,
                signals,
                runqThreshold.toNanos(),
                blockThreshold.toNanos(),
                connectThreshold.toNanos(),
                wakeupBytes);
    }

    @Override
    public String toString() {
        return "CollectorConfig{ring=" + ringBufferBytes + "B, wakeup=" + wakeupBytes + "B, types=" + enabledTypes
                + ", runq>=" + runqThreshold + ", block>=" + blockThreshold + ", connect>=" + connectThreshold
                + ", ignoredComms=" + ignoredComms + ", ignoredCgroups=" + ignoredCgroups + ", pathRules=" + pathRules
                + ", reportUnmatchedOpens=" + reportUnmatchedOpens + "}";
    }

    /** Builds a {@link CollectorConfig}; every setter checks its argument. */
    public static final class Builder {
        private int ringBufferBytes = DEFAULT_RING_BUFFER_BYTES;
        private long wakeupBytes;
        private Set<EventType> enabledTypes = EnumSet.allOf(EventType.class);
        private Duration runqThreshold = Duration.ofMillis(10);
        private Duration blockThreshold = Duration.ofMillis(50);
        private Duration connectThreshold = Duration.ofMillis(50);
        private Set<Integer> reportedSignals = FATAL_OR_STOPPING_SIGNALS;
        private Set<String> ignoredComms = new LinkedHashSet<>();
        private Set<Long> ignoredCgroups = new LinkedHashSet<>();
        private List<PathRule> pathRules = new ArrayList<>(DEFAULT_PATH_RULES);
        private boolean reportUnmatchedOpens = true;

        private Builder() {}

        private Builder(CollectorConfig c) {
            ringBufferBytes = c.ringBufferBytes;
            wakeupBytes = c.wakeupBytes;
            enabledTypes = enumSet(c.enabledTypes);
            runqThreshold = c.runqThreshold;
            blockThreshold = c.blockThreshold;
            connectThreshold = c.connectThreshold;
            reportedSignals = c.reportedSignals;
            ignoredComms = new LinkedHashSet<>(c.ignoredComms);
            ignoredCgroups = new LinkedHashSet<>(c.ignoredCgroups);
            pathRules = new ArrayList<>(c.pathRules);
            reportUnmatchedOpens = c.reportUnmatchedOpens;
        }

        /** A power of two of at least one page (4 KiB) and at most 1 GiB; default 32 MiB. */
        public Builder ringBufferBytes(int bytes) {
            if (bytes < 4096 || bytes > (1 << 30) || Integer.bitCount(bytes) != 1) {
                throw new IllegalArgumentException(
                        "ring buffer size must be a power of two from 4 KiB to 1 GiB, not " + bytes + " bytes");
            }
            ringBufferBytes = bytes;
            return this;
        }

        /** Defaults to a quarter of the ring. */
        public Builder wakeupBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("wakeup threshold must be positive, not " + bytes);
            }
            wakeupBytes = bytes;
            return this;
        }

        public Builder enabledTypes(Collection<EventType> types) {
            enabledTypes = enumSet(types);
            return this;
        }

        public Builder runqThreshold(Duration threshold) {
            runqThreshold = nonNegative("run-queue threshold", threshold);
            return this;
        }

        public Builder blockThreshold(Duration threshold) {
            blockThreshold = nonNegative("block I/O threshold", threshold);
            return this;
        }

        public Builder connectThreshold(Duration threshold) {
            connectThreshold = nonNegative("connect threshold", threshold);
            return this;
        }

        public Builder reportedSignals(Collection<Integer> signals) {
            for (int signal : signals) {
                if (signal < 1 || signal > 63) {
                    throw new IllegalArgumentException("signal " + signal + " is not between 1 and 63");
                }
            }
            reportedSignals = Set.copyOf(signals);
            return this;
        }

        /** Never deliver events about tasks with this command name (15 bytes at most). */
        public Builder ignoreComm(String comm) {
            if (comm.isEmpty() || comm.getBytes(StandardCharsets.UTF_8).length >= EventHeader.COMM_LEN) {
                throw new IllegalArgumentException("command name '" + comm + "' must have 1 to "
                        + (EventHeader.COMM_LEN - 1) + " bytes, as the kernel keeps it");
            }
            ignoredComms.add(comm);
            return this;
        }

        /** Never deliver events about tasks in this cgroup (its v2 id, the directory's inode). */
        public Builder ignoreCgroup(long cgroupId) {
            ignoredCgroups.add(cgroupId);
            return this;
        }

        /** Replaces the path rules; the defaults are {@link #DEFAULT_PATH_RULES}. */
        public Builder pathRules(List<PathRule> rules) {
            pathRules = new ArrayList<>(rules);
            return this;
        }

        public Builder addPathRule(PathRule rule) {
            pathRules.add(rule);
            return this;
        }

        public Builder reportUnmatchedOpens(boolean report) {
            reportUnmatchedOpens = report;
            return this;
        }

        public CollectorConfig build() {
            return new CollectorConfig(this);
        }

        private static Set<EventType> enumSet(Collection<EventType> types) {
            Set<EventType> set = EnumSet.noneOf(EventType.class);
            set.addAll(types);
            return set;
        }

        private static Duration nonNegative(String what, Duration d) {
            if (d.isNegative()) {
                throw new IllegalArgumentException(what + " must not be negative, not " + d);
            }
            return d;
        }
    }
}
