package io.tapio.correlate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.source.synthetic.SyntheticSource;
import io.tapio.ebpf.synthetic.DemoFaults;
import io.tapio.ebpf.synthetic.InjectedFault;
import io.tapio.ebpf.synthetic.SyntheticConfig;
import io.tapio.job.TapioJob;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.Finding;
import io.tapio.model.Severity;
import io.tapio.model.types.EnrichedEventSerializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The correlator on the synthetic source's injected faults, in a real MiniCluster: every
 * fault found as its pattern in its workload, and nothing of severity warning or above
 * anywhere else. Deterministic: the synthetic source on virtual time.
 */
class FindingsOnSyntheticFaultsTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    /** The faults of tapio run's demo (--inject). */
    private static final InjectedFault OOM_LOOP = DemoFaults.named("oom-loop");

    private static final InjectedFault CRASH_LOOP = DemoFaults.named("crash-loop");
    private static final InjectedFault REFUSED = DemoFaults.named("refused-connections");
    private static final InjectedFault MISSING = DemoFaults.named("missing-file");

    /** The faults on a busy node without failures of its own. */
    private static final SyntheticConfig CONFIG = BusyNode.with(7, OOM_LOOP, CRASH_LOOP, REFUSED, MISSING);
    /** Three minutes of virtual time. */
    private static final long EVENTS = 180_000;

    private static List<Finding> findings;

    /** Runs the job once, on the first test (the MiniCluster extension is ready by then). */
    @BeforeEach
    void run() throws Exception {
        if (findings != null) {
            return;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        var events = env.fromSource(
                        SyntheticSource.asFastAsPossible(CONFIG, EVENTS),
                        WatermarkStrategy.<KernelEvent>forBoundedOutOfOrderness(Duration.ofMillis(200)),
                        "synthetic")
                .map(
                        e -> new EnrichedEvent(
                                e,
                                io.tapio.model.Workload.host(
                                        new io.tapio.model.Workload.Cgroup("node-1", e.cgroupId(), ""))),
                        EnrichedEventSerializer.TYPE);
        List<Finding> collected = new ArrayList<>();
        try (CloseableIterator<Finding> it = TapioJob.findings(
                        TapioJob.byWorkload(events, false), CorrelationConfig.defaults(), false)
                .executeAndCollect("synthetic-faults")) {
            it.forEachRemaining(collected::add);
        }
        findings = collected;
    }

    /** Each incident of the fault's workload, as its latest report: {@code pattern subject [cause]}. */
    private static Set<String> incidents(InjectedFault fault) {
        return LatestReports.described(findings, fault.workload().cgroupId());
    }

    @Test
    void everyInjectedFaultIsOneIncidentWithItsPatternInItsWorkload() {
        assertEquals(Set.of("oom_crash_loop payments"), incidents(OOM_LOOP));
        assertEquals(Set.of("crash_loop checkout"), incidents(CRASH_LOOP));
        assertEquals(Set.of("dependency_unreachable 127.0.0.1:5432"), incidents(REFUSED));
        assertEquals(Set.of("crash_loop api [missing_file /etc/config/app.yaml]"), incidents(MISSING));
    }

    @Test
    void nothingOfSeverityWarningOrAboveIsFoundInTheBackground() {
        Set<Long> faulty = Set.of(20_001L, 20_002L, 20_003L, 20_004L);
        List<Finding> background = findings.stream()
                .filter(f -> !faulty.contains(f.workload().cgroup().id())
                        && f.severity().atLeast(Severity.WARNING))
                .toList();
        assertEquals(List.of(), background);
    }

    @Test
    void eachEpisodeOpensOnceAndIsResolvedWhenTheStreamEnds() {
        Map<String, List<Finding.Status>> byEpisode = findings.stream()
                .collect(Collectors.groupingBy(
                        Finding::episodeId, Collectors.mapping(Finding::status, Collectors.toList())));
        byEpisode.forEach((episode, statuses) -> {
            assertEquals(Finding.Status.OPEN, statuses.getFirst(), episode);
            assertEquals(
                    1, statuses.stream().filter(s -> s == Finding.Status.OPEN).count(), episode);
            assertEquals(Finding.Status.RESOLVED, statuses.getLast(), episode);
        });
    }

    @Test
    void findingsCarryEvidenceASummaryAndARecommendation() {
        Finding crashLoop = findings.stream()
                .filter(f -> f.pattern().equals("crash_loop")
                        && f.workload().cgroup().id() == CRASH_LOOP.workload().cgroupId())
                .findFirst()
                .orElseThrow();
        assertEquals(Severity.WARNING, crashLoop.severity());
        assertTrue(crashLoop.count() >= 3);
        assertTrue(
                crashLoop.summary().contains("checkout") && crashLoop.summary().contains("keeps failing"),
                crashLoop.summary());
        assertTrue(!crashLoop.recommendation().isBlank());
        assertTrue(
                crashLoop.evidence().stream().anyMatch(e -> e.description().contains("exited with status 1")),
                crashLoop.evidence().toString());
        Finding refused = findings.stream()
                .filter(f -> f.pattern().equals("dependency_unreachable"))
                .findFirst()
                .orElseThrow();
        assertEquals("127.0.0.1:5432", refused.subject());
    }
}
