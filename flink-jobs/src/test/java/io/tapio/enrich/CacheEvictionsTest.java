package io.tapio.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tapio.ebpf.metrics.MetricNames;
import io.tapio.model.Workload;
import io.tapio.testing.KubeletPaths;
import io.tapio.testing.WorkloadCgroup;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A bounded workload cache under cgroup churn, on this machine's cgroup hierarchy: it stays
 * within its bound and says how many cgroups it had to forget early, as a metric.
 */
class CacheEvictionsTest {
    private static final String NODE = "evictions-test-node";
    private static final int BOUND = 16;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeEach
    void addRegistry() {
        Metrics.addRegistry(registry);
    }

    @AfterEach
    void removeRegistry() {
        Metrics.removeRegistry(registry);
    }

    @Test
    void cgroupsForgottenToMakeRoomAreCounted() {
        try (NodeWorkloadResolver resolver = NodeWorkloadResolver.start(
                EnrichConfig.defaults().withNode(NODE).withoutKubernetes().withCacheBound(BOUND))) {
            // Ids no cgroup has (any more): each is remembered as removed, for its late events.
            for (long id = 1; id <= 5 * BOUND; id++) {
                Workload workload = resolver.resolve(Long.MAX_VALUE - id);
                assertThat(workload.kind()).isEqualTo(Workload.Kind.HOST);
                assertThat(resolver.cacheEntries()).isLessThanOrEqualTo(BOUND);
            }

            assertThat(evictions("removed")).isGreaterThanOrEqualTo(4 * BOUND);
            assertThat(evictions("live")).isZero();
        }
    }

    @Test
    void liveCgroupsAreForgottenWhenTheyAloneFillTheCache() {
        List<WorkloadCgroup> cgroups = new ArrayList<>();
        try (NodeWorkloadResolver resolver = NodeWorkloadResolver.start(
                EnrichConfig.defaults().withNode(NODE).withoutKubernetes().withCacheBound(BOUND))) {
            for (int i = 0; i < 2 * BOUND; i++) {
                cgroups.add(WorkloadCgroup.create(KubeletPaths.prefix() + "evict-" + i));
                resolver.resolve(cgroups.getLast().id());
            }

            assertThat(resolver.cacheEntries()).isLessThanOrEqualTo(BOUND);
            assertThat(evictions("live")).isGreaterThanOrEqualTo(BOUND);
            assertThat(evictions("removed")).isZero();
        } finally {
            cgroups.forEach(WorkloadCgroup::close);
        }
    }

    private double evictions(String cgroup) {
        FunctionCounter counter = registry.find(MetricNames.ENRICH_CACHE_EVICTIONS)
                .tags("node", NODE, "cgroup", cgroup)
                .functionCounter();
        assertThat(counter)
                .as("tapio_enrich_cache_evictions_total{cgroup=%s}", cgroup)
                .isNotNull();
        return counter.count();
    }
}
