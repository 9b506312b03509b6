package io.tapio.enrich;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.tapio.model.Workload;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attributes cgroups on one node: id to path (opened by id, or from an index of the
 * hierarchy), path to pod, container or systemd unit, and pod to its name, container,
 * image and workload where the Kubernetes API is reachable. Thread-safe; one per node and
 * configuration is enough for all the job's tasks in a JVM ({@link SharedResolvers}).
 *
 * <p>The caller's cost is a map lookup for a known cgroup (tens of nanoseconds); a new
 * cgroup costs one open_by_handle_at and readlink (tens of microseconds, once: the cgroup
 * file system is in memory, nothing waits on I/O or the network), or, without that
 * privilege, the node identity until the background walk has found it.
 */
public final class NodeWorkloadResolver implements WorkloadResolver {
    private static final Logger LOG = LoggerFactory.getLogger(NodeWorkloadResolver.class);

    private final String node;
    private final CgroupLookup lookup; // null without a cgroup v2 hierarchy
    private final CgroupCache cache;
    private final PodIndex pods; // null without the Kubernetes API
    private final PodInformer informer;
    private final ScheduledExecutorService background;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final AtomicBoolean lookupFailed = new AtomicBoolean();
    private final EnrichMetrics metrics;

    private NodeWorkloadResolver(
            EnrichConfig config,
            Path root,
            CgroupLookup lookup,
            PodIndex pods,
            PodInformer informer,
            ScheduledExecutorService background) {
        this.node = config.node();
        this.lookup = lookup;
        this.cache = new CgroupCache(root == null ? Path.of("/") : root, config.gracePeriod(), config.cacheBound());
        this.pods = pods;
        this.informer = informer;
        this.background = background;
        long sweepMillis = Math.clamp(config.gracePeriod().toMillis() / 4, 100, 5_000);
        background.scheduleWithFixedDelay(this::sweep, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
        this.metrics = EnrichMetrics.register(
                node,
                cache::size,
                hits,
                misses,
                cache.evictedRemoved(),
                cache.evictedLive(),
                pods == null ? () -> 0 : pods::size);
    }

    /** Starts attributing on the configured node: finds the hierarchy, starts the informer if there is an API. */
    public static NodeWorkloadResolver start(EnrichConfig config) {
        ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .name("tapio-enrich-" + config.node())
                .daemon()
                .factory());
        Path root = config.cgroupRoot().isEmpty() ? UnifiedHierarchy.find().orElse(null) : Path.of(config.cgroupRoot());
        CgroupLookup lookup = root == null
                ? null
                : HandleLookup.open(root).<CgroupLookup>map(l -> l).orElseGet(() -> new TreeIndex(root, background));
        Optional<KubernetesClient> client = KubernetesAccess.client(config);
        PodIndex pods = client.map(c -> new PodIndex(config.gracePeriod())).orElse(null);
        PodInformer informer =
                client.map(c -> PodInformer.start(c, config.node(), pods)).orElse(null);
        LOG.info(
                "Attributing events on node {}: {}; {}",
                config.node(),
                lookup == null
                        ? "no cgroup v2 hierarchy is mounted, so events carry only their cgroup id"
                        : "cgroups found by " + lookup.describe(),
                client.map(c -> "pods from the Kubernetes API at " + c.getMasterUrl())
                        .orElse(KubernetesAccess.whyNone(config) + ": pods are named by uid from their cgroup paths"));
        return new NodeWorkloadResolver(config, root, lookup, pods, informer, background);
    }

    @Override
    public Workload resolve(long cgroupId) {
        CgroupCache.Entry entry = cache.get(cgroupId);
        if (entry != null) {
            hits.increment();
        } else {
            misses.increment();
            entry = lookUp(cgroupId);
            if (entry == null) {
                return Workload.host(new Workload.Cgroup(node, cgroupId, ""));
            }
        }
        if (pods == null || entry.fromPath.kind() != Workload.Kind.POD_UNRESOLVED) {
            return entry.fromPath;
        }
        long generation = pods.generation();
        CgroupCache.Described described = entry.described;
        if (described == null || described.generation() != generation) {
            described = new CgroupCache.Described(generation, pods.describe(entry.fromPath));
            entry.described = described;
        }
        return described.workload();
    }

    /** Finds a cgroup not cached yet; null while it cannot be told. */
    private CgroupCache.Entry lookUp(long cgroupId) {
        CgroupLookup.Answer answer;
        try {
            answer = lookup == null ? CgroupLookup.Answer.GONE : lookup.find(cgroupId);
        } catch (RuntimeException e) {
            if (lookupFailed.compareAndSet(false, true)) {
                LOG.warn("Looking up cgroup {} failed; such cgroups get the node's identity", cgroupId, e);
            }
            return null;
        }
        if (answer.found()) {
            return cache.addLive(KubeletCgroupLayout.identify(node, cgroupId, answer.path()));
        }
        return answer.gone() ? cache.addGone(Workload.host(new Workload.Cgroup(node, cgroupId, ""))) : null;
    }

    private void sweep() {
        cache.sweep();
        if (pods != null) {
            pods.sweep();
        }
    }

    /** Cgroups remembered now. */
    public int cacheEntries() {
        return cache.size();
    }

    /** Lookups answered from the cache, and those that were not, since the start. */
    public long hits() {
        return hits.sum();
    }

    public long misses() {
        return misses.sum();
    }

    @Override
    public void close() {
        metrics.close();
        if (informer != null) {
            informer.close();
        }
        background.shutdownNow();
        if (lookup != null) {
            lookup.close();
        }
    }
}
