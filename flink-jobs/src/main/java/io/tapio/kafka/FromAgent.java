package io.tapio.kafka;

import io.tapio.model.EnrichedEvent;
import java.io.Serial;
import java.io.Serializable;

/**
 * What the job's Kafka source makes of a record: an event of a node agent's batch, with its
 * time on its node, or the record itself when it cannot be decoded.
 */
public sealed interface FromAgent permits FromAgent.Event, FromAgent.DeadLetter {
    /** The job's event time for this: the event's own; a dead letter keeps Kafka's timestamp. */
    long eventTime(long kafkaTimestamp);

    /** An event as its node's agent enriched it; {@code epochMillis} is when it happened. */
    record Event(EnrichedEvent enriched, long epochMillis) implements FromAgent {
        @Override
        public long eventTime(long kafkaTimestamp) {
            return epochMillis;
        }
    }

    /**
     * A record that is not a batch this job can decode, kept whole for the dead-letter topic.
     *
     * @param reason what is wrong with it, for a person
     */
    record DeadLetter(
            String topic,
            int partition,
            long offset,
            byte[] key,
            byte[] value,
            UndecodableBatchException.Problem problem,
            String reason)
            implements FromAgent, Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public long eventTime(long kafkaTimestamp) {
            return kafkaTimestamp;
        }

        /** Where it was read: {@code topic-partition@offset}. */
        public String source() {
            return topic + "-" + partition + "@" + offset;
        }
    }
}
