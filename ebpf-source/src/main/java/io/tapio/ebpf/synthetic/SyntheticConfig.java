package io.tapio.ebpf.synthetic;

import io.tapio.ebpf.abi.EventType;
import io.tapio.ebpf.abi.KernelEvent;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a {@link SyntheticEventGenerator} simulates: a node running {@code workloads}
 * background workloads that together produce {@code eventsPerSecond} events in the given
 * mix of types, plus the injected faults, each in a workload of its own.
 *
 * @param eventsPerSecond the rate of background events of all types together; each injected
 *     fault adds its few events per period on top
 * @param mix the relative weight of each type among background events (absent types weigh 0)
 * @param workloads the number of background workloads, with cgroup ids from
 *     {@link #BACKGROUND_CGROUP_ID} + 1 on
 */
public record SyntheticConfig(
        long seed, long eventsPerSecond, Map<EventType, Double> mix, int workloads, List<InjectedFault> faults)
        implements Serializable {
    /**
     * The cgroup of the node's own daemons (the senders of background signals); the background
     * workloads follow it. A fault's workload must lie outside this range.
     */
    public static final long BACKGROUND_CGROUP_ID = 10_000;

    /** One event per nanosecond: the records' timestamps could not tell more apart. */
    public static final long MAX_EVENTS_PER_SECOND = 1_000_000_000;

    /** Far more than a node's pods, and still few enough to give each its own pod address. */
    public static final int MAX_WORKLOADS = 10_000;

    /**
     * A busy node after the kernel's filters: mostly short processes and their exits, slow
     * connects and run-queue waits, some failed opens; OOM kills and fatal signals are rare.
     */
    public static final Map<EventType, Double> DEFAULT_MIX = Collections.unmodifiableMap(new EnumMap<>(Map.of(
            EventType.EXEC, 22.0,
            EventType.EXIT, 22.0,
            EventType.RUNQ_LATENCY, 18.0,
            EventType.TCP_CONNECT, 16.0,
            EventType.OPEN_FAILED, 10.0,
            EventType.BLOCK_IO_LATENCY, 6.0,
            EventType.TCP_RETRANSMIT, 4.0,
            EventType.TCP_RESET, 1.5,
            EventType.SIGNAL, 0.01,
            EventType.OOM_KILL, 0.0005)));

    public SyntheticConfig {
        if (eventsPerSecond < 0 || eventsPerSecond > MAX_EVENTS_PER_SECOND) {
            throw new IllegalArgumentException(
                    "events per second must be 0 to " + MAX_EVENTS_PER_SECOND + ", not " + eventsPerSecond);
        }
        if (workloads < 1 || workloads > MAX_WORKLOADS) {
            throw new IllegalArgumentException("workloads must be 1 to " + MAX_WORKLOADS + ", not " + workloads);
        }
        EnumMap<EventType, Double> weights = new EnumMap<>(EventType.class);
        double total = 0;
        for (EventType type : EventType.values()) {
            double weight = mix.getOrDefault(type, 0.0);
            if (!(weight >= 0) || Double.isInfinite(weight)) {
                throw new IllegalArgumentException(
                        "weight of " + type.label() + " must be finite and >= 0, not " + weight);
            }
            weights.put(type, weight);
            total += weight;
        }
        if (eventsPerSecond > 0 && total == 0) {
            throw new IllegalArgumentException("background events need a type of positive weight");
        }
        mix = Collections.unmodifiableMap(weights);
        faults = List.copyOf(faults);
        Set<Long> cgroups = new HashSet<>();
        for (InjectedFault fault : faults) {
            long cgroupId = fault.workload().cgroupId();
            if (cgroupId >= BACKGROUND_CGROUP_ID && cgroupId <= BACKGROUND_CGROUP_ID + workloads) {
                throw new IllegalArgumentException("fault " + fault + " is in cgroup " + cgroupId + ", one of the "
                        + "background's (" + BACKGROUND_CGROUP_ID + " to " + (BACKGROUND_CGROUP_ID + workloads) + ")");
            }
            if (!cgroups.add(cgroupId)) {
                throw new IllegalArgumentException(
                        "two faults share cgroup " + cgroupId + ": their events could not be told apart");
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The injected fault the event belongs to, or empty for a background event. */
    public Optional<InjectedFault> faultOf(KernelEvent event) {
        return faults.stream()
                .filter(f -> f.workload().cgroupId() == event.cgroupId())
                .findFirst();
    }

    /** Builds a {@link SyntheticConfig}; it starts from 10,000 events/s of {@link #DEFAULT_MIX} in 50 workloads. */
    public static final class Builder {
        private long seed = 1;
        private long eventsPerSecond = 10_000;
        private final EnumMap<EventType, Double> mix = new EnumMap<>(DEFAULT_MIX);
        private int workloads = 50;
        private final List<InjectedFault> faults = new ArrayList<>();

        private Builder() {}

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder eventsPerSecond(long eventsPerSecond) {
            this.eventsPerSecond = eventsPerSecond;
            return this;
        }

        /** Sets the relative weight of one type; 0 leaves it out of the background. */
        public Builder weight(EventType type, double weight) {
            mix.put(type, weight);
            return this;
        }

        public Builder workloads(int workloads) {
            this.workloads = workloads;
            return this;
        }

        public Builder fault(InjectedFault fault) {
            faults.add(fault);
            return this;
        }

        /** @throws IllegalArgumentException when the settings contradict each other or are out of range */
        public SyntheticConfig build() {
            return new SyntheticConfig(seed, eventsPerSecond, mix, workloads, faults);
        }
    }
}
