package io.tapio.enrich;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.metrics.MetricNames;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.Workload;
import io.tapio.model.types.EnrichedEventSerializer;
import java.util.Locale;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.MetricGroup;

/**
 * The job's enrichment stage: every kernel event with the workload it belongs to. Runs on
 * the node the events come from (chained to the eBPF source), since cgroup ids mean
 * something only there. Never blocks: see {@link WorkloadResolver}.
 *
 * <p>Counts events by the kind of identity they got, in
 * {@code tapio_enrich_events_total{node,kind}} and the task's Flink metrics (group
 * {@code enrich}), so that the share of pod events the API could name is visible.
 */
public final class WorkloadEnricher extends RichMapFunction<KernelEvent, EnrichedEvent>
        implements ResultTypeQueryable<EnrichedEvent> {
    private static final long FLUSH_EVERY_NANOS = 200_000_000L;
    private static final Workload.Kind[] KINDS = Workload.Kind.values();

    private final EnrichConfig config;
    private transient SharedResolvers.Lease resolver;
    private transient long[] pending;
    private transient Counter[] shared;
    private transient org.apache.flink.metrics.Counter[] task;
    private transient long lastFlush;

    public WorkloadEnricher(EnrichConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext context) {
        resolver = SharedResolvers.acquire(config);
        pending = new long[KINDS.length];
        shared = new Counter[KINDS.length];
        task = new org.apache.flink.metrics.Counter[KINDS.length];
        MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("enrich");
        for (Workload.Kind kind : KINDS) {
            String label = kind.name().toLowerCase(Locale.ROOT);
            shared[kind.ordinal()] = Counter.builder(MetricNames.ENRICH_EVENTS)
                    .tags("node", config.node(), "kind", label)
                    .description("Events by the kind of workload identity they were given")
                    .register(Metrics.globalRegistry);
            task[kind.ordinal()] = group.counter("events_" + label);
        }
        NodeWorkloadResolver nodeResolver = resolver.resolver();
        group.gauge("cacheEntries", nodeResolver::cacheEntries);
        group.gauge("lookupHits", nodeResolver::hits);
        group.gauge("lookupMisses", nodeResolver::misses);
        lastFlush = System.nanoTime();
    }

    @Override
    public EnrichedEvent map(KernelEvent event) {
        Workload workload = resolver.resolve(event.cgroupId());
        int kind = workload.kind().ordinal();
        pending[kind]++;
        task[kind].inc();
        long now = System.nanoTime();
        if (now - lastFlush > FLUSH_EVERY_NANOS) {
            flush();
            lastFlush = now;
        }
        return new EnrichedEvent(event, workload);
    }

    private void flush() {
        for (int kind = 0; kind < pending.length; kind++) {
            if (pending[kind] > 0) {
                shared[kind].increment(pending[kind]);
                pending[kind] = 0;
            }
        }
    }

    @Override
    public TypeInformation<EnrichedEvent> getProducedType() {
        return EnrichedEventSerializer.TYPE;
    }

    @Override
    public void close() {
        if (resolver != null) {
            flush();
            resolver.close();
        }
    }
}
