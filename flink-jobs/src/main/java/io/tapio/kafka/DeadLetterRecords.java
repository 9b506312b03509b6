package io.tapio.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A dead letter as a record of the dead-letter topic: the original key and value untouched
 * (so that a fixed job can read them again), and headers that say why and where from.
 */
final class DeadLetterRecords implements KafkaRecordSerializationSchema<FromAgent.DeadLetter> {
    /** Header: what is wrong, for a person. */
    static final String REASON = "tapio.dead-letter.reason";
    /** Header: the kind of problem (not_a_batch, unsupported_version, wrong_length, malformed_content). */
    static final String PROBLEM = "tapio.dead-letter.problem";
    /** Header: where the record was read, {@code topic-partition@offset}. */
    static final String SOURCE = "tapio.dead-letter.source";

    private final String topic;

    DeadLetterRecords(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            FromAgent.DeadLetter letter, KafkaSinkContext context, Long timestamp) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(REASON, letter.reason().getBytes(StandardCharsets.UTF_8));
        headers.add(PROBLEM, letter.problem().label().getBytes(StandardCharsets.UTF_8));
        headers.add(SOURCE, letter.source().getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(topic, null, timestamp, letter.key(), letter.value(), headers);
    }
}
