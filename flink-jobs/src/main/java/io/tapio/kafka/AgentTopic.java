package io.tapio.kafka;

import java.io.Serial;
import java.io.Serializable;
import java.util.Map;

/**
 * Where the node agents' batches are: the brokers, the topic, the dead-letter topic for records
 * that are not batches, and the consumer group the job reads them with.
 *
 * @param properties further Kafka client settings (security, timeouts) for the source and the dead-letter sink
 */
public record AgentTopic(
        String bootstrapServers, String topic, String deadLetterTopic, String groupId, Map<String, String> properties)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The topic agents publish to and the job reads, unless told otherwise. */
    public static final String DEFAULT_TOPIC = "tapio.events";

    public AgentTopic {
        properties = Map.copyOf(properties);
    }

    public String label() {
        return "kafka:" + topic;
    }
}
