package io.tapio.bench.micro;

import io.tapio.ebpf.abi.EventSubject;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.synthetic.DemoFaults;
import io.tapio.ebpf.synthetic.SyntheticConfig;
import io.tapio.ebpf.synthetic.SyntheticEventGenerator;
import io.tapio.enrich.EnrichConfig;
import io.tapio.enrich.NodeWorkloadResolver;
import io.tapio.job.Relevance;
import io.tapio.model.EnrichedEvent;
import io.tapio.testing.KubeletPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The events the benchmarks work on: the synthetic node's (the default mix of types over 200
 * workloads, every demo fault), as the kernel would write them, in timestamp order. Their
 * cgroups are directories named as kubelet names pods (both cgroup drivers, half each) and the
 * node's daemons a systemd unit, under a directory of their own; an event's cgroup id is its
 * directory's inode number, as a cgroup v2 id is, so that the job's resolver names them as it
 * names a real node's pods (by path: there is no API server).
 */
final class SyntheticNode implements AutoCloseable {
    /** A power of two, so that a benchmark cycles through them with a mask. */
    static final int EVENTS = 1 << 16;

    static final String NODE = "bench-node";
    private static final int WORKLOADS = 200;
    private static final long START_NANOS = 1_000_000_000L;
    /** The node's wall clock (epoch ms) when its monotonic clock read 0: 2026-01-01. */
    private static final long EPOCH_MILLIS_AT_ZERO = 1_767_225_600_000L;

    private final Path root;
    private final KernelEvent[] events;

    private SyntheticNode(Path root, KernelEvent[] events) {
        this.root = root;
        this.events = events;
    }

    static SyntheticNode create() throws IOException {
        Path root = Files.createTempDirectory("tapio-micro-cgroups");
        try {
            SyntheticConfig.Builder config =
                    SyntheticConfig.builder().eventsPerSecond(100_000).workloads(WORKLOADS);
            DemoFaults.NAMES.forEach(name -> config.fault(DemoFaults.named(name)));
            SyntheticEventGenerator generator = new SyntheticEventGenerator(config.build(), START_NANOS);
            Map<Long, Long> cgroups = new HashMap<>();
            List<KernelEvent> events = new ArrayList<>(EVENTS);
            for (long until = START_NANOS; events.size() < EVENTS; ) {
                until += 10_000_000L; // 10 ms of the node's time at a time
                for (KernelEvent event : generator.next(until)) {
                    if (events.size() < EVENTS) {
                        long id = cgroupOf(root, event.cgroupId(), cgroups);
                        EventSubject s = event.subject();
                        events.add(KernelEvent.of(
                                new EventSubject(s.timestampNs(), s.cpu(), s.pid(), s.tid(), id, s.comm()),
                                event.payload()));
                    }
                }
            }
            return new SyntheticNode(root, events.toArray(KernelEvent[]::new));
        } catch (IOException | RuntimeException e) {
            delete(root);
            throw e;
        }
    }

    /** The directory standing for a synthetic cgroup, made on its first event: its inode number. */
    private static long cgroupOf(Path root, long syntheticId, Map<Long, Long> cgroups) throws IOException {
        Long id = cgroups.get(syntheticId);
        if (id == null) {
            String path = syntheticId == SyntheticConfig.BACKGROUND_CGROUP_ID
                    ? KubeletPaths.prefix() + "system.slice/containerd.service"
                    : cgroups.size() % 2 == 0
                            ? KubeletPaths.systemd(
                                    "burstable", KubeletPaths.uid(), "cri-containerd", KubeletPaths.containerId())
                            : KubeletPaths.cgroupfs("besteffort", KubeletPaths.uid(), KubeletPaths.containerId());
            Path directory = Files.createDirectories(root.resolve(path));
            id = ((Number) Files.getAttribute(directory, "unix:ino")).longValue();
            cgroups.put(syntheticId, id);
        }
        return id;
    }

    /** Every event; each benchmark cycles through them. */
    KernelEvent[] events() {
        return events;
    }

    /** How the job attributes this node's events: by their cgroups' paths, under this node's directory. */
    EnrichConfig enrichConfig() {
        return EnrichConfig.defaults().withNode(NODE).withoutKubernetes().withCgroupRoot(root.toString());
    }

    /** The events that pass the job's filter, each with its workload as the job's resolver names it. */
    EnrichedEvent[] enriched() {
        try (NodeWorkloadResolver resolver = NodeWorkloadResolver.start(enrichConfig())) {
            return Stream.of(events)
                    .filter(Relevance::relevant)
                    .map(event -> new EnrichedEvent(event, resolver.resolve(event.cgroupId())))
                    .toArray(EnrichedEvent[]::new);
        }
    }

    /** The event time the source gives an event: the node's wall clock at its kernel timestamp. */
    static long epochMillis(KernelEvent event) {
        return EPOCH_MILLIS_AT_ZERO + event.timestampNs() / 1_000_000L;
    }

    @Override
    public void close() {
        delete(root);
    }

    private static void delete(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
