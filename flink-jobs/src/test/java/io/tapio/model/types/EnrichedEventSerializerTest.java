package io.tapio.model.types;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tapio.ebpf.abi.EventSubject;
import io.tapio.ebpf.abi.Exec;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.metrics.MetricNames;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.Workload;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The event stream's serializer over more workloads than its caches hold: every event comes
 * back whole, and what the caches forgot to make room is counted.
 */
class EnrichedEventSerializerTest {
    @Test
    void moreWorkloadsThanTheCacheHoldsRoundTripAndTheirEvictionsAreCounted() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Metrics.addRegistry(registry);
        try {
            EnrichedEventSerializer writer = new EnrichedEventSerializer();
            EnrichedEventSerializer reader = new EnrichedEventSerializer();
            double encodedBefore = evictions(registry, "encode");
            double decodedBefore = evictions(registry, "decode");
            DataOutputSerializer out = new DataOutputSerializer(256);
            int workloads = 3_000;
            for (int i = 0; i < workloads; i++) {
                Workload workload = Workload.host(new Workload.Cgroup("node-1", 10_000 + i, "/system.slice/w" + i));
                EnrichedEvent event = new EnrichedEvent(
                        KernelEvent.of(
                                new EventSubject(1_000L + i, 0, 100 + i, 100 + i, 10_000 + i, "w"),
                                new Exec(1, "/bin/w")),
                        workload);
                out.clear();
                writer.serialize(event, out);
                EnrichedEvent back = reader.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
                assertThat(back).isEqualTo(event);
            }

            assertThat(evictions(registry, "encode") - encodedBefore).isEqualTo(workloads - 1_024);
            assertThat(evictions(registry, "decode") - decodedBefore).isEqualTo(workloads - 1_024);
        } finally {
            Metrics.removeRegistry(registry);
        }
    }

    private static double evictions(SimpleMeterRegistry registry, String direction) {
        FunctionCounter counter = registry.find(MetricNames.WORKLOAD_CODEC_EVICTIONS)
                .tag("direction", direction)
                .functionCounter();
        assertThat(counter).isNotNull();
        return counter.count();
    }
}
