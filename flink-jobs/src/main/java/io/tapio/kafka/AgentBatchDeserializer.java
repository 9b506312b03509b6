package io.tapio.kafka;

import io.tapio.model.EnrichedEvent;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns each Kafka record into the events of its batch, or, when it is not a batch this job
 * can decode, into one dead letter: a bad record never fails the job, and a half-read batch
 * never gives half its events.
 */
final class AgentBatchDeserializer implements KafkaRecordDeserializationSchema<FromAgent> {
    /** Reasons are for people and headers: long ones are cut here. */
    private static final int MAX_REASON = 500;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<FromAgent> out) {
        AgentBatch batch;
        try {
            batch = AgentBatchReader.read(record.value());
        } catch (UndecodableBatchException e) {
            String reason = String.valueOf(e.getMessage());
            out.collect(new FromAgent.DeadLetter(
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    record.key(),
                    record.value(),
                    e.problem(),
                    reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason));
            return;
        }
        for (EnrichedEvent event : batch.events()) {
            out.collect(new FromAgent.Event(event, batch.epochMillis(event.event())));
        }
    }

    @Override
    public TypeInformation<FromAgent> getProducedType() {
        return FromAgentSerializer.TYPE;
    }
}
