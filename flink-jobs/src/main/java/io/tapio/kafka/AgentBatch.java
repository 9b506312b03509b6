package io.tapio.kafka;

import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.model.EnrichedEvent;
import java.util.List;

/**
 * One decoded batch of a node agent.
 *
 * @param node the node the agent runs on
 * @param epochNanosAtZero the node's wall clock (epoch ns) when its CLOCK_MONOTONIC read 0
 * @param events the events, in the order the node's ring buffer held them
 */
public record AgentBatch(String node, long epochNanosAtZero, List<EnrichedEvent> events) {
    /** When {@code event} happened, on the node's wall clock: its event time in the job. */
    public long epochMillis(KernelEvent event) {
        return (epochNanosAtZero + event.timestampNs()) / 1_000_000L;
    }
}
