package io.tapio.rollup;

import io.tapio.ebpf.abi.BlockIoLatency;
import io.tapio.ebpf.abi.ConnectOutcome;
import io.tapio.ebpf.abi.EventType;
import io.tapio.ebpf.abi.Exit;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.abi.RunqLatency;
import io.tapio.ebpf.abi.TcpConnect;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.Rollup;
import io.tapio.model.RollupMetric;
import io.tapio.model.Workload;
import io.tapio.model.types.Copyable;
import java.io.Serial;
import java.io.Serializable;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/** What one workload's events in one minute add up to, while the minute lasts. */
final class RollupAccumulator implements Serializable, Copyable<RollupAccumulator> {
    @Serial
    private static final long serialVersionUID = 1L;

    private final long[] events;
    private final LatencyHistogram runq;
    private final LatencyHistogram block;
    private final LatencyHistogram connect;
    private long failures;
    private Workload workload;

    RollupAccumulator() {
        this.events = new long[EventType.CODE_LIMIT];
        this.runq = new LatencyHistogram();
        this.block = new LatencyHistogram();
        this.connect = new LatencyHistogram();
    }

    private RollupAccumulator(RollupAccumulator from) {
        this.events = from.events.clone();
        this.runq = from.runq.copy();
        this.block = from.block.copy();
        this.connect = from.connect.copy();
        this.failures = from.failures;
        this.workload = from.workload;
    }

    @Override
    public RollupAccumulator copy() {
        return new RollupAccumulator(this);
    }

    void add(EnrichedEvent e) {
        workload = e.workload();
        KernelEvent event = e.event();
        events[event.type().code()]++;
        switch (event.type()) { // decoding only the payloads it reads
            case EXIT -> failures += event.payload(Exit.class).abnormal() ? 1 : 0;
            case TCP_CONNECT -> {
                TcpConnect c = event.payload(TcpConnect.class);
                if (c.outcome() == ConnectOutcome.ESTABLISHED) {
                    connect.record(c.latencyNs());
                } else if (c.outcome() != ConnectOutcome.ABORTED) {
                    failures++;
                }
            }
            case RUNQ_LATENCY -> runq.record(event.payload(RunqLatency.class).latencyNs());
            case BLOCK_IO_LATENCY ->
                block.record(event.payload(BlockIoLatency.class).latencyNs());
            case OOM_KILL, OPEN_FAILED -> failures++;
            default -> {}
        }
    }

    Rollup toRollup(String workloadKey, long minuteEpochMillis) {
        Map<String, Long> byType = new HashMap<>();
        long total = 0;
        for (EventType type : EventType.values()) {
            if (events[type.code()] > 0) {
                byType.put(type.label(), events[type.code()]);
                total += events[type.code()];
            }
        }
        Map<RollupMetric, Rollup.Sample> metrics = new EnumMap<>(RollupMetric.class);
        metrics.put(RollupMetric.EVENT_RATE, new Rollup.Sample(total, total));
        metrics.put(RollupMetric.FAILURES, new Rollup.Sample(failures, total));
        metrics.put(RollupMetric.RUNQ_SLOW_WAITS, new Rollup.Sample(runq.count(), runq.count()));
        metrics.put(RollupMetric.BLOCK_IO_SLOW, new Rollup.Sample(block.count(), block.count()));
        quantile(metrics, RollupMetric.RUNQ_LATENCY_P99, runq);
        quantile(metrics, RollupMetric.BLOCK_IO_LATENCY_P99, block);
        quantile(metrics, RollupMetric.CONNECT_LATENCY_P99, connect);
        return new Rollup(workloadKey, workload, minuteEpochMillis, byType, failures, metrics);
    }

    private static void quantile(Map<RollupMetric, Rollup.Sample> metrics, RollupMetric metric, LatencyHistogram h) {
        if (h.count() > 0) {
            metrics.put(metric, new Rollup.Sample(h.quantileSeconds(0.99), h.count()));
        }
    }
}
