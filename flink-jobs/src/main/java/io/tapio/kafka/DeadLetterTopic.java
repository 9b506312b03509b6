package io.tapio.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the dead-letter topic exists before the job starts: a poison record arriving
 * when it does not would fail the job on the dead-letter sink, which is what the topic is
 * there to prevent. A broker that cannot be reached now is not a reason to refuse to start
 * (the source waits for it too); a topic that cannot be created is.
 */
final class DeadLetterTopic {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterTopic.class);
    private static final Duration WAIT = Duration.ofSeconds(15);

    private DeadLetterTopic() {}

    static void ensure(AgentTopic spec) {
        Map<String, Object> config = new java.util.HashMap<>(spec.properties());
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, spec.bootstrapServers());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) WAIT.toMillis());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) WAIT.toMillis());
        String topic = spec.deadLetterTopic();
        try (Admin admin = Admin.create(config)) {
            try {
                admin.describeTopics(List.of(topic)).allTopicNames().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            try {
                admin.createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty())))
                        .all()
                        .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                LOG.info("created the dead-letter topic {}", topic);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalArgumentException(
                            "the dead-letter topic " + topic + " does not exist and cannot "
                                    + "be created (" + e.getCause().getMessage() + "): create it beside " + spec.topic()
                                    + " (kafka-topics.sh --create --topic " + topic + ")",
                            e.getCause());
                }
            }
        } catch (TimeoutException | ExecutionException e) {
            LOG.warn(
                    "cannot reach Kafka at {} to check the dead-letter topic {} ({}); starting anyway: make sure it "
                            + "exists",
                    spec.bootstrapServers(),
                    topic,
                    e.getCause() != null ? e.getCause() : e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the dead-letter topic " + topic, e);
        }
    }
}
