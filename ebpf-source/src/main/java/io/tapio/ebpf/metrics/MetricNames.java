package io.tapio.ebpf.metrics;

/**
 * The names of Tapio's metrics, in one place: the contract of DESIGN.md's "Names" with the
 * alert rules and dashboards in {@code monitoring/}. These are Micrometer names; the Prometheus
 * endpoint writes {@code tapio.events.processed} as {@code tapio_events_processed_total} (a
 * counter), a timer as {@code _seconds} with its buckets, a gauge as it is.
 */
public final class MetricNames {
    /** Counter {node,type}: kernel events that entered the streaming job. */
    public static final String EVENTS_PROCESSED = "tapio.events.processed";
    /** Timer (histogram) {stage}: from the kernel's timestamp to the event reaching a stage. */
    public static final String PROCESSING_DURATION = "tapio.event.processing.duration";
    /** Counter {node,reason}: events lost before the job, reason a {@link DropReason}. */
    public static final String EVENTS_DROPPED = "tapio.events.dropped";
    /** Gauge {node}: how full the kernel's ring buffer is, 0 to 1. */
    public static final String RINGBUF_USED_RATIO = "tapio.ringbuf.used.ratio";
    /** Counter {node,type,disposition}: every candidate event the programs saw, and what became of it. */
    public static final String KERNEL_EVENTS = "tapio.kernel.events";
    /** Gauge {node,type,reason}: an event type this kernel cannot provide. */
    public static final String KERNEL_TYPE_UNAVAILABLE = "tapio.kernel.type.unavailable";
    /** Gauge {node,type,limitation}: an event type this kernel provides with less, and what is missing. */
    public static final String KERNEL_TYPE_LIMITED = "tapio.kernel.type.limited";
    /** Counter {node}: restarts of the eBPF source from a checkpoint. */
    public static final String SOURCE_RESTARTS = "tapio.source.restarts";
    /** Counter {node}: the reader's sleeps that ended at the longest sleep with records waiting. */
    public static final String RING_LATE_WAKEUPS = "tapio.ring.late.wakeups";
    /** Counter {node}: hand-overs of a busy ring after the coalescing delay, not on the kernel's wakeup. */
    public static final String RING_COALESCED_WAITS = "tapio.ring.coalesced.waits";
    /** Gauge {node}: records the source hands over per call. */
    public static final String SOURCE_BATCH_SIZE = "tapio.source.batch.size";
    /** Counters: the job's own filter. */
    public static final String EVENTS_RELEVANT = "tapio.events.relevant";

    public static final String EVENTS_IRRELEVANT = "tapio.events.irrelevant";
    /** Counter {node,kind}: events by the identity enrichment gave them. */
    public static final String ENRICH_EVENTS = "tapio.enrich.events";
    /** Counter {result}: the workload cache's hits and misses. */
    public static final String ENRICH_LOOKUPS = "tapio.enrich.lookups";
    /** Gauge: cgroups the workload cache holds. */
    public static final String ENRICH_CACHE_ENTRIES = "tapio.enrich.cache.entries";
    /** Counter {node,cgroup=removed|live}: cgroups the full workload cache forgot to make room. */
    public static final String ENRICH_CACHE_EVICTIONS = "tapio.enrich.cache.evictions";
    /** Counter {direction=encode|decode}: workloads the event serializer's cache forgot to make room. */
    public static final String WORKLOAD_CODEC_EVICTIONS = "tapio.workload.codec.evictions";
    /** Gauge: pods known on the node. */
    public static final String ENRICH_PODS = "tapio.enrich.pods";
    /** Gauge {subtask}: events a key's batch holds in the correlator. */
    public static final String CORRELATOR_BATCH_SIZE = "tapio.correlator.batch.size";
    /** Counter {pattern,severity}: findings opened. */
    public static final String FINDINGS = "tapio.findings";
    /** Counter: events later than the watermark allowed for their minute's rollup, in no rollup. */
    public static final String ROLLUP_LATE_EVENTS = "tapio.rollup.late.events";
    /** Counter {metric}: regressions reported. */
    public static final String REGRESSIONS = "tapio.regressions";
    /** Counter {problem}: Kafka records that went to the dead-letter topic. */
    public static final String KAFKA_DEAD_LETTERS = "tapio.kafka.dead.letters";

    /** Counter: findings posted as new Kubernetes Events on their pods. */
    public static final String KUBERNETES_EVENTS_POSTED = "tapio.kubernetes.events.posted";
    /** Counter: later reports of an episode written into its Kubernetes Event (count, last time, message). */
    public static final String KUBERNETES_EVENTS_UPDATED = "tapio.kubernetes.events.updated";
    /** Counter {reason}: reports that did not reach the Kubernetes API, reason as the export names it. */
    public static final String KUBERNETES_EVENTS_DROPPED = "tapio.kubernetes.events.dropped";
    /** Counter: findings the OTLP receiver accepted as log records. */
    public static final String OTLP_LOG_RECORDS_EXPORTED = "tapio.otlp.log.records.exported";
    /** Counter {reason}: findings that did not reach the OTLP receiver. */
    public static final String OTLP_LOG_RECORDS_DROPPED = "tapio.otlp.log.records.dropped";

    /** A node agent's own: events read, filtered, published; batches; its buffer; Kafka's silence. */
    public static final String AGENT_EVENTS_READ = "tapio.agent.events.read";

    public static final String AGENT_EVENTS_FILTERED = "tapio.agent.events.filtered";
    public static final String AGENT_EVENTS_PUBLISHED = "tapio.agent.events.published";
    public static final String AGENT_BATCHES_PUBLISHED = "tapio.agent.batches.published";
    public static final String AGENT_BUFFER_BYTES = "tapio.agent.buffer.bytes";
    public static final String AGENT_BUFFER_USED_RATIO = "tapio.agent.buffer.used.ratio";
    public static final String AGENT_KAFKA_SILENT_SECONDS = "tapio.agent.kafka.silent.seconds";

    private MetricNames() {}
}
