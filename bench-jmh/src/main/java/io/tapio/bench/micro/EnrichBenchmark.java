package io.tapio.bench.micro;

import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.enrich.WorkloadEnricher;
import io.tapio.job.Relevance;
import io.tapio.model.EnrichedEvent;
import org.apache.flink.streaming.api.operators.StreamFilter;
import org.apache.flink.streaming.api.operators.StreamMap;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The job's filter and enrichment of one event, chained as in the job: {@link Relevance}, then
 * {@link WorkloadEnricher} naming the event's workload from its cgroup (a cache the events
 * have warmed: every cgroup was seen once before). Both functions are opened by Flink's
 * operator harness, so that they have their runtime context and metrics; the benchmark then
 * calls them as the chained operators do. Payloads are decoded already ({@link DecodeBenchmark}
 * measures that).
 */
@State(Scope.Thread)
public class EnrichBenchmark {
    private SyntheticNode node;
    private KernelEvent[] events;
    private Relevance relevance;
    private WorkloadEnricher enricher;
    private OneInputStreamOperatorTestHarness<KernelEvent, KernelEvent> filter;
    private OneInputStreamOperatorTestHarness<KernelEvent, EnrichedEvent> map;
    private int next;

    @Setup(Level.Trial)
    public void open() throws Exception {
        node = SyntheticNode.create();
        events = node.events();
        relevance = new Relevance();
        enricher = new WorkloadEnricher(node.enrichConfig());
        filter = new OneInputStreamOperatorTestHarness<>(new StreamFilter<>(relevance));
        filter.open();
        map = new OneInputStreamOperatorTestHarness<>(new StreamMap<>(enricher));
        map.open();
        for (KernelEvent event : events) {
            enricher.map(event);
        }
    }

    /** The relevant events enriched; an irrelevant one (a clean exit) costs the filter only. */
    @Benchmark
    public EnrichedEvent filterAndEnrich() throws Exception {
        KernelEvent event = events[next];
        next = (next + 1) & (SyntheticNode.EVENTS - 1);
        return relevance.filter(event) ? enricher.map(event) : null;
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        map.close();
        filter.close();
        node.close();
    }
}
