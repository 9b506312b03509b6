package io.tapio.bench.enrich;

import io.tapio.bench.Stats;
import io.tapio.ebpf.abi.EventType;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.collector.CollectorConfig;
import io.tapio.ebpf.collector.KernelCollector;
import io.tapio.ebpf.ring.RecordHandler;
import io.tapio.enrich.EnrichConfig;
import io.tapio.enrich.HandleLookup;
import io.tapio.enrich.NodeWorkloadResolver;
import io.tapio.enrich.UnifiedHierarchy;
import io.tapio.model.Workload;
import io.tapio.testing.Commands;
import io.tapio.testing.KubeletPaths;
import io.tapio.testing.WorkloadCgroup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * What naming an event's workload costs ({@code tapio bench enrich}): pod cgroups created for
 * real with the names kubelet gives them under both cgroup drivers, a process started in each,
 * its events read by the real BPF programs and named by the resolver the job uses. Without an
 * API server (this machine has none) a pod is named from its cgroup path: pod uid, container
 * id, runtime, QoS class; with one, the informer's cache adds the rest.
 */
public final class EnrichmentBenchmark {
    private static final String NODE = "bench-node";
    private static final int EVENTS_PER_ROUND = 200_000;
    private static final int WARM_UP_ROUNDS = 10;

    /**
     * @param pods pod cgroups to create
     * @param rounds timed rounds of resolving known cgroups, after warm-up rounds
     */
    public record Options(int pods, int rounds) {
        public Options {
            if (pods < 2 || rounds < 1) {
                throw new IllegalArgumentException("at least 2 pods and 1 round, not " + pods + " and " + rounds);
            }
        }
    }

    /**
     * @param podEvents events the programs reported from the pods' processes
     * @param podEventsNamed of those, the ones named as their pod
     * @param hitRatio the resolver's cache hits among its lookups, over every event of the stream
     * @param nanosPerKnownEvent median per event, for cgroups the resolver knows
     * @param microsPerNewCgroup median per cgroup seen for the first time (a file handle lookup)
     */
    public record Result(
            long events,
            long podEvents,
            long podEventsNamed,
            double hitRatio,
            double nanosPerKnownEvent,
            double microsPerNewCgroup) {}

    private EnrichmentBenchmark() {}

    public static Result run(Options options, Consumer<String> progress) {
        List<WorkloadCgroup> pods = new ArrayList<>();
        try {
            for (int i = 0; i < options.pods(); i++) {
                String uid = KubeletPaths.uid();
                String id = KubeletPaths.containerId();
                pods.add(WorkloadCgroup.create(
                        i % 2 == 0
                                ? KubeletPaths.systemd("burstable", uid, "cri-containerd", id)
                                : KubeletPaths.cgroupfs("besteffort", uid, id)));
            }
            progress.accept(options.pods() + " pod cgroups created; starting a process in each");
            List<KernelEvent> stream = record(pods);
            Set<Long> podIds = pods.stream().map(WorkloadCgroup::id).collect(Collectors.toSet());
            try (NodeWorkloadResolver resolver = NodeWorkloadResolver.start(
                    EnrichConfig.defaults().withNode(NODE).withoutKubernetes())) {
                long podEvents = 0;
                long named = 0;
                for (KernelEvent event : stream) {
                    Workload workload = resolver.resolve(event.cgroupId());
                    if (podIds.contains(event.cgroupId())) {
                        podEvents++;
                        named += workload.kind() == Workload.Kind.POD_UNRESOLVED
                                        && !workload.pod().uid().isEmpty()
                                ? 1
                                : 0;
                    }
                }
                double hitRatio = (double) resolver.hits() / Math.max(1, resolver.hits() + resolver.misses());
                progress.accept("timing " + options.rounds() + " rounds of " + EVENTS_PER_ROUND + " events");
                List<KernelEvent> ofPods = stream.stream()
                        .filter(e -> podIds.contains(e.cgroupId()))
                        .toList();
                double knownNanos = medianNanosPerEvent(resolver, ofPods, options.rounds());
                return new Result(
                        stream.size(), podEvents, named, hitRatio, knownNanos, medianMicrosPerNewCgroup(pods));
            }
        } finally {
            pods.forEach(WorkloadCgroup::close);
        }
    }

    /** The events of this machine while each pod's process starts and exits, as the programs report them. */
    private static List<KernelEvent> record(List<WorkloadCgroup> pods) {
        List<KernelEvent> events = new ArrayList<>();
        RecordHandler keep = (ring, offset, length) -> events.add(KernelEvent.copyOf(ring, offset, length));
        try (KernelCollector collector = KernelCollector.open(CollectorConfig.builder()
                .ringBufferBytes(16 << 20)
                .enabledTypes(List.of(EventType.EXEC, EventType.EXIT))
                .build())) {
            for (WorkloadCgroup pod : pods) {
                Commands.check(pod.wrap("/bin/true").toArray(String[]::new));
                collector.reader().drain(keep, Integer.MAX_VALUE);
            }
            // Once more: a record another CPU was still writing stops a drain until it is done.
            collector.reader().drain(keep, Integer.MAX_VALUE);
        }
        return events;
    }

    private static double medianNanosPerEvent(NodeWorkloadResolver resolver, List<KernelEvent> events, int rounds) {
        if (events.isEmpty()) {
            throw new IllegalStateException("the programs reported no event from the pods' processes");
        }
        KernelEvent[] cycle = events.toArray(KernelEvent[]::new);
        List<Double> nanos = new ArrayList<>();
        long unnamed = 0;
        for (int round = -WARM_UP_ROUNDS; round < rounds; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < EVENTS_PER_ROUND; i++) {
                KernelEvent event = cycle[i % cycle.length];
                unnamed += resolver.resolve(event.cgroupId()).pod().uid().isEmpty() ? 1 : 0;
            }
            if (round >= 0) {
                nanos.add((double) (System.nanoTime() - start) / EVENTS_PER_ROUND);
            }
        }
        if (unnamed > 0) { // also keeps the loop's work from being optimised away
            throw new IllegalStateException(unnamed + " events of known pods were not named");
        }
        return Stats.median(nanos);
    }

    /** What the resolver pays on a cache miss: the cgroup id to its path through a file handle. */
    private static double medianMicrosPerNewCgroup(List<WorkloadCgroup> pods) {
        Path hierarchy = UnifiedHierarchy.find().orElseThrow(() -> new IllegalStateException("no cgroup v2 hierarchy"));
        try (HandleLookup lookup = HandleLookup.open(hierarchy)
                .orElseThrow(() -> new IllegalStateException("open_by_handle_at is not available on " + hierarchy))) {
            List<Double> micros = new ArrayList<>();
            for (WorkloadCgroup pod : pods) {
                long start = System.nanoTime();
                if (!lookup.find(pod.id()).found()) {
                    throw new IllegalStateException("no cgroup with the id of " + pod.path());
                }
                micros.add((System.nanoTime() - start) / 1e3);
            }
            return Stats.median(micros);
        }
    }
}
