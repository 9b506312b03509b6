package io.tapio.kafka;

import io.tapio.ebpf.metrics.MetricsExport;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.types.EnrichedEventSerializer;
import java.time.Duration;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The job's events from node agents ({@code tapio agent}) through Kafka: Flink's KafkaSource
 * reads the batches, each event gets its time on its node, and records that are not batches go
 * to the dead-letter topic instead of stopping the job.
 */
public final class AgentEvents {
    /**
     * Several nodes share a partition, and a node's batch waits on the node up to the agent's
     * linger: one node's events can arrive after another's newer ones by that much plus the
     * skew between the nodes' clocks. Later than this, an event misses its rollup minute
     * (counted as late) but still reaches the correlator.
     */
    static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(2);

    private AgentEvents() {}

    /**
     * Adds the source, the split and the dead-letter sink to {@code env}; returns the events.
     *
     * @param export where each TaskManager serves the metrics; null when the caller does (a local run)
     */
    public static SingleOutputStreamOperator<EnrichedEvent> read(
            StreamExecutionEnvironment env, AgentTopic spec, MetricsExport export) {
        SingleOutputStreamOperator<EnrichedEvent> events = env.fromSource(
                        source(spec),
                        WatermarkStrategy.<FromAgent>forBoundedOutOfOrderness(OUT_OF_ORDERNESS)
                                .withTimestampAssigner((record, kafkaTimestamp) -> record.eventTime(kafkaTimestamp))
                                .withIdleness(Duration.ofSeconds(5)),
                        "node agents (" + spec.label() + ")")
                .uid("agent-batches")
                .process(new SplitDeadLetters(export), EnrichedEventSerializer.TYPE)
                .name("entry")
                .uid("entry");
        DeadLetterTopic.ensure(spec);
        events.getSideOutput(SplitDeadLetters.DEAD_LETTERS)
                .sinkTo(KafkaSink.<FromAgent.DeadLetter>builder()
                        .setBootstrapServers(spec.bootstrapServers())
                        .setKafkaProducerConfig(properties(spec))
                        .setRecordSerializer(new DeadLetterRecords(spec.deadLetterTopic()))
                        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                        .build())
                .name("dead letters")
                .uid("dead-letters");
        return events;
    }

    @SuppressWarnings("deprecation") // the connector's offsets initializer still takes the old enum
    private static KafkaSource<FromAgent> source(AgentTopic spec) {
        return KafkaSource.<FromAgent>builder()
                .setBootstrapServers(spec.bootstrapServers())
                .setTopics(spec.topic())
                .setGroupId(spec.groupId())
                // The group's offsets (committed on checkpoints); a new group starts with what the
                // agents have already published, so that nothing they were acknowledged for is skipped.
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new AgentBatchDeserializer())
                .setProperties(properties(spec))
                .build();
    }

    private static Properties properties(AgentTopic spec) {
        Properties properties = new Properties();
        properties.putAll(spec.properties());
        return properties;
    }
}
