package io.tapio.job;

import io.tapio.kafka.AgentTopic;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where the job finds the node agents' batches: the command-line options of {@code tapio run
 * --source kafka} and of the cluster entry point, in one place.
 */
public final class KafkaOptions {
    @Option(
            names = "--bootstrap-servers",
            paramLabel = "HOST:PORT[,HOST:PORT...]",
            description = "With --source kafka: Kafka's bootstrap servers.")
    String bootstrapServers;

    @Option(
            names = "--topic",
            defaultValue = AgentTopic.DEFAULT_TOPIC,
            description = "With --source kafka: the agents' topic (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(
            names = "--dead-letter-topic",
            paramLabel = "TOPIC",
            description = "With --source kafka: where records that are not agent batches go, with the reason in "
                    + "their headers (default: the topic's name with .dlq); create it beside the topic.")
    String deadLetterTopic;

    @Option(
            names = "--group-id",
            defaultValue = "tapio",
            description = "With --source kafka: the consumer group (default: ${DEFAULT-VALUE}).")
    String groupId;

    @Option(
            names = "--kafka-property",
            paramLabel = "KEY=VALUE",
            description = "With --source kafka: a further client setting, e.g. security.protocol=SSL; repeatable.")
    Map<String, String> properties = new LinkedHashMap<>();

    /** @throws IllegalArgumentException without {@code --bootstrap-servers} */
    public SourceSpec.Kafka spec() {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("--source kafka needs --bootstrap-servers HOST:PORT");
        }
        return new SourceSpec.Kafka(
                bootstrapServers,
                topic,
                deadLetterTopic == null ? topic + ".dlq" : deadLetterTopic,
                groupId,
                properties);
    }
}
